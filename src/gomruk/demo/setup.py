"""What ``gomruk init`` and ``gomruk demo`` do, step by step, each step a service of its app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from django.conf import settings

from gomruk.accounts.models import User
from gomruk.declarations.models import Declaration
from gomruk.declarations.services import declaration_create
from gomruk.demo import factories
from gomruk.demo.pki import DemoIdentity, DemoPKI, demo_pki_create
from gomruk.demo.users import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from gomruk.duties.services import fee_schedule_load_default, rate_bulletin_import, tariff_import
from gomruk.reference.services import classifiers_load, hs_load
from gomruk.signatures.local import demo_dir

SAMPLE_BULLETIN = "sample_bulletin.xml"


def initialise(*, demo: bool) -> Iterator[str]:
    report = classifiers_load()
    yield (
        f"Classifiers: {len(report.classifiers)} loaded — {report.created} rows created, "
        f"{report.updated} updated, {report.unchanged} unchanged."
    )
    yield f"Harmonized System ({hs_load().source}): loaded."
    yield f"Customs clearance fee schedule: {fee_schedule_load_default()}"
    if not demo:
        return
    yield from _demo()


def _demo() -> Iterator[str]:
    demo_users_create()
    yield ""
    yield f"Demo users (password for all: {DEMO_PASSWORD}):"
    for user in DEMO_USERS:
        scope = ", ".join(user.voens) or user.office_code or "—"
        yield f"  {user.username:<11} {user.role:<15} {user.first_name} {user.last_name}  [{scope}]"
    yield ""
    yield f"Demo keys and certificates in {settings.GOMRUK_DEMO_DIR}:"
    yield from demo_keys_create()
    yield f"  Example document    {demo_document_write()}"
    yield demo_rates_and_tariff_load()
    declarations = demo_declarations_create()
    yield ""
    yield f"Example declarations: {len(declarations)} (export GB, import GB with 12 items, transit GB)."


# --- Keys and certificates for the demo users -------------------------------------------------


def demo_identities() -> list[DemoIdentity]:
    """One identity per demo user: their first VÖEN (a broker's is its firm's), FIN and phone."""
    return [
        DemoIdentity(
            username=user.username,
            common_name=f"{user.first_name} {user.last_name}".strip() or user.username,
            voen=user.voens[0] if user.voens else None,
            fin=user.fin or None,
            phone=user.phone_number or None,
        )
        for user in DEMO_USERS
    ]


def demo_keys_create(directory: Path | None = None) -> Iterator[str]:
    """Create (or reuse) the development PKI and say where each file is."""
    pki: DemoPKI = demo_pki_create(directory or demo_dir(), demo_identities())
    yield f"  CA (trust anchor)   {pki.ca}"
    yield f"  CRL                 {pki.crl}"
    for username, (cert, key) in pki.certificates.items():
        yield f"  {username:<19} {cert}  key {key}"
    for username, (cert, _key) in pki.asan_certificates.items():
        yield f"  {username + ' (Asan SIM)':<19} {cert}"
    yield f"  revoked             {pki.revoked[0]}  key {pki.revoked[1]}"
    yield f"  expired             {pki.expired[0]}  key {pki.expired[1]}"
    yield "  Sign locally: gomruk sign FILE --key <user>-key.pem --cert <user>.pem -o FILE.sig"
    yield "  Asan İmza phone: /asan-simulator/ or gomruk asan approve --phone <number>"


#: An export declaration as a broker's program would send it (docs/examples/broker.py reads it).
EXAMPLE_DOCUMENT = "export-gb.json"


def demo_document_write(directory: Path | None = None) -> Path:
    """The demo's export declaration as a JSON file, dated today, beside the demo keys."""
    path = (directory or demo_dir()) / EXAMPLE_DOCUMENT
    text = json.dumps(factories.export_gb().to_data(), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# --- Payment data: the SAMPLE tariff, the default fee schedule and a SAMPLE rate bulletin -----
# (the demo runs without internet, so it cannot fetch CBAR's bulletin)


def demo_rates_and_tariff_load() -> str:
    content = (resources.files("gomruk.demo") / "data" / SAMPLE_BULLETIN).read_bytes()
    bulletin = rate_bulletin_import(content=content, source=f"{SAMPLE_BULLETIN} (SAMPLE)")
    tariff = tariff_import()
    fees = fee_schedule_load_default()
    return (
        f"Payments (SAMPLE data): rate bulletin {bulletin.date:%d.%m.%Y} {bulletin.outcome}; "
        f"tariff {sum(tariff.counts.values())} rows ({tariff.counts['created']} new); fee schedule {fees}."
    )


# --- Example declarations for the demo users (idempotent) ------------------------------------


def demo_declarations_create() -> list[Declaration]:
    owner = User.objects.get(username="deklarant")
    broker = User.objects.get(username="broker")
    if Declaration.objects.filter(created_by__in=[owner, broker]).exists():
        return list(Declaration.objects.filter(created_by__in=[owner, broker]))
    return [
        declaration_create(user=owner, document=factories.export_gb(), voen="1401555071"),
        declaration_create(user=owner, document=factories.import_gb(items=12), voen="1401555071"),
        declaration_create(user=broker, document=factories.transit_gb(), voen="1500420091"),
    ]
