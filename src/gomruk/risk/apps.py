from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "gomruk.risk"
    label = "risk"
    verbose_name = "Risk (selectivity)"
    default_auto_field = "django.db.models.BigAutoField"
