from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classifier(models.Model):
    """One classifier of the Methodology's appendices 2–16 or a code list of §5.17."""

    name = models.SlugField(_("ad"), max_length=60, unique=True)
    appendix = models.CharField(_("əlavə"), max_length=10, blank=True)
    title_az = models.CharField(_("başlıq (az)"), max_length=300)
    title_en = models.CharField(_("başlıq (en)"), max_length=300)
    boxes = models.JSONField(_("qrafalar"), default=list, blank=True)
    extra_columns = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("təsnifat")
        verbose_name_plural = _("təsnifatlar")

    def __str__(self) -> str:
        return self.name


class ClassifierEntry(models.Model):
    """A row of a classifier. ``key`` is its stable identity (codes may repeat: Q-34)."""

    classifier = models.ForeignKey(Classifier, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(_("açar"), max_length=40)
    code = models.CharField(_("kod"), max_length=40, db_index=True)
    name_az = models.CharField(_("ad (az)"), max_length=1000)
    name_en = models.CharField(_("ad (en)"), max_length=1000, blank=True)
    valid_from = models.DateField(_("etibarlıdır (başlanğıc)"), null=True, blank=True)
    valid_to = models.DateField(_("etibarlıdır (son)"), null=True, blank=True)
    note = models.TextField(_("qeyd"), blank=True)
    attributes = models.JSONField(_("əlavə sütunlar"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["classifier", "position", "code"]
        unique_together = [("classifier", "key")]
        verbose_name = _("təsnifat sətri")
        verbose_name_plural = _("təsnifat sətirləri")

    def __str__(self) -> str:
        return f"{self.code} {self.name_az}"

    def data(self) -> dict[str, object]:
        return {
            "key": self.key,
            "code": self.code,
            "name_az": self.name_az,
            "name_en": self.name_en,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "note": self.note,
            "attributes": self.attributes,
        }


class ClassifierEntryHistory(models.Model):
    """The content a row had before it was changed (by ``gomruk init`` or in the admin)."""

    entry = models.ForeignKey(ClassifierEntry, on_delete=models.CASCADE, related_name="history")
    changed_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20)
    previous = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("təsnifat sətrinin tarixçəsi")
        verbose_name_plural = _("təsnifat sətirlərinin tarixçəsi")

    def __str__(self) -> str:
        return f"{self.entry} @ {self.changed_at:%Y-%m-%d %H:%M} ({self.source})"


class CommodityCodeRow(models.Model):
    """A line of the commodity nomenclature (box 33): an HS chapter, heading or subheading
    (``source`` "hs", loaded from the package) or a national 10-digit XİF MN code with its
    validity dates (``source`` "national", imported by administrators)."""

    SOURCES = (("hs", "HS"), ("national", _("XİF MN (milli)")))

    code = models.CharField(_("kod"), max_length=10, db_index=True)
    level = models.PositiveSmallIntegerField(_("səviyyə (rəqəm sayı)"))
    parent = models.CharField(_("üst kod"), max_length=10, blank=True)
    name_az = models.CharField(_("ad (az)"), max_length=1000, blank=True)
    name_en = models.CharField(_("ad (en)"), max_length=1000, blank=True)
    valid_from = models.DateField(_("etibarlıdır (başlanğıc)"), null=True, blank=True)
    valid_to = models.DateField(_("etibarlıdır (son)"), null=True, blank=True)
    source = models.CharField(_("mənbə"), max_length=10, choices=SOURCES)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["code", "source", "valid_from"]
        verbose_name = _("mal nomenklaturası sətri")
        verbose_name_plural = _("mal nomenklaturası")
        indexes = [models.Index(fields=["source", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name_az or self.name_en}"

    def as_code(self) -> Any:
        from gomruk.reference.nomenclature import CommodityCode

        return CommodityCode(
            code=self.code,
            level=self.level,
            parent=self.parent,
            name_en=self.name_en,
            name_az=self.name_az,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            source=self.source,
        )
