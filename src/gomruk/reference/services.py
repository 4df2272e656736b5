"""Writes to the classifiers: the idempotent loader behind ``gomruk init``, and admin edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

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
