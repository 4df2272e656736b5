"""What ``gomruk init`` and ``gomruk demo`` do, step by step, each step a service of its app."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from django.conf import settings


def _optional(module: str, name: str):  # type: ignore[no-untyped-def]
    """A step of an app that may not be installed in this build (returns None if absent)."""
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def initialise(*, demo: bool) -> Iterator[str]:
    from gomruk.reference.services import classifiers_load

    report = classifiers_load()
    yield (
        f"Classifiers: {len(report.classifiers)} loaded — {report.created} rows created, "
        f"{report.updated} updated, {report.unchanged} unchanged."
    )
    hs = _optional("gomruk.reference.services", "hs_load")
    if hs is not None:
        yield f"Harmonized System ({hs().source}): loaded."
    fee_load = _optional("gomruk.duties.services", "fee_schedule_load_default")
    if fee_load is not None:
        yield f"Customs clearance fee schedule: {fee_load()}"
    if not demo:
        return
    yield from _demo()


def _demo() -> Iterator[str]:
    from gomruk.accounts.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_create
    from gomruk.declarations.demo import demo_declarations_create

    demo_users_create()
    yield ""
    yield f"Demo users (password for all: {DEMO_PASSWORD}):"
    for user in DEMO_USERS:
        scope = ", ".join(user.voens) or user.office_code or "—"
        yield f"  {user.username:<11} {user.role:<15} {user.first_name} {user.last_name}  [{scope}]"
    pki = _optional("gomruk.signatures.demo_setup", "demo_keys_create")
    if pki is not None:
        yield ""
        yield f"Demo keys and certificates in {settings.GOMRUK_DEMO_DIR}:"
        yield from pki()
    rates = _optional("gomruk.duties.demo", "demo_rates_and_tariff_load")
    if rates is not None:
        yield rates()
    declarations = demo_declarations_create()
    yield ""
    yield f"Example declarations: {len(declarations)} (export GB, import GB with 12 items, transit GB)."
