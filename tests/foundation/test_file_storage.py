"""Uploaded files in the database (ADR 0029): the storage, the setting that chooses it, and
``gomruk files import-disk`` for deployments whose files are still on disk."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.http import FileResponse

from gomruk.core.files import DatabaseStorage
from gomruk.core.models import StoredFile
from gomruk.declarations.models import Attachment
from gomruk.declarations.services import declaration_create
from gomruk.demo import factories as examples
from gomruk.demo.users import demo_users_create

pytestmark = pytest.mark.django_db


def test_the_default_storage_is_the_database():
    assert isinstance(storages["default"], DatabaseStorage)


def test_save_open_exists_size_delete_keep_the_name_and_the_bytes():
    storage = DatabaseStorage()
    name = "attachments/0b6c1f5e-0000-4000-8000-000000000001/" + "a" * 32
    assert storage.save(name, ContentFile(b"%PDF-1.7 invoice")) == name
    assert storage.exists(name) and storage.size(name) == 16
    with storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.7 invoice"
    row = StoredFile.objects.get(name=name)
    assert (bytes(row.content), row.size) == (b"%PDF-1.7 invoice", 16)
    # A taken name is never overwritten: the second file gets a name of its own.
    other = storage.save(name, ContentFile(b"another"))
    assert other != name and other.startswith("attachments/0b6c1f5e-0000-4000-8000-000000000001/")
    assert storage.open(name).read() == b"%PDF-1.7 invoice" and storage.open(other).read() == b"another"
    assert storage.listdir("attachments") == (["0b6c1f5e-0000-4000-8000-000000000001"], [])
    storage.delete(name)
    assert not storage.exists(name) and storage.exists(other)
    with pytest.raises(FileNotFoundError):
        storage.open(name)
    with pytest.raises(FileNotFoundError):
        storage.size(name)


def test_a_stored_file_is_read_only_and_has_no_url():
    storage = DatabaseStorage()
    name = storage.save("complaints/1/x", ContentFile(b"\x89PNG"))
    with pytest.raises(ValueError):
        storage.open(name, "wb")
    with pytest.raises(NotImplementedError):
        storage.url(name)


def test_unsafe_names_are_refused():
    for name in ("../outside", "/etc/passwd"):
        with pytest.raises(Exception, match="path traversal|absolute|Detected"):
            default_storage.save(name, ContentFile(b"x"))
    assert not StoredFile.objects.exists()


def test_a_ten_megabyte_file_comes_back_byte_identical_and_streams_in_chunks():
    content = os.urandom(10 * 1024 * 1024)
    name = default_storage.save("attachments/big/" + "b" * 32, ContentFile(content))
    response = FileResponse(default_storage.open(name), content_type="application/pdf")
    assert response["Content-Length"] == str(len(content))
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == hashlib.sha256(content).hexdigest()


def test_a_file_saved_in_a_rolled_back_transaction_is_not_kept():
    with pytest.raises(RuntimeError), transaction.atomic():
        default_storage.save("attachments/rolled/back", ContentFile(b"x"))
        raise RuntimeError
    assert not default_storage.exists("attachments/rolled/back")


def _settings(tmp_path: Path, code: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOMRUK_") and k != "DATABASE_URL"}
    env.update({"GOMRUK_HOME": str(tmp_path / "home"), "DJANGO_SETTINGS_MODULE": "gomruk.settings", **extra})
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                          env=env, capture_output=True, text=True, timeout=60)


def test_filesystem_storage_is_one_setting_away(tmp_path):
    shown = "from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'], s.MEDIA_ROOT)"
    default = _settings(tmp_path, shown)
    assert default.stdout.split() == ["gomruk.core.files.DatabaseStorage", str(tmp_path / "home" / "uploads")]
    disk = _settings(tmp_path, shown, GOMRUK_FILE_STORAGE="filesystem", GOMRUK_UPLOADS_DIR=str(tmp_path / "shared"))
    assert disk.stdout.split() == ["django.core.files.storage.FileSystemStorage", str(tmp_path / "shared")]
    wrong = _settings(tmp_path, shown, GOMRUK_FILE_STORAGE="s3")
    assert wrong.returncode != 0 and "GOMRUK_FILE_STORAGE must be one of database, filesystem" in wrong.stderr


def _attachment(declaration, user, name: str, content: bytes) -> Attachment:
    return Attachment.objects.create(
        declaration=declaration, item_number=1, document_index=1, filename="copy.pdf",
        content_type="application/pdf", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        file=name, uploaded_by=user,
    )


def test_import_disk_copies_old_uploads_once_and_reports_what_is_missing(tmp_path, django_user_model):
    demo_users_create()
    user = django_user_model.objects.get(username="deklarant")
    declaration = declaration_create(user=user, document=examples.export_gb())
    old = tmp_path / "uploads"
    files = {f"attachments/{declaration.pk}/{'c' * 32}": b"%PDF-1.4 old copy",
             f"complaints/7/{'d' * 32}": os.urandom(300_000)}
    for name, content in files.items():
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_bytes(content)
    attachment = _attachment(declaration, user, next(iter(files)), files[next(iter(files))])

    call_command("files", "import-disk", "--from", str(old), stdout=(out := _Out()))
    assert f"Imported 2 files ({sum(map(len, files.values()))} bytes)" in out.text and "0 already" in out.text
    for name, content in files.items():
        assert default_storage.open(name).read() == content
    attachment.refresh_from_db()
    assert attachment.file.open("rb").read() == b"%PDF-1.4 old copy"

    # Again: nothing copied twice. A record whose file is nowhere, and a file whose bytes
    # differ from the stored copy, fail the run and are named.
    _attachment(declaration, user, f"attachments/{declaration.pk}/{'e' * 32}", b"lost")
    (old / next(iter(files))).write_bytes(b"%PDF-1.4 changed on disk")
    with pytest.raises(CommandError, match="1 files differ, 1 missing"):
        call_command("files", "import-disk", "--from", str(old), stdout=(out := _Out()))
    assert "Imported 0 files (0 bytes)" in out.text and "1 already in the database" in out.text
    assert f"DIFFERS (kept the database copy): attachments/{declaration.pk}/{'c' * 32}" in out.text
    assert f"MISSING (named by a record, stored nowhere): attachments/{declaration.pk}/{'e' * 32}" in out.text
    assert default_storage.open(next(iter(files))).read() == b"%PDF-1.4 old copy"
    assert StoredFile.objects.count() == 2


def test_import_disk_refuses_a_missing_directory_and_the_filesystem_storage(tmp_path, settings):
    with pytest.raises(CommandError, match="No such directory"):
        call_command("files", "import-disk", "--from", str(tmp_path / "nowhere"))
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with pytest.raises(CommandError, match="not 'database'"):
        call_command("files", "import-disk")


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
