from __future__ import annotations

from typing import Any

from django.contrib import admin

from gomruk.border.models import Arrival, ArrivalDeclaration, ArrivalEvent


class ReadOnly(admin.ModelAdmin):
    """History and links are written by services only (state changes, audit entries)."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Arrival)
class ArrivalAdmin(ReadOnly):
    list_display = ("arrived_at", "post_code", "consignee_voen", "consignor_name", "gross_mass", "state")
    list_filter = ("state", "transport_mode")
    search_fields = ("consignee_voen", "vehicle_identifiers", "consignor_name", "post_code")
    date_hierarchy = "arrived_at"
    show_full_result_count = False  # the table is large; counting it on every page is not


@admin.register(ArrivalEvent)
class ArrivalEventAdmin(ReadOnly):
    list_display = ("at", "arrival", "from_state", "to_state", "declaration", "actor")


@admin.register(ArrivalDeclaration)
class ArrivalDeclarationAdmin(ReadOnly):
    list_display = ("arrival", "declaration", "created_by", "created_at")
    raw_id_fields = ("arrival", "declaration")
