from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gomruk.core.append_only import AppendOnly, SettledContent
from gomruk.core.json_text import JSONDocumentField


class State(models.TextChoices):
    DRAFT = "draft", _("Qaralama")
    SIGNED = "signed", _("İmzalanıb")
    CONFIRMED = "confirmed", _("Təsdiq edilib")
    SENT = "sent", _("Göndərilib")
    REGISTERED = "registered", _("Qeydiyyata alınıb")
    UNDER_CONTROL = "under_control", _("Gömrük nəzarətindədir")
    RELEASED = "released", _("Buraxılıb")
    REFUSED = "refused", _("İmtina edilib")
    RETURNED = "returned", _("Düzəliş üçün qaytarılıb")
    WITHDRAWN = "withdrawn", _("Geri götürülüb")
    #: Invalidated at the declarant's request; the number is never used again.
    CANCELLED = "cancelled", _("Ləğv edilib")
    #: Released, then changed by a post-clearance amendment.
    AMENDED = "amended", _("Buraxılışdan sonra dəyişdirilib")


class Declaration(models.Model):
    """A declaration: its current document plus the columns that are searched and scoped on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations_created"
    )
    trader_voen = models.CharField(_("XİFİ VÖEN"), max_length=10, db_index=True)
    declaration_type = models.CharField(_("bəyannamənin növü"), max_length=2, default="01")
    direction = models.CharField(_("istiqamət"), max_length=2, blank=True)
    procedure = models.CharField(_("prosedur"), max_length=2, blank=True)
    state = models.CharField(_("mərhələ"), max_length=20, choices=State.choices, default=State.DRAFT)
    office_code = models.CharField(_("təyinat gömrük orqanı"), max_length=5, blank=True, db_index=True)
    registration_number = models.CharField(
        _("qeydiyyat nömrəsi"), max_length=40, unique=True, null=True, blank=True
    )
    sent_at = models.DateTimeField(_("göndərilib"), null=True, blank=True)
    acceptance_date = models.DateField(_("qəbul tarixi"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versiya"), default=1)
    document = JSONDocumentField(_("sənəd"), default=dict)
    pending_input = models.JSONField(
        _("yadda saxlanmış, lakin tanınmamış daxiletmə"),
        default=dict,
        blank=True,
        help_text=_("Values a user typed that could not be read yet: kept, never dropped."),
    )
    computed_values = models.JSONField(
        _("sistemin hesabladığı dəyərlər"),
        default=dict,
        blank=True,
        help_text=_("Pointer → the value the system last computed there: tells a stale computed value from an override."),
    )
    #: Moved on by PostgreSQL whenever a statement writes ``document`` (``core.revisions``,
    #: ADR 0045); never written by the application, and not read on other databases.
    document_revision = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("bəyannamə")
        verbose_name_plural = _("bəyannamələr")
        indexes = [
            models.Index(fields=["trader_voen", "state", "-updated_at"]),
            models.Index(fields=["office_code", "state", "sent_at"]),
            # Dashboards join an office's declarations to their events: an index-only scan on
            # PostgreSQL (covering columns are ignored where unsupported).
            models.Index(fields=["office_code"], include=["id", "sent_at"], name="declaration_office_cover"),
        ]

    def __str__(self) -> str:
        return self.registration_number or f"{self.declaration_type} {self.direction}{self.procedure} {self.id}"


class DeclarationVersion(AppendOnly):
    """A frozen version of the document: what was signed. Never changed after it is written.

    ``payload`` is the exact byte string a signer signs (see ``signing.signing_payload``);
    ``canonical_sha256`` hashes the document alone, ``payload_sha256`` the whole payload.
    """

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = JSONDocumentField()
    canonical_sha256 = models.CharField(max_length=64)
    attachments = models.JSONField(default=list, blank=True)
    payload = models.BinaryField(default=b"")
    payload_sha256 = models.CharField(max_length=64, blank=True)
    #: The signing gate's verdict on this version ("valid" or empty: not judged yet) and the
    #: date it is for: "valid" means signable that day, so another day judges again. The one
    #: pair of columns written after the row (``.update()``): the content never changes.
    verdict = models.CharField(max_length=10, blank=True, default="")
    validated_on = models.DateField(null=True, blank=True)
    #: The draft's ``document_revision`` this version was frozen from, on PostgreSQL (None:
    #: unknown, elsewhere or for a version not frozen from the draft): while the draft's is the
    #: same, the draft still holds this document (ADR 0045).
    draft_revision = models.BigIntegerField(null=True, blank=True, editable=False)
    #: The document's party boxes (``ownership.PARTY_FIELDS``, those it has), written with it:
    #: the signature and the send check who may sign for the parties from these few keys, read
    #: with the version's row (None: frozen before they were kept; picked out of the document).
    parties = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    #: Not a column: the SHA-256 of the stored payload as the database computed it, where a
    #: selector read that instead of the payload (``selectors.VERSION_FIELDS_DIGESTED``).
    stored_payload_digest: bytes | None = None

    class Meta:
        unique_together = [("declaration", "number")]
        ordering = ["declaration", "number"]


class StatusEvent(AppendOnly):
    """One transition of a declaration's lifecycle (append-only)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["declaration", "at", "id"]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.declaration_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A copy of a document of box 44, attached to its line (item, line index)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="attachments")
    item_number = models.PositiveIntegerField(null=True, blank=True)
    document_index = models.PositiveIntegerField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "uploaded_at"]


