from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "gomruk.signatures"
    label = "signatures"
    default_auto_field = "django.db.models.BigAutoField"
