"""The journey's history rows, state changes and per-step reads go through SQL written once
(``core.rawrows``, ADR 0038): each gives what the ORM would have given."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gomruk.core import rawrows
from gomruk.core.json_set import JSONKeySet
from gomruk.declarations.models import (
    Declaration,
    DeclarationSignature,
    State,
    StatusEvent,
    SubmissionTerms,
)
from gomruk.declarations.selectors import latest_terms, version_signature


def test_an_inserted_history_row_reads_back_as_the_orm_wrote_it(journey):
    declaration = journey.draft()
    actor = journey.users["deklarant"]
    before = timezone.now()
    event = StatusEvent(
        declaration=declaration, actor=actor, from_state="draft", to_state="draft", reason="ə ğ ı ş ç ö ü",
        details={"action": "note", "items": [1, 2]},
    )
    with CaptureQueriesContext(connection) as queries:
        rawrows.insert(event)
    assert len(queries) == 1
    assert event.pk is not None and not event._state.adding
    stored = StatusEvent.objects.get(pk=event.pk)
    assert stored.at >= before  # auto_now_add ran
    assert (stored.declaration_id, stored.actor_id, stored.reason, stored.details) == (
        declaration.pk, actor.pk, "ə ğ ı ş ç ö ü", {"action": "note", "items": [1, 2]}
    )
    second = StatusEvent(declaration=declaration, actor=actor, from_state="draft", to_state="draft")
    rawrows.insert(second)
    assert second.pk != event.pk
    with pytest.raises(ValueError, match="append-only"):
        stored.save()  # the model's own guard still holds for the ORM


def test_an_update_writes_only_the_named_columns_and_stamps_updated_at(journey):
    declaration = journey.draft()
    row = Declaration.objects.get(pk=declaration.pk)
    # Another writer changes another column meanwhile; the state change must not overwrite it.
    Declaration.objects.filter(pk=declaration.pk).update(acceptance_date=timezone.localdate())
    row.state = State.SIGNED
    row.updated_at = timezone.now() - timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        rawrows.update(row, ["state", "updated_at"])
    assert len(queries) == 1
    stored = Declaration.objects.get(pk=declaration.pk)
    assert stored.state == State.SIGNED
    assert stored.acceptance_date == timezone.localdate()
    assert stored.updated_at > timezone.now() - timedelta(minutes=1)  # auto_now, not the stale value


def test_an_update_with_an_expression_or_a_missing_row_goes_to_save(journey):
    declaration = journey.draft()
    row = Declaration.objects.get(pk=declaration.pk)
    row.version = F("version") + 1
    rawrows.update(row, ["version"])
    assert Declaration.objects.get(pk=declaration.pk).version == declaration.version + 1
    gone = Declaration.objects.get(pk=declaration.pk)
    Declaration.objects.filter(pk=declaration.pk).delete()
    gone.state = State.SIGNED
    with pytest.raises(DatabaseError):
        rawrows.update(gone, ["state"])


def test_an_update_sets_a_key_of_the_document_in_the_same_statement(journey):
    declaration = journey.draft()
    row = Declaration.objects.get(pk=declaration.pk)
    before = dict(row.document)
    row.state, row.registration_number = State.SENT, "00100/2026/000042"
    box_7 = {"document": JSONKeySet("document", "registration_number", "00100/2026/000042")}
    with CaptureQueriesContext(connection) as queries:
        rawrows.update(row, ["state", "updated_at", "registration_number"], box_7)
    assert len(queries) == 1
    stored = Declaration.objects.get(pk=declaration.pk)
    assert (stored.state, stored.registration_number) == (State.SENT, "00100/2026/000042")
    assert stored.document == {**before, "registration_number": "00100/2026/000042"}
    # Through save() (a row the statement did not find is reported as save() reports it) too.
    gone = Declaration.objects.get(pk=declaration.pk)
    Declaration.objects.filter(pk=declaration.pk).delete()
    with pytest.raises(DatabaseError):
        rawrows.update(gone, ["state"], box_7)


def test_the_signature_of_the_current_version_is_what_the_orm_reads(journey):
    declaration = journey.sign(journey.draft())
    declaration.refresh_from_db()
    orm = (
        DeclarationSignature.objects.filter(declaration=declaration, version__number=declaration.version)
        .select_related("version", "user").order_by("-id").first()
    )
    assert orm is not None
    record = version_signature(declaration)
    assert record is not None
    assert (record.pk, record.payload_sha256, record.signed_at, record.voen, record.trust_state) == (
        orm.pk, orm.payload_sha256, orm.signed_at, orm.voen, orm.trust_state
    )
    assert (record.version.pk, bytes(record.version.payload), record.version.number) == (
        orm.version.pk, bytes(orm.version.payload), orm.version.number
    )
    assert record.user.pk == orm.user.pk and record.user.username == orm.user.username
    assert "signature_der" in record.get_deferred_fields()
    assert bytes(record.signature_der) == bytes(orm.signature_der)  # read when used
    declaration.version += 1  # a version nobody signed
    assert version_signature(declaration) is None


def test_the_terms_in_force_are_the_latest_published(db):
    assert latest_terms() == SubmissionTerms.objects.order_by("-published_at", "-id").first()
    now = timezone.now()
    SubmissionTerms.objects.create(version="t-old", text_az="köhnə", published_at=now - timedelta(days=2))
    newest = SubmissionTerms.objects.create(version="t-new", text_az="yeni şərtlər", published_at=now)
    SubmissionTerms.objects.create(version="t-mid", text_az="orta", published_at=now - timedelta(days=1))
    terms = latest_terms()
    assert terms is not None
    assert (terms.pk, terms.version, terms.text_az, terms.published_at) == (
        newest.pk, "t-new", "yeni şərtlər", newest.published_at
    )


@contextmanager
def _saves_heard(model):
    """The keys of the ``model`` rows saved through the ORM meanwhile (a post_save receiver)."""
    from django.db.models.signals import post_save

    heard: list[int] = []

    def receiver(sender, instance, created, **_):
        heard.append(instance.pk)

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid="test-sql-written-once")
    try:
        yield heard
    finally:
        post_save.disconnect(receiver, sender=model, dispatch_uid="test-sql-written-once")


def test_a_model_with_a_receiver_or_a_database_without_returning_goes_through_save(journey, monkeypatch):
    declaration = journey.draft()
    actor = journey.users["deklarant"]
    with _saves_heard(StatusEvent) as heard:
        event = StatusEvent(declaration=declaration, actor=actor, from_state="draft", to_state="draft")
        rawrows.insert(event)
        assert heard == [event.pk]
        declaration.state = State.SIGNED
        rawrows.update(declaration, ["state"])  # Declaration has no receiver: written directly
    assert Declaration.objects.get(pk=declaration.pk).state == State.SIGNED
    if connection.vendor == "sqlite":  # a database that cannot return the new id (psycopg has no lastrowid)
        monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
        later = StatusEvent(declaration=declaration, actor=actor, from_state="signed", to_state="signed")
        rawrows.insert(later)
        assert StatusEvent.objects.filter(pk=later.pk, to_state="signed").exists()


def test_a_draft_inserted_with_its_json_text_reads_back_as_its_document(journey):
    from gomruk.core.json_text import JSONText

    source = Declaration.objects.get(pk=journey.draft().pk)
    data = dict(source.document)
    copy = Declaration(created_by=source.created_by, trader_voen=source.trader_voen, document=JSONText.encoded(data))
    rawrows.insert(copy)
    assert Declaration.objects.get(pk=copy.pk).document == data


def test_the_aeo_status_of_a_voen(db):
    from gomruk.accounts.models import Trader
    from gomruk.accounts.selectors import trader_is_aeo

    Trader.objects.create(voen="1401555071", name="SİO MMC", is_aeo=True)
    Trader.objects.create(voen="1700038881", name="Adi MMC", is_aeo=False)
    assert trader_is_aeo("1401555071") is True
    assert trader_is_aeo("1700038881") is False
    assert trader_is_aeo("9999999999") is None
    assert trader_is_aeo(None) is None and trader_is_aeo("") is None


def test_rows_inserted_together_read_back_as_each_was_written(journey):
    """A status event and an audit entry by one statement on PostgreSQL (one each elsewhere),
    each with its generated key, as :func:`rawrows.insert` writes them one by one."""
    from gomruk.core.audit_keys import entry_mac
    from gomruk.core.models import AuditEntry

    declaration = journey.draft()
    actor = journey.users["deklarant"]
    event = StatusEvent(declaration=declaration, actor=actor, from_state="draft", to_state="draft", reason="bir")
    entry = AuditEntry(
        created_at=timezone.now(), actor=actor, actor_label=actor.username, action="declaration.note",
        object_type="declaration", object_id=str(declaration.pk), outcome="ok", details={"ə": "ü"}, nonce="ab" * 16,
    )
    entry.mac = entry_mac(entry)
    with CaptureQueriesContext(connection) as queries:
        rawrows.insert_together(event, entry)
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    assert event.pk is not None and entry.pk is not None
    assert not event._state.adding and not entry._state.adding
    assert StatusEvent.objects.get(pk=event.pk).reason == "bir"
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.details, stored.mac) == ("declaration.note", {"ə": "ü"}, entry.mac)


def test_a_row_that_goes_to_save_is_saved_beside_those_written_together(journey):
    from gomruk.core.models import AuditEntry

    declaration = journey.draft()
    actor = journey.users["deklarant"]
    with _saves_heard(StatusEvent) as heard:
        event = StatusEvent(declaration=declaration, actor=actor, from_state="draft", to_state="draft")
        entry = AuditEntry(created_at=timezone.now(), actor_label="system", action="note", nonce="cd" * 16, mac="0" * 64)
        rawrows.insert_together(event, entry)
    assert heard == [event.pk]  # saved by the ORM, its receiver heard it
    assert AuditEntry.objects.filter(pk=entry.pk, action="note").exists()


def test_a_state_change_writes_its_event_and_audit_entry_in_one_statement(journey, settings):
    from gomruk.core.models import AuditEntry
    from gomruk.declarations.lifecycle import Lifecycle

    settings.GOMRUK_AUDIT_SEALING = "deferred"
    declaration = Declaration.objects.get(pk=journey.draft().pk)
    declaration.state = State.SIGNED  # as the signature left it
    rawrows.update(declaration, ["state"])
    with CaptureQueriesContext(connection) as queries:
        event = Lifecycle.apply(declaration=declaration, action="confirm", actor=journey.users["deklarant"], fields=())
    inserts = [q["sql"] for q in queries if "INSERT INTO" in q["sql"]]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2), inserts
    assert StatusEvent.objects.get(pk=event.pk).to_state == State.CONFIRMED
    entry = AuditEntry.objects.filter(action="declaration.confirm", object_id=str(declaration.pk)).get()
    assert entry.details["to"] == State.CONFIRMED


def test_a_change_keeps_its_own_rows_in_the_statement_of_its_event_and_entry(journey, settings):
    """Confirming keeps the acceptance of the terms, signing the signature: written with the
    status event and the audit entry (one INSERT on PostgreSQL)."""
    from gomruk.declarations.lifecycle import Lifecycle
    from gomruk.declarations.models import TermsAcceptance

    settings.GOMRUK_AUDIT_SEALING = "deferred"
    declaration = Declaration.objects.get(pk=journey.draft().pk)
    declaration.state = State.SIGNED
    rawrows.update(declaration, ["state"])
    user = journey.users["deklarant"]
    acceptance = TermsAcceptance(
        declaration=declaration, version_number=declaration.version, user=user, terms_version="t1",
        terms_text="şərtlər", terms_sha256="0" * 64, accepted_at=timezone.now(),
    )
    with CaptureQueriesContext(connection) as queries:
        Lifecycle.apply(declaration=declaration, action="confirm", actor=user, fields=(), rows=(acceptance,))
    inserts = [q["sql"] for q in queries if "INSERT INTO" in q["sql"]]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 3), inserts
    assert TermsAcceptance.objects.get(pk=acceptance.pk).terms_text == "şərtlər"
