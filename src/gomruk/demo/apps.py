from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Holds the ``init`` and ``demo`` commands and the demo data; no models."""

    name = "gomruk.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
