"""Each version validated and frozen once (issue 17.1): the verdict and the canonical bytes are
kept on the version; signing and sending compare against them, and state changes do not write
the document back (ADR 0022-validated-and-frozen-once)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gomruk.declarations import signing, validation
from gomruk.declarations.models import DeclarationVersion
from gomruk.declarations.signing import declaration_sign, signing_payload


def _counting(monkeypatch):
    calls: list[int] = []
    real = validation.declaration_errors

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(signing, "declaration_errors", counted)
    return calls


def test_a_version_judged_today_is_not_judged_again_at_signature_or_send(journey, monkeypatch):
    calls = _counting(monkeypatch)
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    assert len(calls) == 1
    version = DeclarationVersion.objects.get(declaration=declaration, number=frozen.version)
    assert (version.verdict, version.validated_on) == ("valid", timezone.localdate())
    signature = journey.pki.sign("deklarant", frozen.payload)
    declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=signature,
                     version=frozen.version)
    journey.send(journey.confirm(declaration))
    assert len(calls) == 1


def test_another_day_judges_the_version_again(journey, monkeypatch):
    calls = _counting(monkeypatch)
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    DeclarationVersion.objects.filter(declaration=declaration).update(
        validated_on=timezone.localdate() - dt.timedelta(days=1)
    )
    signature = journey.pki.sign("deklarant", frozen.payload)
    declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=signature,
                     version=frozen.version)
    assert len(calls) == 2
    assert DeclarationVersion.objects.get(declaration=declaration).validated_on == timezone.localdate()


def test_the_frozen_version_is_reused_without_freezing_again(journey, monkeypatch):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    first = signing_payload(user=user, declaration_id=declaration.pk)
    frozen_again: list[int] = []
    real = signing.canonical_json
    monkeypatch.setattr(signing, "canonical_json", lambda data: frozen_again.append(1) or real(data))
    again = signing_payload(user=user, declaration_id=declaration.pk)
    assert (again.version, again.payload) == (first.version, first.payload)
    assert frozen_again == []


def _document_writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("UPDATE") and "declarations_declaration" in q["sql"]
        and "goods" in q["sql"]  # the document's contents carried by the statement
    ]


def test_sign_confirm_send_do_not_write_the_document(journey):
    declaration = journey.draft()
    with CaptureQueriesContext(connection) as signed:
        declaration = journey.sign(declaration)
    with CaptureQueriesContext(connection) as confirmed:
        declaration = journey.confirm(declaration)
    with CaptureQueriesContext(connection) as sent:
        declaration = journey.send(declaration)
    for step in (signed, confirmed, sent):
        assert _document_writes(step) == []
        updates = [q["sql"] for q in step.captured_queries
                   if q["sql"].lstrip().upper().startswith("UPDATE") and "declarations_declaration" in q["sql"]]
        assert updates, "the step changes the declaration's row"
    declaration.refresh_from_db()
    assert declaration.state == "sent"
    # Box 7 reaches the document all the same (set by key in the database).
    assert declaration.document["registration_number"] == declaration.registration_number
    assert declaration.document["goods"]
