from __future__ import annotations

import pytest


@pytest.fixture
def demo(db, loaded_classifiers):
    from gomruk.accounts.models import User
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def export_draft(demo):
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples

    return declaration_create(user=demo["deklarant"], document=examples.export_gb(), voen="1401555071")


@pytest.fixture
def bare_draft(demo):
    """The same export with the consignee, the route and the goods left out."""
    from gomruk.declarations.services import declaration_create, parse_document
    from gomruk.demo import factories as examples
    from gomruk.saved.kinds import ROUTE_FIELDS

    data = examples.export_gb().to_data()
    for name in ("consignee", *ROUTE_FIELDS):
        data.pop(name, None)
    data["goods"] = data["goods"][1:]
    data["goods"][0]["item_number"] = 1
    data["goods"][1]["item_number"] = 2
    return declaration_create(user=demo["deklarant"], document=parse_document(data), voen="1401555071")
