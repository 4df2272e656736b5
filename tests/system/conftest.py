"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Every step saves a screenshot under ``tests/system/screenshots/<test>/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(request):
    root = request.config.pluginmanager.get_plugin(str(Path(request.config.rootpath) / "tests" / "conftest.py"))
    executable = root.require_tool("chromium", "browser tests drive Debian's Chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would take the test's own
    # database calls for async code. They are sync, so tell Django so (pytest-django's advice).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory):
    from gomruk.demo.pki import demo_pki_create
    from gomruk.demo.setup import demo_identities

    directory = tmp_path_factory.mktemp("demo-pki")
    demo_pki_create(directory, demo_identities())
    return directory


@pytest.fixture
def site(transactional_db, live_server, settings, demo_pki_dir):
    """The live server with classifiers, demo users and their trusted PKI."""
    from gomruk.accounts.models import User
    from gomruk.demo.users import demo_users_create
    from gomruk.reference.services import classifiers_load

    settings.GOMRUK_DEMO_DIR = demo_pki_dir
    settings.GOMRUK_TRUST_ANCHORS = [str(demo_pki_dir / "ca.pem")]
    settings.GOMRUK_CRLS = [str(demo_pki_dir / "crl.pem"), str(demo_pki_dir / "asan-sim-crl.pem")]
    classifiers_load()
    demo_users_create()
    _publish_terms()
    return {"url": live_server.url, "users": {u.username: u for u in User.objects.all()}, "pki": demo_pki_dir}


def _publish_terms() -> None:
    """The submission terms come from a data migration; a transactional test's flush removes
    them, so publish them again the way the migration does."""
    import importlib

    from django.apps import apps

    from gomruk.declarations.submission import current_terms

    if current_terms() is None:
        migration = importlib.import_module("gomruk.declarations.migrations.0003_submission_terms")
        migration.publish(apps, None)


class Steps:
    """A browser page that photographs each step of a journey."""

    def __init__(self, page, folder: Path, base: str) -> None:
        self.page, self.folder, self.base, self.count = page, folder, base, 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def login(self, username: str) -> None:
        self.go("/login/?tab=password")
        self.page.fill("#username", username)
        self.page.fill("#password", "gomruk-demo")
        self.shot(f"login-{username}")
        self.page.click("form.stack button[type=submit]")


@pytest.fixture
def steps(request, browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="az-AZ", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower())
    yield Steps(page, SCREENSHOTS / name, site["url"])
    context.close()
