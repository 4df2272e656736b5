from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gomruk.notifications"
    label = "notifications"
    verbose_name = "Notifications and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
