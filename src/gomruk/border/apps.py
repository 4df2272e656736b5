from django.apps import AppConfig


class BorderConfig(AppConfig):
    name = "gomruk.border"
    label = "border"
    default_auto_field = "django.db.models.BigAutoField"
