from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DECLARANT = "declarant", _("Bəyannaməçi")
    REPRESENTATIVE = "representative", _("Təmsilçi / gömrük brokeri")
    OFFICER = "officer", _("Gömrük əməkdaşı")
    RISK_ANALYST = "risk_analyst", _("Risk analitiki")
    ADMINISTRATOR = "administrator", _("İnzibatçı")


class User(AbstractUser):
    """A person who logs in. What data they may reach follows from role and bindings."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.DECLARANT)
    fin = models.CharField(_("FİN"), max_length=7, blank=True, db_index=True)
    phone_number = models.CharField(_("telefon nömrəsi"), max_length=20, blank=True)
    asan_user_id = models.CharField(_("Asan İmza istifadəçi ID"), max_length=20, blank=True)
    office_code = models.CharField(
        _("gömrük orqanı (əlavə 11)"), max_length=5, blank=True, help_text=_("Only for officers.")
    )
    is_demo = models.BooleanField(_("demo istifadəçi"), default=False)
    is_supervisor = models.BooleanField(
        _("növbə rəhbəri"),
        default=False,
        help_text=_("An officer who assigns the office's declarations to other officers."),
    )

    class Meta:
        verbose_name = _("istifadəçi")
        verbose_name_plural = _("istifadəçilər")

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_risk_analyst(self) -> bool:
        return self.role == Role.RISK_ANALYST

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser


class Trader(models.Model):
    """A foreign-trade participant (XİFİ) identified by its VÖEN."""

    voen = models.CharField(_("VÖEN"), max_length=10, unique=True)
    name = models.CharField(_("ad"), max_length=300)
    address = models.CharField(_("ünvan"), max_length=500, blank=True)
    is_aeo = models.BooleanField(_("Səlahiyyətli İqtisadi Operator"), default=False)

    class Meta:
        verbose_name = _("XİF iştirakçısı")
        verbose_name_plural = _("XİF iştirakçıları")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.voen} {self.name}"


class TraderBinding(models.Model):
    """The user acts for this trader as its own declarant (a VÖEN in the user's certificate)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trader_bindings")
    trader = models.ForeignKey(Trader, on_delete=models.CASCADE, related_name="user_bindings")

    class Meta:
        unique_together = [("user", "trader")]
        verbose_name = _("VÖEN bağlılığı")
        verbose_name_plural = _("VÖEN bağlılıqları")

    def __str__(self) -> str:
        return f"{self.user} → {self.trader.voen}"


class BrokerLicence(models.Model):
    """The SCC licence (special permit) of a customs broker, printed in box 14."""

    representative = models.OneToOneField(User, on_delete=models.CASCADE, related_name="broker_licence")
    firm = models.ForeignKey(Trader, on_delete=models.PROTECT, related_name="broker_licences")
    number = models.CharField(_("lisenziya nömrəsi"), max_length=50)
    issued_on = models.DateField(_("lisenziya tarixi"))
    valid_to = models.DateField(_("etibarlıdır"), null=True, blank=True)

    class Meta:
        verbose_name = _("broker lisenziyası")
        verbose_name_plural = _("broker lisenziyaları")

    def __str__(self) -> str:
        return f"{self.number} ({self.firm.voen})"


class Representation(models.Model):
    """A representative / broker is authorised to declare for a principal trader."""

    representative = models.ForeignKey(User, on_delete=models.CASCADE, related_name="representations")
    principal = models.ForeignKey(Trader, on_delete=models.CASCADE, related_name="representatives")
    document = models.CharField(_("təmsilçilik sənədi"), max_length=200, blank=True)
    valid_from = models.DateField(_("başlanğıc"), null=True, blank=True)
    valid_to = models.DateField(_("son"), null=True, blank=True)

    class Meta:
        unique_together = [("representative", "principal")]
        verbose_name = _("təmsilçilik")
        verbose_name_plural = _("təmsilçiliklər")

    def __str__(self) -> str:
        return f"{self.representative} ⇒ {self.principal.voen}"


class AuthChallenge(models.Model):
    """A one-time nonce an API client signs with its certificate to obtain a token."""

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("yaradılıb"), auto_now_add=True)
    expires_at = models.DateTimeField(_("bitmə vaxtı"))
    used_at = models.DateTimeField(_("istifadə olunub"), null=True, blank=True)

    class Meta:
        verbose_name = _("autentifikasiya sorğusu")
        verbose_name_plural = _("autentifikasiya sorğuları")


class ApiToken(models.Model):
    """A bearer token of the API. Only the SHA-256 of the secret is stored.

    The token is bound to the user and to what the user could reach when it was issued
    (its VÖENs or its office); each request narrows that to what the user may reach now.
    """

    key_hash = models.CharField(_("açarın SHA-256"), max_length=64, unique=True)
    prefix = models.CharField(_("açarın əvvəli"), max_length=8)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    voens = models.JSONField(_("VÖEN-lər"), default=list, blank=True)
    office_code = models.CharField(_("gömrük orqanı"), max_length=5, blank=True)
    method = models.CharField(_("üsul"), max_length=20)  # "password" | "certificate"
    certificate_serial = models.CharField(_("sertifikatın seriya nömrəsi"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("yaradılıb"), auto_now_add=True)
    expires_at = models.DateTimeField(_("bitmə vaxtı"), db_index=True)
    revoked_at = models.DateTimeField(_("ləğv edilib"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("son istifadə"), null=True, blank=True)

    class Meta:
        verbose_name = _("API tokeni")
        verbose_name_plural = _("API tokenləri")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.user}"
