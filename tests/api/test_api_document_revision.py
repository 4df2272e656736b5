"""A draft's document revision (ADR 0045): PostgreSQL moves it on at every write of the
document, a frozen version records the revision it was frozen from, and "is the draft still
what was frozen?" is one integer comparison while they agree; otherwise the documents are
compared, as before."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState

from gomruk.core import rawrows
from gomruk.core.revisions import RevisionTrigger, trigger_name
from gomruk.declarations.models import Declaration, DeclarationVersion
from gomruk.declarations.selectors import draft_version
from tests.api.api_helpers import document_json
from tests.schema_editing import RecordingEditor

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the revision trigger is PostgreSQL's (SQLite compares the texts)"
)


def _revision(declaration_id: str) -> int:
    return Declaration.objects.values_list("document_revision", flat=True).get(pk=declaration_id)


def _versions(declaration_id: str) -> list[int]:
    return list(DeclarationVersion.objects.filter(declaration_id=declaration_id).values_list("number", flat=True))


@postgresql_only
def test_every_write_of_the_document_moves_the_revision_on_and_nothing_else_does(walk):
    declaration_id = walk.create()["id"]
    assert _revision(declaration_id) == 0
    draft = Declaration.objects.get(pk=declaration_id)
    # A statement that writes other columns only (a state change) leaves it.
    draft.state = "draft"
    rawrows.update(draft, ["state", "updated_at"])
    assert _revision(declaration_id) == 0
    # A bulk UPDATE of the document, as no service writes it: the database counts it all the same.
    Declaration.objects.filter(pk=declaration_id).update(document=draft.document)
    assert _revision(declaration_id) == 1
    # Whatever value the statement gives the revision itself: it is never set, not even back.
    Declaration.objects.filter(pk=declaration_id).update(document=draft.document, document_revision=0)
    assert _revision(declaration_id) == 2
    Declaration.objects.filter(pk=declaration_id).update(document_revision=0)
    assert _revision(declaration_id) == 3
    draft.save()  # a full save of a stale instance writes the document (unchanged): counted too
    assert _revision(declaration_id) == 4


@postgresql_only
def test_a_version_records_the_revision_and_is_trusted_only_while_it_is_the_drafts(walk):
    declaration_id = walk.create()["id"]
    version = DeclarationVersion.objects.get(declaration_id=declaration_id)
    assert version.draft_revision == _revision(declaration_id) == 0
    # While the revisions agree the database does not compare the documents: a version whose
    # stored document differs (written here behind the application's back) still counts as
    # the draft's.
    DeclarationVersion.objects.filter(pk=version.pk).update(document={"tampered": True})
    draft = Declaration.objects.get(pk=declaration_id)
    assert draft_version(draft).unchanged
    # Once the draft's document is written again the revisions differ and the documents are
    # compared: that version no longer holds the draft.
    Declaration.objects.filter(pk=declaration_id).update(document=draft.document)
    assert not draft_version(draft).unchanged


def test_a_draft_written_again_unchanged_keeps_its_frozen_version(walk):
    declaration_id = walk.create()["id"]
    assert _versions(declaration_id) == [1]
    Declaration.objects.get(pk=declaration_id).save()  # the same document written again
    assert draft_version(Declaration.objects.get(pk=declaration_id)).unchanged
    assert walk.api.get(f"/declarations/{declaration_id}/signing-payload").json()["version"] == 1
    assert _versions(declaration_id) == [1]


def test_a_draft_changed_after_a_payload_is_frozen_again_with_its_new_revision(walk):
    declaration_id = walk.create()["id"]
    document = document_json()
    document["goods"][0]["description"] = "Yenidən dəyişdirilmiş təsvir"
    assert walk.api.put(f"/declarations/{declaration_id}", document).status_code == 200
    assert walk.api.get(f"/declarations/{declaration_id}/signing-payload").json()["version"] == 2
    second = DeclarationVersion.objects.get(declaration_id=declaration_id, number=2)
    if connection.vendor == "postgresql":
        assert second.draft_revision == _revision(declaration_id) >= 1
    else:
        assert second.draft_revision is None  # not recorded where nothing keeps it
    assert draft_version(Declaration.objects.get(pk=declaration_id)).unchanged
    # Signing, confirming and sending change the state only: the version stays the draft's.
    walk.sign(declaration_id)
    walk.confirm(declaration_id)
    assert walk.send(declaration_id).json()["state"] == "sent"
    assert _versions(declaration_id) == [1, 2]


def _trigger_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = %s", [trigger_name("declarations_declaration", "document_revision")])
        return cursor.fetchone()[0] == 1


@postgresql_only
def test_the_operation_drops_the_trigger_and_creates_it_again(db):
    operation = RevisionTrigger("declaration", "document", "document_revision")
    state = ProjectState.from_apps(apps)
    assert _trigger_exists()
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("declarations", editor, state, state)
    assert not _trigger_exists()
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("declarations", editor, state, state)
    assert _trigger_exists()


def test_elsewhere_the_operation_runs_no_statement(db):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL gets the trigger (the test above)")
    editor = RecordingEditor()
    state = ProjectState.from_apps(apps)
    operation = RevisionTrigger("declaration", "document", "document_revision")
    operation.database_forwards("declarations", editor, state, state)
    operation.database_backwards("declarations", editor, state, state)
    assert editor.executed == []
    assert operation.describe() == "Move declaration.document_revision on whenever document is written (PostgreSQL)"
