from django.contrib import admin

from gomruk.declarations.models import Declaration, StatusEvent


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
