from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """An append-only, chained record of who did what to which object, and the outcome.

    ``mac`` authenticates the content (and ``nonce``) with a key the database does not hold, from
    the moment the entry is written; ``entry_hash`` links it, keyed too, to the previous entry
    when it is sealed (ADR 0004, ADR 0009). A changed, removed, inserted or forged row breaks
    the chain (``gomruk audit verify``). ``sequence`` and the links stay empty until sealing;
    ``refused`` marks a row that sealing would not link because its ``mac`` is wrong. Entries
    sealed before the trail had a key have no ``mac`` and an unkeyed SHA-256 link.
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
    nonce = models.CharField(max_length=32, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")
    refused = models.BooleanField(default=False)
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
        constraints = [
            # A copy of an authentic row (a replay) cannot enter the trail twice.
            models.UniqueConstraint(fields=["mac"], condition=~models.Q(mac=""), name="audit_mac_unique"),
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
    # Names the entry key that seals this chain, so a node with another key stops with a clear
    # error instead of refusing every entry as forged.
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"


class AuditCheckpoint(models.Model):
    """A signed statement "the chain had ``sequence`` entries ending in ``head_hash``" (ADR 0009).

    Kept here so every web node can serve the latest one, and appended to a file outside the
    database, so deleting rows here (to hide a truncated chain) is noticed too."""

    sequence = models.BigIntegerField(unique=True)
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    public_key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.head_hash[:12]} {self.created_at:%Y-%m-%d %H:%M:%S}"


class StoredFile(models.Model):
    """The bytes of an uploaded file under its storage name (``gomruk.core.files``): in the
    database, so that every web node of a deployment reads the files any node stored."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
