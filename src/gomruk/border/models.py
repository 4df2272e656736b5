"""Goods registered at a customs border post (S002) and the declarations that cover them.

An arrival moves ``registered → in_storage → declared → cleared``; it goes back to
``in_storage`` when the declaration covering it is refused or withdrawn. The trader's query
("my goods not yet cleared") is the hot path: one partial index serves it (see ``Meta``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gomruk.core.append_only import AppendOnly


class ArrivalState(models.TextChoices):
    REGISTERED = "registered", _("Qeydə alınıb")
    IN_STORAGE = "in_storage", _("Müvəqqəti saxlancdadır")
    DECLARED = "declared", _("Bəyan edilib")
    CLEARED = "cleared", _("Rəsmiləşdirilib")


#: The name of the partial index the trader's query must use (asserted by a PostgreSQL test).
GOODS_WAITING_INDEX = "border_goods_waiting"


class Arrival(models.Model):
    """Goods recorded at a border post in the name of a consignee (VÖEN)."""

    # A random key: an identifier cannot be guessed from another one.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    post_code = models.CharField(_("sərhəd buraxılış məntəqəsi (əlavə 11)"), max_length=5)
    consignee_voen = models.CharField(_("malı qəbul edənin VÖEN-i"), max_length=10)
    consignee_name = models.CharField(_("malı qəbul edən"), max_length=300, blank=True)
    arrived_at = models.DateTimeField(_("qeydə alınma vaxtı"))
    transport_mode = models.CharField(_("nəqliyyat növü (əlavə 7)"), max_length=2)
    vehicle_identifiers = models.CharField(_("nəqliyyat vasitəsinin nömrələri"), max_length=200)
    vehicle_count = models.PositiveSmallIntegerField(_("nəqliyyat vasitələrinin sayı"), default=1)
    transport_country = models.CharField(
        _("nəqliyyat vasitəsinin ölkəsi (əlavə 3, rəqəm kodu)"), max_length=3, blank=True
    )
    consignor_name = models.CharField(_("göndərən"), max_length=300)
    consignor_address = models.CharField(_("göndərənin ünvanı"), max_length=500, blank=True)
    consignor_country = models.CharField(_("göndərənin ölkəsi"), max_length=3, blank=True)
    description = models.TextField(_("malların təsviri"))
    commodity_codes = models.JSONField(_("XİF MN kodları"), default=list, blank=True)
    package_count = models.PositiveIntegerField(_("yerlərin sayı"), null=True, blank=True)
    package_kind = models.CharField(_("qablaşdırmanın növü"), max_length=100, blank=True)
    gross_mass = models.DecimalField(_("brutto çəki, kq"), max_digits=15, decimal_places=3)
    documents = models.JSONField(_("nəqliyyat və kommersiya sənədləri"), default=list, blank=True)
    storage_place = models.CharField(_("müvəqqəti saxlanc yeri"), max_length=200, blank=True)
    state = models.CharField(
        _("vəziyyət"), max_length=20, choices=ArrivalState.choices, default=ArrivalState.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-arrived_at", "-id"]
        verbose_name = _("sərhəddə qeydə alınmış mal")
        verbose_name_plural = _("sərhəddə qeydə alınmış mallar")
        indexes = [
            # Only not-yet-cleared goods are ever asked for by traders; cleared ones pile up
            # forever, so the partial index stays the size of the goods actually waiting.
            models.Index(
                fields=["consignee_voen", "-arrived_at", "-id"],
                condition=~Q(state="cleared"),
                name=GOODS_WAITING_INDEX,
            ),
            models.Index(fields=["post_code", "-arrived_at"], name="border_arrival_post"),
        ]

    def __str__(self) -> str:
        return f"{self.post_code} {self.arrived_at:%Y-%m-%d %H:%M} {self.consignee_voen}"


class ArrivalEvent(AppendOnly):
    """One state change of an arrival (append-only history)."""

    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    declaration = models.ForeignKey(
        "declarations.Declaration", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["arrival", "at", "id"]


class ArrivalDeclaration(models.Model):
    """The declaration covers this arrival (box 40 / box 30): the source of truth for
    "declared" and "cleared"."""

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="declaration_links")
    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="arrival_links"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["arrival", "declaration"], name="border_arrival_declaration_unique")
        ]
        verbose_name = _("bəyannamənin əhatə etdiyi mal")
        verbose_name_plural = _("bəyannamələrin əhatə etdiyi mallar")

    def __str__(self) -> str:
        return f"{self.arrival_id} ⇐ {self.declaration_id}"
