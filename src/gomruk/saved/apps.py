from django.apps import AppConfig


class SavedConfig(AppConfig):
    name = "gomruk.saved"
    label = "saved"
    verbose_name = "Saxlanmış tərəflər, marşrutlar və mallar"
    default_auto_field = "django.db.models.BigAutoField"
