from django.contrib import admin

from gomruk.customs.admin import ReadOnlyAdmin
from gomruk.notifications.models import OutboxCursor, Webhook, WebhookDelivery


@admin.register(OutboxCursor)
class OutboxCursorAdmin(ReadOnlyAdmin):
    list_display = ("stream", "position", "updated_at")


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ("id", "owner", "url", "active", "created_at")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "webhook", "event", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status", "event")
