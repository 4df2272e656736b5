"""Risk profiles (selectivity), their versions, the random-selection rate of each office, and
the assessment the engine makes of each registration.

A profile's content lives in its versions: a revision writes a new version and the old one
stays, so an assessment can always say which version judged the declaration. Nothing here is
ever shown to the trader.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gomruk.declarations.models import AppendOnly, Declaration


class RiskProfile(models.Model):
    """A named risk profile; what it checks is its latest version."""

    code = models.CharField(_("kod"), max_length=20, unique=True)
    name = models.CharField(_("ad"), max_length=200)
    active = models.BooleanField(_("aktivdir"), default=True)
    current_version = models.PositiveIntegerField(_("cari versiya"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk profili")
        verbose_name_plural = _("risk profilləri")

    def __str__(self) -> str:
        return f"{self.code} v{self.current_version}"


class RiskProfileVersion(AppendOnly):
    """One version of a profile. ``criteria`` is a list of
    ``{"kind": …, "params": {…}, "weight": int, "channel": str | ""}`` (see ``risk.criteria``)."""

    profile = models.ForeignKey(RiskProfile, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    criteria = models.JSONField(default=list)
    valid_from = models.DateField(_("başlanğıc"))
    valid_to = models.DateField(_("son"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["profile", "number"]
        constraints = [models.UniqueConstraint(fields=["profile", "number"], name="risk_profile_version_unique")]


class RandomSelection(models.Model):
    """The share of an office's registrations sent to ``channel`` at random, whatever the
    profiles say (0 ≤ rate ≤ 1)."""

    office_code = models.CharField(_("gömrük orqanı"), max_length=5, unique=True)
    rate = models.DecimalField(_("pay"), max_digits=5, decimal_places=4)
    channel = models.CharField(_("dəhliz"), max_length=10, default="red")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office_code"]
        verbose_name = _("təsadüfi seçim")
        verbose_name_plural = _("təsadüfi seçimlər")


class Decision(models.TextChoices):
    PENDING = "pending", _("Gözləyir")
    ACCEPTED = "accepted", _("Qəbul edildi")
    OVERRIDDEN = "overridden", _("Dəyişdirildi")


class RiskAssessment(models.Model):
    """What the engine proposed at one registration, why, and what the officer did with it.

    ``matched`` lists ``{"profile", "version_id", "version", "criterion", "kind", "weight",
    "channel", "items"}``; ``evaluated`` the ids of every profile version that judged it."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="risk_assessments")
    registration_id = models.BigIntegerField(null=True, blank=True)
    score = models.PositiveIntegerField(_("risk balı"), default=0)
    proposed_channel = models.CharField(_("təklif olunan dəhliz"), max_length=10)
    matched = models.JSONField(default=list)
    evaluated = models.JSONField(default=list)
    random_selected = models.BooleanField(default=False)
    random_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_channel = models.CharField(max_length=10, blank=True)
    decided_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "-created_at", "-id"]
        indexes = [models.Index(fields=["declaration", "-created_at"], name="risk_assessment_latest")]
        verbose_name = _("risk qiymətləndirməsi")
        verbose_name_plural = _("risk qiymətləndirmələri")
