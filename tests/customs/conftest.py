from __future__ import annotations

import pytest

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
    return journey_module.make_users()


@pytest.fixture
def journey(pki, users):
    return journey_module.Journey(pki, users)
