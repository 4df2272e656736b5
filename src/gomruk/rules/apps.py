from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "gomruk.rules"
    label = "rules"
    default_auto_field = "django.db.models.BigAutoField"
