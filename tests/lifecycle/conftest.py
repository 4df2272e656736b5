from __future__ import annotations

import pytest

from tests.lifecycle.journey import Journey, TestPKI, make_users


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return TestPKI.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def _trust_test_ca(settings, pki):
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchor)]
    settings.GOMRUK_CRLS = []


@pytest.fixture
def users(db):
    return make_users()


@pytest.fixture
def journey(pki, users):
    return Journey(pki, users)
