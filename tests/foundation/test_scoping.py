from __future__ import annotations

import pytest

from gomruk.core.errors import GomrukError, NotFound
from gomruk.declarations.selectors import declaration_get, declaration_list
from gomruk.declarations.services import declaration_create, declaration_update
from gomruk.demo import factories as examples
from gomruk.demo.users import demo_users_create


@pytest.fixture
def users(db, django_user_model):
    demo_users_create()
    return {u.username: u for u in django_user_model.objects.all()}


def test_user_cannot_read_another_users_draft(users):
    mine = declaration_create(user=users["deklarant"], document=examples.export_gb())
    assert declaration_get(user=users["deklarant"], declaration_id=mine.pk) == mine
    for stranger in ("deklarant2", "inspektor", "admin"):
        with pytest.raises(NotFound):
            declaration_get(user=users[stranger], declaration_id=mine.pk)
        assert not declaration_list(user=users[stranger]).filter(pk=mine.pk).exists()


def _own(document):
    """An example with its party boxes left to the account's prefill."""
    document.consignor = document.declarant = document.financial_party = None
    return document


def test_representative_sees_its_principals_only(users):
    principal_draft = declaration_create(user=users["deklarant"], document=examples.export_gb())
    other = declaration_create(user=users["deklarant2"], document=_own(examples.export_gb()))
    broker = users["broker"]
    assert declaration_get(user=broker, declaration_id=principal_draft.pk) == principal_draft
    with pytest.raises(NotFound):
        declaration_get(user=broker, declaration_id=other.pk)


def test_cannot_create_for_a_voen_not_represented(users):
    with pytest.raises(GomrukError) as error:
        declaration_create(user=users["deklarant"], document=examples.export_gb(), voen="1900310041")
    assert error.value.status == 403


def test_stranger_cannot_update_a_draft(users):
    mine = declaration_create(user=users["deklarant"], document=examples.export_gb())
    with pytest.raises(NotFound):
        declaration_update(user=users["deklarant2"], declaration_id=mine.pk, document=examples.transit_gb())


def test_owner_updates_draft_and_index_columns_follow(users):
    mine = declaration_create(user=users["deklarant"], document=examples.export_gb())
    transit = examples.transit_gb()
    transit.declarant = transit.financial_party = mine_party = examples.export_gb().declarant
    transit.place_and_signature = examples.export_gb().place_and_signature
    assert mine_party is not None and mine_party.identifier == "1401555071"
    updated = declaration_update(user=users["deklarant"], declaration_id=mine.pk, document=transit)
    assert (updated.direction, updated.procedure) == ("İD", "80")


def test_officer_does_not_see_unsent_declarations(users):
    mine = declaration_create(user=users["deklarant"], document=examples.export_gb())
    mine.office_code = "00100"
    mine.save()
    with pytest.raises(NotFound):
        declaration_get(user=users["inspektor"], declaration_id=mine.pk)
