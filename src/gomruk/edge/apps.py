from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "gomruk.edge"
    label = "edge"
    verbose_name = "Edge"
