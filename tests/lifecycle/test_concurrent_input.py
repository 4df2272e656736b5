"""An autosave and a section save of the same draft at once must not lose either write: the
portal's read-modify-write of the document holds the declaration's row lock."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from gomruk.declarations import portal_input
from gomruk.declarations.models import Declaration
from gomruk.declarations.portal_input import declaration_input_save

WRITERS = 6


def _at_once(monkeypatch, write) -> None:  # type: ignore[no-untyped-def]
    """``write(index)`` from WRITERS threads at the same moment, with the window between reading
    the document and writing it back widened, as a slow request would."""
    apply_input = portal_input.apply_input

    def slow_apply(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = apply_input(*args, **kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(portal_input, "apply_input", slow_apply)
    start = threading.Barrier(WRITERS)

    def run(index: int) -> None:
        try:
            start.wait(timeout=30)
            write(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(run, range(WRITERS)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_saves_of_one_draft_keep_every_value(journey, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are only exercised on PostgreSQL; run with DATABASE_URL=postgres://…")
    user = journey.users["deklarant"]
    draft = journey.draft()
    present = len(draft.document.get("goods") or [])
    declaration_input_save(
        user=user, declaration_id=draft.pk,
        values={f"/goods/{i}/item_number": str(i + 1) for i in range(present, WRITERS)},
    )
    _at_once(monkeypatch, lambda index: declaration_input_save(
        user=user, declaration_id=draft.pk, values={f"/goods/{index}/description": f"Mal {index}"}
    ))

    goods = Declaration.objects.get(pk=draft.pk).document["goods"]
    assert [str(item.get("description")) for item in goods[:WRITERS]] == [f"Mal {i}" for i in range(WRITERS)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_goods_added_at_once_are_numbered_apart(journey, monkeypatch):
    """Two "add goods item" clicks at once: the items are counted under the row lock, so each
    click numbers its own item (box 32) after the other's."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are only exercised on PostgreSQL; run with DATABASE_URL=postgres://…")
    user = journey.users["deklarant"]
    draft = journey.draft()
    present = len(draft.document.get("goods") or [])
    _at_once(monkeypatch, lambda _: declaration_input_save(user=user, declaration_id=draft.pk, values={}, add_items=1))

    goods = Declaration.objects.get(pk=draft.pk).document["goods"]
    assert [item.get("item_number") for item in goods] == list(range(1, present + WRITERS + 1))


@pytest.mark.django_db
def test_adding_goods_stops_at_the_limit(journey):
    user = journey.users["deklarant"]
    draft = journey.draft()
    present = len(draft.document.get("goods") or [])
    declaration_input_save(user=user, declaration_id=draft.pk, values={}, add_items=5, max_items=present + 2)
    goods = Declaration.objects.get(pk=draft.pk).document["goods"]
    assert [item.get("item_number") for item in goods] == list(range(1, present + 3))
