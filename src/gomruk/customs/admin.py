from django.contrib import admin

from gomruk.customs.models import ChannelAssignment, ControlRecord, Registration, ReturnReason


class ReadOnlyAdmin(admin.ModelAdmin):
    """Customs records are history written by services; the admin only shows them."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("registration_number", "office_code", "acceptance_date", "usd_rate_fixed", "currency_rate_fixed", "officer")
    search_fields = ("registration_number",)
    list_filter = ("office_code",)


@admin.register(ChannelAssignment)
class ChannelAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("declaration", "channel", "officer", "created_at")
    list_filter = ("channel",)


@admin.register(ControlRecord)
class ControlRecordAdmin(ReadOnlyAdmin):
    list_display = ("declaration", "officer", "created_at")


@admin.register(ReturnReason)
class ReturnReasonAdmin(ReadOnlyAdmin):
    list_display = ("declaration", "box", "item", "text", "officer", "created_at")
