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
