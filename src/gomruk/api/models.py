"""Idempotency keys of the API: a replayed POST returns the first response."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("icra olunur")
        COMPLETED = "completed", _("tamamlanıb")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("açar"), max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    # "zlib": the body is stored compressed (a created declaration answers with its whole
    # document, ~100 KB for 100 items, and JSON compresses tenfold); "": as it was sent.
    response_encoding = models.CharField(max_length=8, blank=True, db_default="")
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]
        verbose_name = _("idempotentlik açarı")
        verbose_name_plural = _("idempotentlik açarları")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} {self.status}"
