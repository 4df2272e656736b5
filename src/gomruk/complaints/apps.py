from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "gomruk.complaints"
    label = "complaints"
    verbose_name = "Şikayətlər"
    default_auto_field = "django.db.models.BigAutoField"
