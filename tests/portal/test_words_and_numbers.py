"""Issue 16.8: the portal shows words, not codes, and one number and date format per language.

Every state is rendered on the declarant's home and declaration pages and, once customs sees
it, on the officer's page; the visible text (tags stripped) may not hold a state or channel code.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gomruk.core import numbers
from gomruk.customs.models import Channel
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.declarations.selectors import OFFICER_VISIBLE_STATES
from gomruk.portal.templatetags.portal import money, rate

CODES = [*State.values, *Channel.values]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<select\b.*?</select>", " ", html, flags=re.S)  # option values are codes by design
    return re.sub(r"<[^>]+>", " ", html)


def raw_codes(html: str, language: str) -> list[str]:
    """Codes shown as text. In English "sent" or "registered" are also plain words, so there
    only the unmistakable ones count: a code with an underscore, a state or channel badge
    holding a code, and a code after "Channel:"/"Dəhliz:"."""
    text = visible_text(html)
    badges = re.findall(r'class="(?:state|channel)\b[^"]*"[^>]*>\s*([^<]*?)\s*<', html)
    after_label = re.findall(r"(?:Dəhliz|Channel|channel)\s*:\s*(\w+)", text)
    found = [code for code in CODES if code in badges or code in after_label]
    for code in CODES:
        if (language == "az" or "_" in code) and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            found.append(code)
    return sorted(set(found))


@pytest.fixture
def declaration(export_declaration, demo):
    Declaration.objects.filter(pk=export_declaration.pk).update(
        office_code=demo["inspektor"].office_code, sent_at=timezone.now(), registration_number="00100/011226/0000001"
    )
    StatusEvent.objects.create(
        declaration=export_declaration, from_state=State.REGISTERED, to_state=State.UNDER_CONTROL,
        details={"channel": "yellow"},
    )
    return export_declaration


@pytest.mark.parametrize("state", State.values)
def test_no_raw_state_or_channel_code_on_any_page_in_either_language(state, declaration, declarant_client,
                                                                      officer_client):
    Declaration.objects.filter(pk=declaration.pk).update(state=state)
    for language in ("az", "en"):
        declarant_client.cookies["django_language"] = language
        officer_client.cookies["django_language"] = language
        pages = {
            "home": declarant_client.get("/", HTTP_ACCEPT_LANGUAGE=language),
            "declaration": declarant_client.get(f"/declarations/{declaration.pk}/", HTTP_ACCEPT_LANGUAGE=language),
        }
        if state in OFFICER_VISIBLE_STATES:
            pages["queue"] = officer_client.get("/officer/", {"state": state}, HTTP_ACCEPT_LANGUAGE=language)
            pages["officer"] = officer_client.get(f"/officer/declarations/{declaration.pk}/",
                                                  HTTP_ACCEPT_LANGUAGE=language)
        for name, response in pages.items():
            assert response.status_code == 200, (name, language)
            html = response.content.decode()
            assert raw_codes(html, language) == [], (name, language, raw_codes(html, language))
        with translation.override(language):
            label = str(State(state).label)
        assert label in visible_text(pages["declaration"].content.decode()), (state, language)


def test_the_channel_of_an_event_is_named(declaration, declarant_client):
    page = visible_text(declarant_client.get(f"/declarations/{declaration.pk}/").content.decode())
    assert "Sarı dəhliz" in page and "yellow" not in page


def test_one_number_format_per_language():
    value = Decimal("21250")
    assert numbers.format_money(value, "az") == "21\u00a0250,00"
    assert numbers.format_money(value, "en") == "21,250.00"
    assert numbers.format_money(Decimal("0.005"), "en") == "0.01"  # half-up to the qəpik
    assert numbers.format_number(Decimal("-1234567.891"), None, "az") == "-1\u00a0234\u00a0567,891"
    assert numbers.format_weight(Decimal("12.5"), "en") == "12.500"
    assert numbers.format_rate(Decimal("1.7000000000"), "az") == "1,7000"
    assert numbers.format_rate(Decimal("0.0123456"), "en") == "0.0123456"
    assert numbers.format_date(dt.date(2026, 12, 3)) == "03.12.2026"
    assert numbers.format_date("2026-12-03") == "03.12.2026"
    with translation.override("en"):
        assert money("21250") == "21,250.00" and rate(Decimal("1.70000")) == "1.7000"
    with translation.override("az"):
        assert money("21250") == "21\u00a0250,00"
    assert money("not a number") == "not a number"


def test_numbers_and_dates_on_the_officer_queue(declaration, officer_client):
    Declaration.objects.filter(pk=declaration.pk).update(state=State.REGISTERED, sent_at=timezone.now())
    az = officer_client.get("/officer/", HTTP_ACCEPT_LANGUAGE="az").content.decode()
    assert timezone.localtime().strftime("%d.%m.%Y") in az
    assert 'class="num">12\u00a0240,00<' in az  # the declared value of the export example
    officer_client.cookies["django_language"] = "en"
    en = officer_client.get("/officer/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="num">12,240.00<' in en and timezone.localtime().strftime("%d.%m.%Y") in en


def test_the_pdf_prints_the_one_format_and_rates_with_meaningful_digits():
    from gomruk.demo.print_samples import sample_document
    from gomruk.printing.content import BoxBuilder, fmt_decimal, fmt_rate, generic_box

    assert fmt_decimal(Decimal("21250.00")) == "21\u00a0250,00"
    assert fmt_rate(Decimal("1.7000000000")) == "1,7000"
    document = sample_document(1).model_copy(update={"exchange_rate": Decimal("1.7000000000")})
    assert generic_box(document, "23").regions == [["1,7000"]]
    assert BoxBuilder  # box A's corner goes through fmt_rate too (tests/printing/test_text.py: "1,7000 20.11.2026")


def test_duties_formulas_follow_the_language():
    formula = "1 200.5 kq × 0.5 USD/kq × 1.7000 AZN/USD = 1 020.43 AZN; 03.12.2026; 0902300000; 10%"
    assert numbers.localize_figures(formula, "en") == (
        "1,200.5 kq × 0.5 USD/kq × 1.7000 AZN/USD = 1,020.43 AZN; 03.12.2026; 0902300000; 10%")
    assert numbers.localize_figures(formula, "az") == (
        "1\u00a0200,5 kq × 0,5 USD/kq × 1,7000 AZN/USD = 1\u00a0020,43 AZN; 03.12.2026; 0902300000; 10%")


def test_a_moment_is_dated_in_baku_as_its_time_is(declaration, officer_client):
    """Sent at 21:30 UTC is 01:30 the next day in Baku: the queue says so in both (the date
    had been taken in UTC and the time in Baku: "04.12.2026 01:30")."""
    sent = dt.datetime(2026, 3, 9, 21, 30, tzinfo=dt.UTC)
    assert numbers.format_date(sent) == "10.03.2026"
    assert numbers.format_date(sent.date()) == "09.03.2026"
    Declaration.objects.filter(pk=declaration.pk).update(state=State.REGISTERED, sent_at=sent)
    page = officer_client.get("/officer/", HTTP_ACCEPT_LANGUAGE="az").content.decode()
    assert "10.03.2026 01:30" in page and "09.03.2026" not in page
