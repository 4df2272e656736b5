"""The default file storage: uploaded files kept in the database (``StoredFile``), so a second
web node needs no shared volume (ADR 0029). Attachments are at most 10 MB, so a file is read
whole into memory and handed out as a file object that responses stream in chunks.

Files are reached only through the records that name them (attachments, complaint attachments),
after those records' own scoping: the storage has no URLs of its own.
"""

from __future__ import annotations

import io

from django.core.files.base import File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

from gomruk.core.models import StoredFile


@deconstructible
class DatabaseStorage(Storage):
    def _open(self, name: str, mode: str = "rb") -> File:
        if set(mode) - set("rb"):
            # A stored file is never changed in place: an edit is a new upload under a new name.
            raise ValueError(f"database storage opens files for reading only, not {mode!r}")
        content = StoredFile.objects.filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(name)
        return File(io.BytesIO(bytes(content)), name=name)

    def _save(self, name: str, content: File) -> str:
        # Storage.save has wrapped any content in a File; a ContentFile made from text yields str.
        data = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8") for chunk in content.chunks())
        StoredFile.objects.create(name=name, content=data, size=len(data))
        return name

    def exists(self, name: str) -> bool:
        return StoredFile.objects.filter(name=name).exists()

    def delete(self, name: str) -> None:
        StoredFile.objects.filter(name=name).delete()

    def size(self, name: str) -> int:
        size = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return int(size)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        directories: set[str] = set()
        files: list[str] = []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True).order_by("name"):
            head, sep, _rest = name[len(prefix):].partition("/")
            if sep:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), files

    def url(self, name: str | None) -> str:
        raise NotImplementedError("stored files are served by the views of the records that own them")
