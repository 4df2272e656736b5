from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gomruk.reports"
    label = "reports"
    verbose_name = "Dashboards"
    default_auto_field = "django.db.models.BigAutoField"
