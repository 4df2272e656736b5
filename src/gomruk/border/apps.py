from django.apps import AppConfig


class BorderConfig(AppConfig):
    name = "gomruk.border"
    label = "border"
    verbose_name = "Sərhəd buraxılış məntəqələri"
    default_auto_field = "django.db.models.BigAutoField"
