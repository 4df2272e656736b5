from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from gomruk.printing.render import PrintContext

REGISTRATION = "00100/211126/0000042"
VERIFY_URL = "http://127.0.0.1:8000/verify/7b1c2d3e-0000-4000-8000-000000000001/"


@pytest.fixture
def registered():
    """What the system knows about a registered, signed declaration."""
    return PrintContext(
        registration_number=REGISTRATION,
        acceptance_date=dt.date(2026, 11, 21),
        state="registered",
        signer_name="Əliyev Ülvi Şahin oğlu",
        certificate_serial="4F2A910C77E1",
        signed_sha256="3b5d" * 16,
        verification_url=VERIFY_URL,
    )


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as a reader extracts it."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def pages_of():
    return pdf_pages


@pytest.fixture
def users(db, django_user_model):
    from gomruk.accounts.models import Role
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    django_user_model.objects.create(username="inspektor2", role=Role.OFFICER, office_code="00200")
    return {u.username: u for u in django_user_model.objects.all()}


def owned_sample(items: int):
    """The printing sample as deklarant's own declaration: the sample names a broker for a
    fictional importer, which nobody may lodge (declarations.ownership)."""
    from gomruk.demo import factories as examples
    from gomruk.demo.print_samples import sample_document
    from gomruk.document.model import Declaration as Document

    document = sample_document(items).to_data()
    for box in ("consignee", "financial_party", "declarant"):
        document[box] = dict(examples.XEZER)
    for name in ("broker_firm_name", "broker_firm_voen", "specialist_name"):
        document["place_and_signature"].pop(name, None)
    return Document.model_validate(document)


@pytest.fixture
def stored(users):
    """A declaration of 'deklarant', sent to office 00100, registered, with a signed version."""
    from gomruk.core.canonical import canonical_json, sha256_hex
    from gomruk.declarations.models import Declaration, DeclarationSignature, DeclarationVersion
    from gomruk.declarations.services import declaration_create

    owner = users["deklarant"]
    declaration = declaration_create(user=owner, document=owned_sample(4))
    document = declaration.document
    payload = canonical_json({"declaration": document, "attachments": [], "version": 1})
    version = DeclarationVersion.objects.create(
        declaration=declaration,
        number=1,
        document=document,
        canonical_sha256=sha256_hex(canonical_json(document)),
        payload=payload,
        payload_sha256=sha256_hex(payload),
        created_by=owner,
    )
    DeclarationSignature.objects.create(
        declaration=declaration,
        version=version,
        provider="certificate",
        signer_name="Məmmədova Aygün",
        certificate_serial="0A1B2C3D4E5F",
        certificate_sha256="0" * 64,
        voen="1401555071",
        signature_der=b"\x30\x00",
        payload_sha256=version.payload_sha256,
        user=owner,
    )
    Declaration.objects.filter(pk=declaration.pk).update(
        state="registered",
        office_code="00100",
        registration_number=REGISTRATION,
        acceptance_date=dt.date(2026, 11, 21),
    )
    declaration.refresh_from_db()
    return declaration


@pytest.fixture
def pdftoppm(request):
    """pdftoppm (poppler-utils): skipped without it locally, a failure in CI."""
    from pathlib import Path

    root = request.config.pluginmanager.get_plugin(
        str(Path(request.config.rootpath) / "tests" / "conftest.py")
    )
    return root.require_tool("pdftoppm", "Debian package poppler-utils")
