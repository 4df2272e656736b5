from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """An append-only, hash-chained record of who did what to which object, and the outcome.

    ``entry_hash`` = SHA-256(previous hash ‖ canonical JSON of the entry's content), so a
    changed, removed or inserted row breaks the chain (``gomruk audit verify``). ``sequence``
    and the hashes stay empty until the entry is sealed into the chain (ADR 0004).
    """

    sequence = models.BigIntegerField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=20, default="ok")
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = [models.F("sequence").asc(nulls_last=True), "id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"]),
            # The sealer's work list: small, because entries leave it within moments.
            models.Index(fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        number = f"#{self.sequence}" if self.sequence is not None else f"(pending {self.pk})"
        return f"{number} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The one row that serialises writers of the audit chain and remembers its last link, so
    entries cut off the end of the chain are noticed too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"
