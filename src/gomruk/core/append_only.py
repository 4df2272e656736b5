"""History rows (status events, frozen versions, signatures, border events): written once.

An abstract model, so any app's history table can be append-only without importing the app
that first needed one; in its own module so the audit chain's ``core/models.py`` stays apart.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnly(models.Model):
    """Rows that are history: saving an existing row raises instead of rewriting it."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)


class SettledContent(models.Model):
    """A request whose content is fixed once it leaves its draft: afterwards only its status
    columns change (through the services); its history lives in append-only rows beside it.

    ``STATUS_FIELD`` names the status column and ``DRAFT`` its draft value; ``MUTABLE_FIELDS``
    the columns a settled row may still change (``save(update_fields=…)`` is required)."""

    STATUS_FIELD = "status"
    DRAFT = "draft"
    MUTABLE_FIELDS: frozenset[str] = frozenset({"status", "updated_at"})

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        settled = not self._state.adding and getattr(self, "_settled_when_read", False)
        fields = kwargs.get("update_fields")
        if settled and (fields is None or not set(fields) <= self.MUTABLE_FIELDS):
            raise ValueError(
                f"{type(self).__name__}: only {sorted(self.MUTABLE_FIELDS)} may change once it is sent"
            )
        super().save(*args, **kwargs)
        self._settled_when_read = self._settled()

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Any:
        row = super().from_db(*args, **kwargs)
        row._settled_when_read = row._settled()
        return row

    def _settled(self) -> bool:
        return getattr(self, self.STATUS_FIELD, self.DRAFT) != self.DRAFT
