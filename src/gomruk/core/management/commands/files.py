from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from gomruk.core.files import DatabaseStorage
from gomruk.core.files_import import import_disk


class Command(BaseCommand):
    help = (
        "Uploaded files. 'import-disk' copies the files under the old upload directory "
        "(GOMRUK_UPLOADS_DIR, default GOMRUK_HOME/uploads, or --from) into the database storage, "
        "then checks that every file a record names is stored (exit 1 if not). Safe to run again."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["import-disk"])
        parser.add_argument("--from", dest="root", metavar="DIR", help="the upload directory to copy from")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(storages["default"], DatabaseStorage):
            raise CommandError("GOMRUK_FILE_STORAGE is not 'database': the files are read from disk, nothing to import")
        root = Path(options["root"] or settings.MEDIA_ROOT)
        if options["root"] and not root.is_dir():
            raise CommandError(f"No such directory: {root}")
        report = import_disk(root)
        self.stdout.write(
            f"Imported {report.imported} files ({report.imported_bytes} bytes) from {root}; "
            f"{report.present} already in the database"
        )
        for name in report.differing:
            self.stdout.write(f"DIFFERS (kept the database copy): {name}")
        for name in report.missing:
            self.stdout.write(f"MISSING (named by a record, stored nowhere): {name}")
        if not report.ok:
            raise CommandError(f"{len(report.differing)} files differ, {len(report.missing)} missing")
