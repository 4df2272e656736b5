"""Issue 16.9: every portal page works at a phone's width (390 px) without sideways scrolling,
and its primary actions are on screen — as declarant, officer, risk analyst, border post and
administrator.

A page passes when ``document.scrollingElement.scrollWidth <= 390`` (wide tables scroll inside
their own container or become cards; forms stack) and every shown action button or button-link
lies within the 390 px, plus the named primary actions of some pages (e.g. the border goods
page's "Bu malları bəyan et", which used to be pushed off screen)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

WIDTH = 390

#: Action buttons that are laid out on the page (not hidden in a closed <details> or a menu).
ACTIONS_OFF_SCREEN = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll('main button, main a.button, main input[type=submit]')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;  // not displayed (closed <details>, hidden tab)
    // A row's own buttons in a wide grid that scrolls inside its container are reached there.
    const scroller = el.closest('.table-scroll, .grid-scroll');
    if (scroller && scroller.scrollWidth > scroller.clientWidth) continue;
    if (r.left < -1 || r.right > width + 1) out.push((el.innerText || el.value || '').trim() + ' @' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return out;
}"""


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="az-AZ", is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def pages(site):
    """A draft and a registered declaration of the declarant, and goods at the border for it."""
    from gomruk.accounts.models import Role, User
    from gomruk.border.schemas import ArrivalIn
    from gomruk.border.services import arrival_register
    from gomruk.declarations.models import Declaration, State
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples
    from tests.border.conftest import arrival_data

    users = site["users"]
    draft = declaration_create(user=users["deklarant"], document=examples.import_gb(items=3), voen="1401555071")
    sent = declaration_create(user=users["deklarant"], document=examples.export_gb(), voen="1401555071")
    Declaration.objects.filter(pk=sent.pk).update(
        state=State.REGISTERED, office_code="00100", sent_at=timezone.now() - dt.timedelta(hours=3),
        registration_number="00100/031226/0000001",
    )
    post = User.objects.create(username="post_officer", role=Role.OFFICER, office_code="00102")
    post.set_password("gomruk-demo")
    post.save()
    arrival_register(officer=post, data=ArrivalIn.model_validate(arrival_data()))
    d, s = draft.pk, sent.pk
    return {
        "deklarant": [
            ("/", "Yeni bəyannamə"), ("/declarations/new/", None), (f"/declarations/{d}/", None),
            *[(f"/declarations/{d}/edit/{section}/", None) for section in ("general", "participants", "transport", "goods")],
            (f"/declarations/{d}/goods/1/", None), (f"/declarations/{d}/goods/import/", None),
            (f"/declarations/{d}/summary/", None), (f"/declarations/{s}/", None), (f"/declarations/{s}/versions/", None),
            ("/complaints/", None), ("/notifications/", None), ("/border/goods/", "Bu malları bəyan et"),
        ],
        "inspektor": [
            ("/officer/", None), (f"/officer/declarations/{s}/", None), ("/officer/dashboard/", None),
            ("/officer/requests/", None), ("/officer/complaints/", None),
        ],
        "post_officer": [("/border/arrivals/", None), ("/border/arrivals/new/", None)],
        "analitik": [("/risk/", "Yeni profil"), ("/risk/new/", None)],
        "admin": [("/", None)],
    }


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/?tab=password")
    page.fill("#username", username)
    page.fill("#password", "gomruk-demo")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


def test_every_page_fits_a_phone(phone, site, pages):
    base = site["url"]
    phone.goto(base + "/login/")
    problems = []
    for scroll_check in [phone.evaluate("document.scrollingElement.scrollWidth")]:
        if scroll_check > WIDTH:
            problems.append(("anonymous", "/login/", f"scrollWidth {scroll_check}"))
    for username, visits in pages.items():
        login(phone, base, username)
        for path, primary in visits:
            response = phone.goto(base + path)
            assert response is not None and response.status == 200, (username, path, response and response.status)
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            if width > WIDTH:
                problems.append((username, path, f"scrollWidth {width}"))
            off = phone.evaluate(ACTIONS_OFF_SCREEN, WIDTH)
            if off:
                problems.append((username, path, f"actions off screen: {off}"))
            if primary:
                button = phone.get_by_text(primary, exact=True).first
                box = button.bounding_box()
                if not button.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > WIDTH + 1:
                    problems.append((username, path, f"{primary!r} not on screen: {box}"))
    assert problems == [], "\n".join(map(str, problems))
