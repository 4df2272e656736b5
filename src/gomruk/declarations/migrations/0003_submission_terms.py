from django.db import migrations
from django.utils import timezone

TEXT_AZ = (
    "Elektron gömrük bəyannaməsinin təqdimetmə şərtləri (versiya 1).\n"
    "1. Bəyannamədə və ona əlavə edilmiş sənədlərin surətlərində göstərilən məlumatların "
    "düzgünlüyünü və tamlığını təsdiq edirəm.\n"
    "2. Elektron imza (və ya Asan İmza) ilə imzalanmış bəyannamənin kağız üzərində imzalanmış "
    "bəyannamə ilə eyni hüquqi qüvvəyə malik olduğunu qəbul edirəm.\n"
    "3. Gömrük orqanının tələbi ilə sənədlərin əsli təqdim olunacaq.\n"
    "4. Yanlış məlumat verilməsinə görə Azərbaycan Respublikasının qanunvericiliyi ilə "
    "müəyyən edilmiş məsuliyyət daşıdığımı bilirəm."
)
TEXT_EN = (
    "Conditions of submission of the electronic customs declaration (version 1).\n"
    "1. I confirm that the data in the declaration and in the attached copies of documents are "
    "correct and complete.\n"
    "2. I accept that the declaration signed with an electronic signature (or Asan İmza) has the "
    "same legal force as a declaration signed on paper.\n"
    "3. The originals of the documents will be produced at the request of the customs body.\n"
    "4. I am aware of the liability established by the legislation of the Republic of "
    "Azerbaijan for giving false information."
)


def publish(apps, schema_editor):
    terms = apps.get_model("declarations", "SubmissionTerms")
    terms.objects.get_or_create(
        version="1", defaults={"text_az": TEXT_AZ, "text_en": TEXT_EN, "published_at": timezone.now()}
    )


def unpublish(apps, schema_editor):
    apps.get_model("declarations", "SubmissionTerms").objects.filter(version="1").delete()


class Migration(migrations.Migration):
    dependencies = [("declarations", "0002_lifecycle")]
    operations = [migrations.RunPython(publish, unpublish)]
