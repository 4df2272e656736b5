from django.contrib import admin

from gomruk.customs.admin import ReadOnlyAdmin
from gomruk.risk.models import RandomSelection, RiskAssessment, RiskProfile, RiskProfileVersion


@admin.register(RiskProfile)
class RiskProfileAdmin(ReadOnlyAdmin):
    """Profiles change through the risk analysts' pages and API (versioned, audited)."""

    list_display = ("code", "name", "active", "current_version", "updated_at")
    search_fields = ("code", "name")


@admin.register(RiskProfileVersion)
class RiskProfileVersionAdmin(ReadOnlyAdmin):
    list_display = ("profile", "number", "valid_from", "valid_to", "created_by", "created_at")


@admin.register(RandomSelection)
class RandomSelectionAdmin(ReadOnlyAdmin):
    list_display = ("office_code", "rate", "channel", "updated_by", "updated_at")


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("declaration", "score", "proposed_channel", "random_selected", "decision", "decided_channel", "created_at")
    list_filter = ("proposed_channel", "decision")
