from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "gomruk.edge"
    label = "edge"
    verbose_name = "Edge"

    def ready(self) -> None:
        from gomruk.edge import sessions  # noqa: F401 (connects the sign-in receiver)
