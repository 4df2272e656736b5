"""What customs records about a declaration besides its state: registration and the rates
fixed on the acceptance date, the control channel, control results (boxes C, D), and the
reasons given when a declaration is returned for correction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gomruk.core.append_only import AppendOnly
from gomruk.declarations.models import Declaration, StatusEvent


class Channel(models.TextChoices):
    GREEN = "green", _("Yaşıl dəhliz")
    YELLOW = "yellow", _("Sarı dəhliz")
    RED = "red", _("Qırmızı dəhliz")
    BLUE = "blue", _("Mavi dəhliz")


class Registration(AppendOnly):
    """One registration of a declaration by an officer (a returned and re-sent declaration is
    registered again). Declared and fixed rates are both kept: when the rates table had no
    rate, ``*_fixed`` is false and the declared value stayed in the document."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="registrations")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office_code = models.CharField(max_length=5)
    registration_number = models.CharField(max_length=40)
    acceptance_date = models.DateField(_("qəbul tarixi"))
    usd_rate_declared = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    usd_rate = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    usd_rate_date = models.DateField(null=True, blank=True)
    usd_rate_fixed = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, blank=True)
    currency_rate_declared = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    currency_rate = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    currency_rate_date = models.DateField(null=True, blank=True)
    currency_rate_fixed = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    #: Box B total (AZN) of the document as registered: the payments assessed, kept as a
    #: column so the dashboards sum it without reading documents.
    payments_assessed = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "created_at", "id"]
        indexes = [models.Index(fields=["acceptance_date", "office_code"], name="customs_registration_day")]
        verbose_name = _("qeydiyyat")
        verbose_name_plural = _("qeydiyyatlar")


class ChannelAssignment(AppendOnly):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("dəhliz"), max_length=10, choices=Channel.choices)
    reason = models.TextField(_("səbəb"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "created_at", "id"]
        indexes = [models.Index(fields=["created_at"], name="customs_channel_at")]
        verbose_name = _("nəzarət dəhlizi")
        verbose_name_plural = _("nəzarət dəhlizləri")


class ControlRecord(AppendOnly):
    """Each time an officer fills boxes C and D: the history behind the document's values."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="control_records")
    box_c = models.TextField(blank=True)
    box_d = models.JSONField(default=dict, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "created_at", "id"]


class ReturnReason(AppendOnly):
    """Why a declaration was returned for correction, per box (and goods item), shown to the
    declarant next to that box."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="return_reasons")
    event = models.ForeignKey(StatusEvent, on_delete=models.CASCADE, related_name="return_reasons")
    box = models.CharField(_("qrafa"), max_length=4)
    item = models.PositiveIntegerField(_("mal №"), null=True, blank=True)
    text = models.TextField(_("səbəb"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "event", "id"]
        indexes = [models.Index(fields=["created_at"], name="customs_return_reason_at")]
        verbose_name = _("qaytarılma səbəbi")
        verbose_name_plural = _("qaytarılma səbəbləri")
