from django.contrib import admin

from gomruk.signatures.models import AsanTransaction


@admin.register(AsanTransaction)
class AsanTransactionAdmin(admin.ModelAdmin):
    """Read-only: a signing request is evidence, never edited by hand."""

    list_display = ("created_at", "phone_number", "verification_code", "state", "purpose", "object_id", "created_by")
    list_filter = ("state", "purpose", "gateway")
    search_fields = ("phone_number", "object_id", "payload_sha256")
    exclude = ("signature_der", "certificate_der")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
