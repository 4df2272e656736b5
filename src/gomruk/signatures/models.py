from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AsanState(models.TextChoices):
    PENDING = "pending", _("təsdiq gözlənilir")
    CONFIRMED = "confirmed", _("təsdiqləndi")
    REJECTED = "rejected", _("rədd edildi")
    EXPIRED = "expired", _("müddəti bitdi")


class AsanTransaction(models.Model):
    """One Asan İmza signing request: shown code, the phone's answer and the signature it returned.

    Only the SHA-256 of the payload is kept: the phone signs that digest (CMS messageDigest),
    and the caller verifies the returned signature against the full bytes it still holds.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="asan_transactions"
    )
    phone_number = models.CharField(_("telefon nömrəsi"), max_length=20, db_index=True)
    asan_user_id = models.CharField(_("Asan İmza istifadəçi ID"), max_length=20)
    purpose = models.CharField(_("məqsəd"), max_length=50)
    object_id = models.CharField(_("obyekt"), max_length=100, blank=True)
    payload_sha256 = models.CharField(_("məzmunun SHA-256"), max_length=64)
    verification_code = models.CharField(_("yoxlama kodu"), max_length=4)
    state = models.CharField(
        _("vəziyyət"), max_length=12, choices=AsanState.choices, default=AsanState.PENDING, db_index=True
    )
    gateway = models.CharField(_("şlüz"), max_length=30)
    gateway_reference = models.CharField(_("şlüz istinadı"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("yaradılıb"), auto_now_add=True)
    expires_at = models.DateTimeField(_("bitmə vaxtı"))
    completed_at = models.DateTimeField(_("tamamlanıb"), null=True, blank=True)
    signature_der = models.BinaryField(_("imza (CMS, DER)"), null=True, blank=True)
    certificate_der = models.BinaryField(_("sertifikat (DER)"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Asan İmza sorğusu")
        verbose_name_plural = _("Asan İmza sorğuları")

    def __str__(self) -> str:
        return f"{self.phone_number} {self.verification_code} {self.state}"

    @property
    def is_pending(self) -> bool:
        return self.state == AsanState.PENDING
