"""A trader's address book: parties, routes and goods lines saved to start the next declaration."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PARTIES = "parties", _("Tərəf")
    ROUTES = "routes", _("Marşrut")
    GOODS = "goods", _("Mal")


class SavedEntry(models.Model):
    """One saved entry of a trader (VÖEN): ``data`` holds the boxes as the document stores them
    (a party object; the route's top-level fields; a goods item), so applying it is a plain
    document edit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trader_voen = models.CharField(_("VÖEN"), max_length=10)
    kind = models.CharField(_("növ"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("ad"), max_length=200)
    data = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saxlanmış qeyd")
        verbose_name_plural = _("saxlanmış qeydlər")
        indexes = [models.Index(fields=["trader_voen", "kind", "name"], name="saved_trader_kind_name")]

    def __str__(self) -> str:
        return f"{self.trader_voen} {self.kind}: {self.name}"
