from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory):
    """The demo users' keys and certificates (as ``gomruk init --demo`` makes them)."""
    from gomruk.demo.pki import demo_pki_create
    from gomruk.demo.setup import demo_identities

    directory = tmp_path_factory.mktemp("demo-pki")
    demo_pki_create(directory, demo_identities())
    return directory


@pytest.fixture
def trust_demo(settings, demo_pki_dir):
    settings.GOMRUK_DEMO_DIR = demo_pki_dir
    settings.GOMRUK_TRUST_ANCHORS = [str(demo_pki_dir / "ca.pem")]
    settings.GOMRUK_CRLS = [str(demo_pki_dir / "crl.pem"), str(demo_pki_dir / "asan-sim-crl.pem")]
    return demo_pki_dir


@pytest.fixture
def demo(db, loaded_classifiers, trust_demo):
    """Demo users (password 'gomruk-demo') with classifiers loaded and their PKI trusted."""
    from gomruk.accounts.models import User
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def declarant_client(client, demo):
    client.force_login(demo["deklarant"])
    return client


@pytest.fixture
def officer_client(demo):
    from django.test import Client

    officer = Client()
    officer.force_login(demo["inspektor"])
    return officer


@pytest.fixture
def export_declaration(demo):
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples

    return declaration_create(user=demo["deklarant"], document=examples.export_gb(), voen="1401555071")

