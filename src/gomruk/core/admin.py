from django.contrib import admin

from gomruk.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("sequence", "created_at", "actor_label", "action", "object_type", "object_id", "outcome")
    list_filter = ("action", "outcome")
    search_fields = ("object_id", "actor_label", "action")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
