"""No Content-Security-Policy violation on the portal, the API docs or the admin, in Chromium.

Every page is loaded with a listener for ``securitypolicyviolation`` events (added through the
browser's own protocol, which the policy does not govern) and the console is read for
"Refused to …" messages: an inline script, style attribute, eval or outside resource would show
in either.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(steps):
    console: list[str] = []
    steps.page.context.add_init_script(LISTENER)
    steps.page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    return steps, console


def _violations(steps, console) -> list[str]:
    found = list(steps.page.evaluate("window.__violations || []"))
    found += [line for line in console if "Content Security Policy" in line or "Refused to" in line]
    return found


def _check(steps, console, path: str, ready: str) -> None:
    steps.go(path)
    steps.page.wait_for_selector(ready)
    steps.page.wait_for_timeout(500)  # late scripts and styles (htmx, Swagger UI) have run
    steps.shot(path.strip("/").replace("/", "-") or "home")
    assert _violations(steps, console) == [], path


def test_portal_pages_run_under_the_policy(watched, site):
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples

    steps, console = watched
    declaration = declaration_create(user=site["users"]["deklarant"], document=examples.export_gb(), voen="1401555071")
    _check(steps, console, "/login/", "#cert-title")
    steps.login("deklarant")
    steps.page.wait_for_selector("#declarations")
    _check(steps, console, "/", "#declarations")
    _check(steps, console, f"/declarations/{declaration.pk}/edit/participants/", "form[data-autosave]")
    # An autosave through htmx (its request, swap and status text) under the policy.
    field = steps.page.locator("form[data-autosave] input[name^='/']").first
    field.fill(field.input_value() + " ")
    field.dispatch_event("change")
    steps.page.wait_for_selector("#save-status:not(:empty)")
    assert _violations(steps, console) == []
    _check(steps, console, f"/verify/{declaration.pk}/", "main")
    _check(steps, console, "/asan-simulator/", "main.phone")


def test_api_docs_render_under_the_policy(watched, site):
    steps, console = watched
    # Swagger UI has booted (its own markup is on the page), from our static files, scripts
    # and styles all allowed. (That it reads today's openapi.json: test_api_docs.py.)
    _check(steps, console, "/api/v1/docs", "#swagger-ui .swagger-ui")
    operations = steps.page.locator(".opblock-summary")
    if operations.count():
        operations.first.click()  # open an operation: more of Swagger UI renders
        steps.page.wait_for_timeout(300)
    assert _violations(steps, console) == []


def test_admin_runs_under_the_policy(watched, site):
    from gomruk.accounts.models import User

    User.objects.create_superuser("csp-admin", "csp-admin@example.az", "long enough password")
    steps, console = watched
    _check(steps, console, "/admin/login/", "#login-form")
    steps.page.fill("#id_username", "csp-admin")
    steps.page.fill("#id_password", "long enough password")
    steps.page.click("input[type=submit]")
    steps.page.wait_for_selector("#content-main")
    _check(steps, console, "/admin/", "#content-main")
    _check(steps, console, "/admin/accounts/user/", "#changelist")
    _check(steps, console, "/admin/accounts/user/add/", "form")
