from __future__ import annotations

import pytest

from tests.completion.helpers import load_payments_facts
from tests.lifecycle import journey as journey_module


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return journey_module.TestPKI.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def _trust_test_ca(settings, pki, tmp_path):
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchor)]
    settings.GOMRUK_CRLS = []
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def users(db):
    return journey_module.make_users()


@pytest.fixture
def journey(pki, users):
    return journey_module.Journey(pki, users)


@pytest.fixture
def payments_facts(db):
    """The sample tariff, the default fee schedule and yesterday's bulletin (USD 1.7): the
    payments of an import declaration can be computed."""
    load_payments_facts()


@pytest.fixture
def officers(users):
    """An officer of a post (00102, under the Baku Main Customs Department 00100) and one of the
    State Customs Committee (00000), beside the demo's inspektor (00100) and inspektor2 (00200)."""
    from gomruk.accounts.models import Role, User

    users["post_officer"] = User.objects.create(
        username="post_officer", role=Role.OFFICER, office_code="00102", first_name="Kamran", last_name="Nəbiyev"
    )
    users["komite"] = User.objects.create(username="komite", role=Role.OFFICER, office_code="00000")
    for name in ("post_officer", "komite", "inspektor2"):
        users[name].set_password("gomruk-demo")
        users[name].is_demo = True
        users[name].save()
    return users


@pytest.fixture
def flow(journey, officers):
    return Flow(journey)


class Flow:
    """A declaration taken through the real services to where a test needs it, sent to any
    office and decided by that office's officer."""

    def __init__(self, journey) -> None:
        self.journey = journey
        self.users = journey.users

    def sent(self, *, office: str = "00100", document=None, owner: str = "deklarant"):
        from gomruk.declarations.services import declaration_create
        from gomruk.demo import factories

        declaration = declaration_create(
            user=self.users[owner], document=document or factories.export_gb(), voen=journey_module.OWNER_VOEN
        )
        return self.send(declaration, office=office, owner=owner)

    def send(self, declaration, *, office: str = "00100", owner: str = "deklarant"):
        j = self.journey
        declaration = j.sign(declaration, by=owner)
        declaration = j.confirm(declaration, by=owner)
        return j.send(declaration, by=owner, office=office)

    def to(self, declaration, state: str, officer: str = "inspektor"):
        """From sent on to ``state`` (registered, under_control, released, refused, returned)."""
        steps = {
            "sent": [],
            "registered": ["register"],
            "under_control": ["register", "assign_channel"],
            "released": ["register", "assign_channel", "release"],
            "refused": ["register", "assign_channel", "refuse"],
            "returned": ["register", "assign_channel", "return"],
        }[state]
        for step in steps:
            declaration = self.journey.officer_step(declaration, step, officer=officer)
        declaration.refresh_from_db()
        assert declaration.state == state
        return declaration


def import_document():
    """The demo's import declaration (İD 40, two items of water heaters, 15 % duty, 18 % VAT)
    with a commodity code of the HS nomenclature (8516.10: water heaters): the factory's own
    codes (8516010000, 8516020000) are not HS subheadings, which V-33-2 refuses since #15."""
    from gomruk.demo import factories

    document = factories.import_gb(items=2)
    for item in document.goods:
        item.commodity_code = "8516100000"
    return document


@pytest.fixture
def asan_pki(tmp_path, settings, pki):
    """The Asan İmza simulator's SIM for deklarant's phone, trusted beside the test CA."""
    from gomruk.demo.pki import DemoIdentity, demo_pki_create

    demo = demo_pki_create(
        tmp_path / "demo", [DemoIdentity("deklarant", "Aygün Məmmədova", "1401555071", "5ABCD12", phone="+994501234567")]
    )
    settings.GOMRUK_DEMO_DIR = tmp_path / "demo"
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchor), str(demo.ca)]
    settings.GOMRUK_CRLS = [str(demo.crl), str(demo.asan_crl)]
    return demo
