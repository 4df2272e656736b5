"""Moving a deployment's uploads from disk into the database storage (``gomruk files
import-disk``): every file under the old upload directory is copied under its storage name (its
path relative to that directory, the name the records hold), then every name a FileField of any
model holds is looked up, so a file that is on neither side is reported instead of found missing
at the next download. Running it again copies nothing twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import models

from gomruk.core.models import StoredFile


@dataclass
class ImportReport:
    imported: int = 0
    imported_bytes: int = 0
    present: int = 0
    # Already stored under the same name with other bytes: left as they are, for a person to judge.
    differing: list[str] = field(default_factory=list)
    # Named by a record, but neither on disk nor in the database.
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differing and not self.missing


def import_disk(root: Path) -> ImportReport:
    report = ImportReport()
    for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
        name = path.relative_to(root).as_posix()
        data = path.read_bytes()
        stored = StoredFile.objects.filter(name=name).values_list("content", flat=True).first()
        if stored is None:
            StoredFile.objects.create(name=name, content=data, size=len(data))
            report.imported += 1
            report.imported_bytes += len(data)
        elif bytes(stored) == data:
            report.present += 1
        else:
            report.differing.append(name)
    report.missing = _missing(_referenced_names())
    return report


def _referenced_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{model_field.name: ""})
                    .values_list(model_field.name, flat=True)
                )
    return names


def _missing(names: set[str]) -> list[str]:
    wanted = sorted(names)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        batch = wanted[start:start + 500]
        found.update(StoredFile.objects.filter(name__in=batch).values_list("name", flat=True))
    return [name for name in wanted if name not in found]
