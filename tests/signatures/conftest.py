from __future__ import annotations

import pytest

from gomruk.demo.pki import DemoIdentity, demo_pki_create
from gomruk.demo.testing import make_test_pki

DEMO_IDENTITIES = [
    DemoIdentity("demo-declarant", "Aysel Hüseynova", "1400057421", "5ABCD12", "+994501112233"),
    DemoIdentity("demo-broker", "Broker MMC", "1700038881", None, "+994552223344"),
    DemoIdentity("demo-person", "Rauf Əliyev", None, "6XYZW34"),
]


@pytest.fixture(scope="session")
def demo_identities():
    return list(DEMO_IDENTITIES)


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trusted(pki, settings):
    """The test PKI's root is the only trust anchor; its CRLs are configured."""
    pki.configure(settings)
    return pki


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    demo_pki_create(directory, DEMO_IDENTITIES)
    return directory


@pytest.fixture
def demo_settings(settings, demo_pki_dir):
    """GOMRUK_DEMO_DIR points at the demo PKI; trust comes from its defaults (no explicit anchors)."""
    settings.GOMRUK_DEMO_DIR = demo_pki_dir
    settings.GOMRUK_TRUST_ANCHORS = []
    settings.GOMRUK_CRLS = []
    settings.GOMRUK_ASAN_SIMULATOR = True
    return settings
