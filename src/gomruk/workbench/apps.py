from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "gomruk.workbench"
    label = "workbench"
    verbose_name = "Officers' workbench (queue)"
    default_auto_field = "django.db.models.BigAutoField"
