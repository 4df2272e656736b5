"""Writes to the classifiers: the idempotent loader behind ``gomruk init``, and admin edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gomruk.core.audit import audit_record
from gomruk.reference.data import Entry, manifest, read_entries
from gomruk.reference.models import Classifier, ClassifierEntry, ClassifierEntryHistory


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    classifiers: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _fields(entry: Entry, position: int) -> dict[str, Any]:
    return {
        "code": entry.code,
        "name_az": entry.name_az,
        "name_en": entry.name_en,
        "valid_from": entry.valid_from,
        "valid_to": entry.valid_to,
        "note": entry.note,
        "attributes": dict(entry.attributes),
        "position": position,
    }


def classifier_entry_update(*, row: ClassifierEntry, values: dict[str, Any], source: str) -> bool:
    """Change a row, keeping what it was before in its history. Returns False if nothing changed."""
    if all(getattr(row, name) == value for name, value in values.items()):
        return False
    ClassifierEntryHistory.objects.create(entry=row, source=source, previous=row.data())
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return True


@transaction.atomic
def classifiers_load() -> LoadReport:
    """Load every packaged classifier. A second run changes nothing; a changed file updates the
    rows it changed and keeps their previous content in the history. Rows that administrators
    added and that are not in the files are left as they are."""
    report = LoadReport()
    for spec in manifest():
        classifier, _ = Classifier.objects.update_or_create(
            name=spec.name,
            defaults={
                "appendix": spec.appendix,
                "title_az": spec.title_az,
                "title_en": spec.title_en,
                "boxes": list(spec.boxes),
                "extra_columns": list(spec.extra_columns),
            },
        )
        existing = {row.key: row for row in classifier.entries.all()}
        entries = read_entries(spec)
        new_rows = []
        for position, entry in enumerate(entries, start=1):
            values = _fields(entry, position)
            row = existing.get(entry.key)
            if row is None:
                new_rows.append(ClassifierEntry(classifier=classifier, key=entry.key, **values))
                report.created += 1
            elif classifier_entry_update(row=row, values=values, source="init"):
                report.updated += 1
            else:
                report.unchanged += 1
        ClassifierEntry.objects.bulk_create(new_rows, batch_size=500)
        report.classifiers[spec.name] = len(entries)
    return report


# --- The commodity nomenclature (box 33) ------------------------------------------------------


@dataclass
class NomenclatureReport:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def counts(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


_CODE_FIELDS = ("level", "parent", "name_az", "name_en", "valid_to")


def _nomenclature_upsert(rows: list[Any], source: str, report: NomenclatureReport) -> None:
    from gomruk.reference.models import CommodityCodeRow

    existing = {(r.code, r.valid_from): r for r in CommodityCodeRow.objects.filter(source=source)}
    new_rows = []
    for item in rows:
        values = {name: getattr(item, name) for name in _CODE_FIELDS}
        stored = existing.get((item.code, item.valid_from))
        if stored is None:
            new_rows.append(CommodityCodeRow(code=item.code, valid_from=item.valid_from, source=source, **values))
            report.created += 1
        elif all(getattr(stored, name) == value for name, value in values.items()):
            report.unchanged += 1
        else:
            for name, value in values.items():
                setattr(stored, name, value)
            stored.save()
            report.updated += 1
    CommodityCodeRow.objects.bulk_create(new_rows, batch_size=1000)


@transaction.atomic
def hs_load(*, actor: Any | None = None) -> NomenclatureReport:
    """Load the Harmonized System shipped with the package (``gomruk init``). Idempotent: a
    second run changes nothing."""
    from gomruk.reference.nomenclature import HS, HS_EDITION, read_hs

    report = NomenclatureReport(source=HS_EDITION)
    _nomenclature_upsert(read_hs(), HS, report)
    if report.changed:
        audit_record(actor=actor, action="nomenclature.hs.load", object_type="nomenclature",
                     object_id=HS_EDITION, details={"created": report.created, "updated": report.updated})
    return report


@transaction.atomic
def national_list_import(*, text: str, source: str, actor: Any | None = None) -> NomenclatureReport:
    """Import the national 10-digit XİF MN list (docs/tariff.md). The whole file is checked
    first: one bad line and nothing is imported. A code is identified by (code, valid_from);
    codes not in the file are left alone (close them with a ``valid_to``)."""
    from gomruk.reference.nomenclature import NATIONAL, current_nomenclature, read_national_csv

    rows = read_national_csv(text, current_nomenclature())
    report = NomenclatureReport(source=source)
    _nomenclature_upsert(rows, NATIONAL, report)
    if report.changed:
        audit_record(actor=actor, action="nomenclature.national.import", object_type="nomenclature",
                     object_id=source[:100], details={"created": report.created, "updated": report.updated,
                                                      "unchanged": report.unchanged})
    return report
