from django.contrib import admin

from gomruk.declarations.models import Declaration, StatusEvent, SubmissionTerms


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    fields = ("at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ("id", "registration_number", "trader_voen", "declaration_type", "direction", "procedure", "state", "office_code", "updated_at")
    list_filter = ("state", "declaration_type", "direction")
    search_fields = ("registration_number", "trader_voen")
    readonly_fields = ("document", "pending_input")
    inlines = [StatusEventInline]


@admin.register(SubmissionTerms)
class SubmissionTermsAdmin(admin.ModelAdmin):
    """Administrators publish a new version; published versions are not edited (acceptances
    copy the text they accepted, but the version a declarant saw must stay what it was)."""

    list_display = ("version", "published_at")
    ordering = ("-published_at",)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return ("version", "text_az", "text_en", "published_at") if obj else ()
