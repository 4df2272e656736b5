"""Small helpers that read settings from the environment (no defaults for secrets in production)."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_is_set(name: str) -> bool:
    return env_str(name) is not None


def env_export(name: str, value: str) -> None:
    """Hand a value down to the processes this one starts (workers, the task worker)."""
    os.environ[name] = value


FILE_STORAGES = {
    "database": "gomruk.core.files.DatabaseStorage",
    "filesystem": "django.core.files.storage.FileSystemStorage",
}


def file_storage() -> str:
    """The storage backend of uploaded files: GOMRUK_FILE_STORAGE, ``database`` (the default:
    any number of nodes, nothing to share) or ``filesystem`` (GOMRUK_UPLOADS_DIR, which every
    node must then mount)."""
    choice = (env_str("GOMRUK_FILE_STORAGE", "database") or "database").strip().lower()
    if choice not in FILE_STORAGES:
        raise ImproperlyConfigured(f"GOMRUK_FILE_STORAGE must be one of {', '.join(FILE_STORAGES)}, not {choice!r}")
    return FILE_STORAGES[choice]


def gomruk_home() -> Path:
    configured = env_str("GOMRUK_HOME")
    if configured:
        home = Path(configured).expanduser()
    else:
        from platformdirs import user_data_dir

        home = Path(user_data_dir("gomruk", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def secret_key(home: Path, production: bool) -> str:
    """SECRET_KEY from the environment; for local use, generated once and kept in GOMRUK_HOME."""
    return _local_secret(home, "SECRET_KEY", "secret_key", production, lambda: secrets.token_urlsafe(50))


def audit_key(home: Path, production: bool) -> bytes:
    """The key that authenticates audit entries and their links (HMAC-SHA256): from
    GOMRUK_AUDIT_KEY (32 characters or more), or generated into GOMRUK_HOME for local use. It
    must never be stored in the database it protects."""
    value = _local_secret(home, "GOMRUK_AUDIT_KEY", "audit_key", production, lambda: secrets.token_urlsafe(32))
    if len(value) < 32:
        raise ImproperlyConfigured("GOMRUK_AUDIT_KEY must be at least 32 characters long")
    return value.encode("utf-8")


def audit_signing_key(home: Path, production: bool) -> bytes:
    """The 32-byte Ed25519 private key that signs audit checkpoints: GOMRUK_AUDIT_SIGNING_KEY in
    base64, or generated into GOMRUK_HOME for local use."""
    value = _local_secret(
        home, "GOMRUK_AUDIT_SIGNING_KEY", "audit_signing_key", production,
        lambda: base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
    )
    try:
        seed = base64.b64decode(value.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured("GOMRUK_AUDIT_SIGNING_KEY must be 32 bytes in base64 (an Ed25519 private key)")
    return seed


def _local_secret(home: Path, variable: str, filename: str, production: bool, make: Callable[[], str]) -> str:
    value = env_str(variable)
    if value:
        return value
    if production:
        raise ImproperlyConfigured(f"{variable} must be set when GOMRUK_ENV=production")
    path = home / filename
    if not path.exists():
        # Written aside and linked into place, so two processes starting at once (a server and
        # its worker) end up with the same key, and none reads a half-written file.
        draft = home / f".{filename}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(make())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()
