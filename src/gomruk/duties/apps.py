from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "gomruk.duties"
    label = "duties"
    default_auto_field = "django.db.models.BigAutoField"
