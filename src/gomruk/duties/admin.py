from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gomruk.duties.models import (
    ExchangeRate,
    FeeBracket,
    FeeSchedule,
    PrivilegeExemption,
    RateBulletin,
    TariffMeasure,
)


class ReadOnlyMixin:
    """Bulletins are CBAR's documents: imported, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExchangeRateInline(ReadOnlyMixin, admin.TabularInline):
    model = ExchangeRate
    extra = 0
    can_delete = False
    fields = ("code", "numeric_code", "name", "nominal_text", "value", "rate_per_unit")
    readonly_fields = fields


@admin.register(RateBulletin)
class RateBulletinAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("date", "name", "source", "imported_at")
    date_hierarchy = "date"
    search_fields = ("source", "name")
    readonly_fields = ("date", "name", "source", "sha256", "imported_at", "updated_at")
    inlines = [ExchangeRateInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("bulletin", "code", "numeric_code", "nominal_text", "value", "rate_per_unit")
    list_filter = ("code",)
    search_fields = ("code", "numeric_code", "name")
    list_select_related = ("bulletin",)


@admin.register(TariffMeasure)
class TariffMeasureAdmin(admin.ModelAdmin):
    list_display = (
        "commodity_prefix",
        "payment_type",
        "kind",
        "percent",
        "specific_amount",
        "currency",
        "unit",
        "valid_from",
        "valid_to",
        "note",
    )
    list_filter = ("payment_type", "kind")
    search_fields = ("commodity_prefix", "note")


@admin.register(PrivilegeExemption)
class PrivilegeExemptionAdmin(admin.ModelAdmin):
    list_display = ("privilege_code", "payment_types", "valid_from", "valid_to", "note")
    search_fields = ("privilege_code",)


class FeeBracketInline(admin.TabularInline):
    model = FeeBracket
    extra = 1
    fields = ("upper_bound", "amount")


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "name", "payment_type", "double_payment_type", "double_multiplier")
    inlines = [FeeBracketInline]
