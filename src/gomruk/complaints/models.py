"""Administrative complaints against customs decisions (S002 §3.5; Customs Code art. 51).

A complaint is lodged by the trader against one decision on a declaration (the status event
that recorded it), with grounds and attachments, signed; it goes to the superior body of the
office that decided, which answers within the legal time limit with a written decision that
may reverse the original one. The complaint's content is fixed once lodged; its history is in
append-only rows (events, the signature, the decision).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gomruk.core.append_only import AppendOnly, SettledContent
from gomruk.declarations.models import Declaration, StatusEvent


class ComplaintState(models.TextChoices):
    DRAFT = "draft", _("Hazırlanır")
    LODGED = "lodged", _("Verilib")
    UNDER_REVIEW = "under_review", _("Baxılır")
    UPHELD = "upheld", _("Təmin edilib")
    REJECTED = "rejected", _("Rədd edilib")
    PARTLY_UPHELD = "partly_upheld", _("Qismən təmin edilib")
    DISCARDED = "discarded", _("Verilmədən ləğv edilib")


class ContestedDecision(models.TextChoices):
    REFUSAL = "refusal", _("Buraxılışdan imtina")
    RETURN = "return", _("Düzəliş üçün qaytarılma")
    CHANNEL = "channel", _("Nəzarət dəhlizinin təyini")
    PAYMENT = "payment", _("Gömrük ödənişlərinin hesablanması")
    AMENDMENT_REFUSAL = "amendment_refusal", _("Düzəliş sorğusunun rəddi")
    CANCELLATION_REFUSAL = "cancellation_refusal", _("Ləğv sorğusunun rəddi")


class Complaint(SettledContent):
    STATUS_FIELD = "state"
    MUTABLE_FIELDS = frozenset({"state", "updated_at"})

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="complaints")
    trader_voen = models.CharField(_("VÖEN"), max_length=10, db_index=True)
    #: The contested decision: the status event customs wrote when it took it.
    event = models.ForeignKey(StatusEvent, on_delete=models.PROTECT, related_name="complaints")
    decision = models.CharField(_("şikayət edilən qərar"), max_length=30, choices=ContestedDecision.choices)
    deciding_office = models.CharField(_("qərarı verən gömrük orqanı"), max_length=5)
    deciding_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The superior body that answers (appendix 11 hierarchy: post → department → Committee).
    reviewing_office = models.CharField(_("baxan orqan"), max_length=5, db_index=True)
    grounds = models.TextField(_("şikayətin əsasları"))
    state = models.CharField(
        _("vəziyyət"), max_length=20, choices=ComplaintState.choices, default=ComplaintState.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(null=True, blank=True)
    #: The last day to answer, and the dated time limit it was computed from.
    deadline = models.DateField(_("cavab müddəti"), null=True, blank=True)
    time_limit = models.JSONField(default=dict, blank=True)
    #: The exact bytes signed (canonical JSON of the complaint and its attachments' hashes).
    payload = models.BinaryField(default=b"")
    payload_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reviewing_office", "state", "deadline"], name="complaint_queue")]
        verbose_name = _("şikayət")
        verbose_name_plural = _("şikayətlər")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} — {self.declaration_id}"


def complaint_attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    return f"complaints/{instance.complaint_id}/{uuid.uuid4().hex}"


class ComplaintAttachment(AppendOnly):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=complaint_attachment_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "uploaded_at", "id"]


class ComplaintSignature(AppendOnly):
    """The trader's signature over the complaint's payload (certificate CMS or Asan İmza)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="signatures")
    provider = models.CharField(max_length=20)
    signer_name = models.CharField(max_length=300, blank=True)
    certificate_serial = models.CharField(max_length=100)
    certificate_sha256 = models.CharField(max_length=64)
    voen = models.CharField(max_length=10, blank=True)
    fin = models.CharField(max_length=7, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_der = models.BinaryField()
    payload_sha256 = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "created_at", "id"]


class ComplaintAsanRequest(AppendOnly):
    """Ties an Asan İmza transaction to the complaint payload it was started for."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="asan_requests")
    transaction_id = models.CharField(max_length=64, unique=True)
    payload_sha256 = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class ComplaintEvent(AppendOnly):
    """One step of a complaint (lodged, taken into review, decided): who, when, why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20, blank=True, choices=ComplaintState.choices)
    to_state = models.CharField(max_length=20, choices=ComplaintState.choices)
    text = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["complaint", "at", "id"]


class ComplaintDecision(AppendOnly):
    """The superior body's written decision, and what it reversed (if anything)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="decision_record")
    outcome = models.CharField(max_length=20, choices=ComplaintState.choices)
    text = models.TextField(_("qərarın mətni"))
    #: {"action": "reopen" | "amend" | "cancel" | "reassign_channel", …}; empty: nothing reversed.
    reversal = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office_code = models.CharField(max_length=5)
    created_at = models.DateTimeField(auto_now_add=True)