class DeclarationSignature(AppendOnly):
    """A verified signature over one frozen version. A later edit makes a new version, so the
    signature stays attached to the content it covers and no longer counts for the draft."""

    class Provider(models.TextChoices):
        CERTIFICATE = "certificate", _("Elektron imza")
        ASAN = "asan", _("Asan İmza")

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(DeclarationVersion, on_delete=models.PROTECT, related_name="signatures")
    provider = models.CharField(max_length=20, choices=Provider.choices)
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
    # The fingerprint of the trust store (anchors, CRLs) that verified it; the send verifies it
    # again only under another store (ADR 0053). Blank: verified before this was kept.
    trust_state = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["declaration", "created_at", "id"]
        verbose_name = _("bəyannamə imzası")
        verbose_name_plural = _("bəyannamə imzaları")


class AsanSigningRequest(AppendOnly):
    """Ties an Asan İmza transaction to the declaration version it was started for, so a
    confirmed transaction cannot be redeemed on another declaration."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="asan_requests")
    version_number = models.PositiveIntegerField()
    transaction_id = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class SubmissionTerms(models.Model):
    """A published version of the "conditions of submission of the electronic customs
    declaration" that the declarant accepts before confirming (S000 step 6)."""

    version = models.CharField(_("versiya"), max_length=20, unique=True)
    text_az = models.TextField(_("mətn (az)"))
    text_en = models.TextField(_("mətn (en)"), blank=True)
    published_at = models.DateTimeField(_("dərc edilib"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("təqdimetmə şərtləri")
        verbose_name_plural = _("təqdimetmə şərtləri")

    def __str__(self) -> str:
        return self.version


class TermsAcceptance(AppendOnly):
    """Who accepted which terms (their exact text is copied), for which version, and when."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="terms_acceptances")
    version_number = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    terms_version = models.CharField(max_length=20)
    terms_text = models.TextField()
    terms_sha256 = models.CharField(max_length=64)
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["declaration", "accepted_at", "id"]


class RegistrationCounter(models.Model):
    """Last box-7 sequence used per customs office and year; locked while a number is taken."""

    office_code = models.CharField(max_length=5)
    year = models.PositiveIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office_code", "year"], name="registration_counter_office_year")
        ]

    def __str__(self) -> str:
        return f"{self.office_code}/{self.year}: {self.last_sequence}"


# --- After sending: amendment and cancellation requests (issue 19) ----------------------------


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Hazırlanır")
    REQUESTED = "requested", _("Gömrükdə baxılır")
    ACCEPTED = "accepted", _("Qəbul edilib")
    REFUSED = "refused", _("Rədd edilib")
    DISCARDED = "discarded", _("Ləğv edilib (göndərilmədən)")


class DecisionOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Qəbul edildi")
    REFUSED = "refused", _("Rədd edildi")


class AmendmentKind(models.TextChoices):
    #: Before registration: the new version replaces the one sent.
    REPLACEMENT = "replacement", _("Qeydiyyatdan əvvəl əvəzetmə")
    #: Registered, goods not yet released: the new version becomes current, payments recomputed.
    AMENDMENT = "amendment", _("Buraxılışdan əvvəl düzəliş")
    #: After release: the declaration becomes "amended after release".
    POST_CLEARANCE = "post_clearance", _("Buraxılışdan sonrakı düzəliş")


class AmendmentRequest(SettledContent):
    """The declarant's request to change a declaration customs holds: a new version, edited as
    a working copy (``document``), frozen and signed, then decided by the holding office."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveIntegerField(_("sorğu №"))
    #: The version customs held when the working copy was started: the differences are shown
    #: against it, and the request is stale if another version became current meanwhile.
    base_version = models.PositiveIntegerField()
    document = models.JSONField(_("yeni versiyanın sənədi"), default=dict)
    pending_input = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("səbəb"), blank=True)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    #: The frozen version (set when the working copy is frozen for signing).
    version = models.ForeignKey(
        DeclarationVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature = models.ForeignKey(
        DeclarationSignature, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The declaration's state when the request was sent.
    state_at_request = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["declaration", "number"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="amendment_number_unique"),
        ]
        verbose_name = _("düzəliş sorğusu")
        verbose_name_plural = _("düzəliş sorğuları")


class AmendmentDecision(AppendOnly):
    """The holding office's (or, on a complaint, the superior body's) answer to an amendment."""

    #: Usually one; a refusal reversed on a complaint adds the superior body's acceptance.
    request = models.ForeignKey(AmendmentRequest, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    kind = models.CharField(max_length=20, choices=AmendmentKind.choices)
    reason = models.TextField(blank=True)
    #: Refusal reasons per box: [{"box": "33", "item": 2, "text": "…"}].
    box_reasons = models.JSONField(default=list, blank=True)
    #: Payments before and after on the same date, and the difference (boxes 47 and B).
    payments = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office_code = models.CharField(max_length=5)
    event = models.ForeignKey(StatusEvent, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "created_at", "id"]


class CancellationRequest(SettledContent):
    """The declarant's request to invalidate a declaration (before release; after release only
    for goods that were not taken, as the law allows)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="cancellations")
    number = models.PositiveIntegerField(_("sorğu №"))
    reason = models.TextField(_("səbəb"))
    #: After release the declarant states that the goods were not taken out of customs control.
    goods_not_taken = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    state_at_request = models.CharField(max_length=20)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["declaration", "number"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="cancellation_number_unique"),
        ]
        verbose_name = _("ləğv sorğusu")
        verbose_name_plural = _("ləğv sorğuları")


class CancellationDecision(AppendOnly):
    """The answer to a cancellation request (a refusal reversed on a complaint adds another)."""

    request = models.ForeignKey(CancellationRequest, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office_code = models.CharField(max_length=5)
    event = models.ForeignKey(StatusEvent, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "created_at", "id"]
