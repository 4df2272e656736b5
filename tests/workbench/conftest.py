from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.lifecycle import journey as journey_module


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return journey_module.TestPKI.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def _trust_test_ca(settings, pki):
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchor)]
    settings.GOMRUK_CRLS = []


@pytest.fixture
def users(db):
    from django.utils import timezone

    from gomruk.accounts.models import Role, User
    from gomruk.declarations.models import SubmissionTerms

    # Transactional tests flush the tables, the published terms of migration 0003 with them.
    SubmissionTerms.objects.get_or_create(version="1", defaults={"text_az": "Şərtlər", "text_en": "Terms",
                                                                 "published_at": timezone.now()})
    found = journey_module.make_users()
    found["post_officer"] = User.objects.create(username="post_officer", role=Role.OFFICER, office_code="00102")
    return found


@pytest.fixture
def journey(pki, users):
    return journey_module.Journey(pki, users)


@pytest.fixture
def analyst(users):
    return users["analitik"]


def run_tasks() -> None:
    """What the worker does: every task that is due, until none is left (django_tasks_db's
    ``db_worker --batch``)."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0, reload=False)
