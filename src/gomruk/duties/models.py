"""Exchange rates, the tariff, privilege exemptions and the customs-fee schedule.

The architecture puts these under ``reference``; they live in ``duties`` so that one
engineer owns them (see docs/payments.md). They are reference data: loaded from files by a
command, editable in the admin, read by the calculation through an in-memory snapshot.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateBulletin(models.Model):
    """One CBAR bulletin. Its own ``Date`` is the key: a request for a weekend date returns
    the previous bulletin, which must not be stored twice."""

    date = models.DateField(_("bülletenin tarixi"), unique=True)
    name = models.CharField(_("ad"), max_length=300, blank=True)
    source = models.CharField(_("mənbə"), max_length=500)
    sha256 = models.CharField(_("məzmunun SHA-256"), max_length=64)
    imported_at = models.DateTimeField(_("yüklənib"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("AMB məzənnə bülleteni")
        verbose_name_plural = _("AMB məzənnə bülletenləri")

    def __str__(self) -> str:
        return self.date.strftime("%d.%m.%Y")


class ExchangeRate(models.Model):
    bulletin = models.ForeignKey(RateBulletin, on_delete=models.CASCADE, related_name="rates")
    code = models.CharField(_("hərfi kod"), max_length=10, db_index=True)
    numeric_code = models.CharField(_("rəqəmli kod (Əlavə 5)"), max_length=3, blank=True, db_index=True)
    name = models.CharField(_("ad"), max_length=200, blank=True)
    kind = models.CharField(_("növ"), max_length=100, blank=True)
    nominal = models.DecimalField(_("nominal"), max_digits=12, decimal_places=4)
    nominal_text = models.CharField(_("nominal (bülletendə)"), max_length=20)
    value = models.DecimalField(_("dəyər (AZN / nominal)"), max_digits=20, decimal_places=6)
    rate_per_unit = models.DecimalField(_("1 vahid üçün AZN"), max_digits=24, decimal_places=10)

    class Meta:
        ordering = ["bulletin", "code"]
        unique_together = [("bulletin", "code")]
        verbose_name = _("valyuta məzənnəsi")
        verbose_name_plural = _("valyuta məzənnələri")

    def __str__(self) -> str:
        return f"{self.code} {self.value}/{self.nominal_text}"


class MeasureKind(models.TextChoices):
    AD_VALOREM = "ad_valorem", _("advalor (%)")
    SPECIFIC = "specific", _("xüsusi (vahid üçün məbləğ)")
    COMBINED = "combined", _("kombinə (% , lakin vahid üçün məbləğdən az olmayaraq)")
    BANDS = "bands", _("mühərrik həcmi üzrə pillələr (sm³)")


class TariffMeasure(models.Model):
    """A payment (Appendix 8 type) charged on goods whose 10-digit code starts with
    ``commodity_prefix``; the longest matching prefix wins per payment type."""

    commodity_prefix = models.CharField(_("mal kodunun prefiksi"), max_length=10, blank=True, db_index=True)
    kind = models.CharField(_("ölçünün növü"), max_length=20, choices=MeasureKind.choices)
    payment_type = models.CharField(_("ödəniş növü (Əlavə 8)"), max_length=2)
    percent = models.DecimalField(_("faiz"), max_digits=9, decimal_places=4, null=True, blank=True)
    specific_amount = models.DecimalField(
        _("vahid üçün məbləğ"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    currency = models.CharField(_("valyuta"), max_length=3, blank=True)
    unit = models.CharField(_("ölçü vahidi (Əlavə 16)"), max_length=3, blank=True)
    bands = models.JSONField(_("pillələr"), default=list, blank=True)
    valid_from = models.DateField(_("etibarlıdır (başlanğıc)"), null=True, blank=True)
    valid_to = models.DateField(_("etibarlıdır (son)"), null=True, blank=True)
    source = models.CharField(_("mənbə"), max_length=200, blank=True)
    note = models.CharField(_("qeyd"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commodity_prefix", "payment_type", "valid_from"]
        verbose_name = _("tarif ölçüsü")
        verbose_name_plural = _("tarif ölçüləri")

    def __str__(self) -> str:
        return f"{self.commodity_prefix or '*'} {self.payment_type} {self.kind}"


class PrivilegeExemption(models.Model):
    """A privilege of Appendix 14 (box 36) that exempts goods from given payment types."""

    privilege_code = models.CharField(_("imtiyaz kodu (Əlavə 14)"), max_length=3, db_index=True)
    payment_types = models.JSONField(_("azad olunan ödəniş növləri"), default=list)
    valid_from = models.DateField(_("etibarlıdır (başlanğıc)"), null=True, blank=True)
    valid_to = models.DateField(_("etibarlıdır (son)"), null=True, blank=True)
    source = models.CharField(_("mənbə"), max_length=200, blank=True)
    note = models.CharField(_("qeyd"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["privilege_code", "valid_from"]
        verbose_name = _("imtiyaz üzrə azadolma")
        verbose_name_plural = _("imtiyazlar üzrə azadolmalar")

    def __str__(self) -> str:
        return f"{self.privilege_code} → {', '.join(self.payment_types)}"


class FeeSchedule(models.Model):
    """Customs clearance fees (payment type 01) by customs-value bracket, from a date on.
    The schedule in force on a day is the one with the latest ``valid_from`` not after it."""

    valid_from = models.DateField(_("qüvvəyə minir"), unique=True)
    name = models.CharField(_("ad"), max_length=200)
    payment_type = models.CharField(_("ödəniş növü"), max_length=2, default="01")
    double_payment_type = models.CharField(
        _("ikiqat yığımın ödəniş növü"),
        max_length=2,
        default="02",
        help_text=_("İş vaxtından və ya iş yerindən kənar rəsmiləşdirmə (Əlavə 8)."),
    )
    double_multiplier = models.DecimalField(_("ikiqat əmsal"), max_digits=4, decimal_places=2, default=2)
    source = models.CharField(_("mənbə"), max_length=200, blank=True)
    note = models.CharField(_("qeyd"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("gömrük yığımları cədvəli")
        verbose_name_plural = _("gömrük yığımları cədvəlləri")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d.%m.%Y})"


class FeeBracket(models.Model):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="brackets")
    upper_bound = models.DecimalField(
        _("gömrük dəyərinin yuxarı həddi (AZN)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Boş: həddən yuxarı bütün dəyərlər."),
    )
    amount = models.DecimalField(_("yığım (AZN)"), max_digits=12, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["schedule", models.F("upper_bound").asc(nulls_last=True)]
        verbose_name = _("yığım pilləsi")
        verbose_name_plural = _("yığım pillələri")

    def __str__(self) -> str:
        bound = f"≤ {self.upper_bound}" if self.upper_bound is not None else "∞"
        return f"{bound}: {self.amount}"
