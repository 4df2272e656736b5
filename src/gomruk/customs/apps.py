from django.apps import AppConfig


class CustomsConfig(AppConfig):
    name = "gomruk.customs"
    label = "customs"
    default_auto_field = "django.db.models.BigAutoField"
