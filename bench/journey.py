"""What the declarant types for the 3-item import GB (issue 16's measure).

    .venv/bin/python bench/journey.py [--url http://127.0.0.1:8110] [--language az|en]

Drives a served demo (``gomruk demo --port 8110``) with Playwright and Debian's Chromium: the
demo declarant logs in, creates an İM 40 declaration of three goods items from Türkiye typing
facts only (parties, transport, goods, origin, masses, packages, invoice prices and currency,
box 44 documents, a copy of the invoice), signs with the demo key file ($GOMRUK_HOME/demo, or
--pki), accepts the terms, picks the office and sends. Prints the number of fields typed (every
fill / select call) and the rule findings met on the way (the error summary after each save).
"Before" is the tree at 0e5b7d4, which has no completion: there the declarant typed the same
facts plus every field the system now fills (counted on the pages by their formula note). ``tests/system/test_facts_journey.py`` runs the
same journey against pytest's live server.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

# The facts of the three items: commodity code, description, gross and net kg, packages, invoice USD.
GOODS = [
    ("8516108000", "Elektrik su qızdırıcısı, model SQ-101, 80 l, 2 ədəd", "49.500", "45.000", 3, "1250.00"),
    ("8516600000", "Elektrik sobası, model ES-20, 4 ədəd", "54.500", "50.000", 4, "1500.00"),
    ("8516710000", "Qəhvə maşını, model QM-7, 6 ədəd", "59.500", "55.000", 2, "1750.00"),
]


#: Computed boxes of section 1 read back after the goods are typed: box → the read-only element.
COMPUTED = {
    "5": "f-total_items",
    "12": "f-total_customs_value",
    "22": "f-total_invoice_value",
    "23": "f-exchange_rate",
    "A": "f-office_of_dispatch-usd_rate",
}


#: Item boxes the system fills from other boxes or the Methodology's default, read back from each
#: item page: box → the field's DOM id after ``f-goods-<i>-``.
DERIVED = {
    "31": "quantity",
    "34": "origin_country-alpha",
    "36": "privilege",
    "37": "procedure_code",
    "43a": "valuation-adjusted",
    "43b": "valuation-method",
    "44.1": "documents-0-line",
    "44.2": "documents-1-line",
    "45": "customs_value",
}


@dataclass
class Typist:
    """The declarant at the keyboard: counts every field typed or chosen and every rule finding
    shown after a save."""

    page: Any
    typed: int = 0
    findings: int = 0
    log: list[str] = field(default_factory=list)

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self.typed += 1
        self.log.append(f"type {selector} = {value}")

    def select(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self.typed += 1
        self.log.append(f"select {selector} = {value}")

    def save(self, button: str) -> list[str]:
        """Press a save button; the rule findings shown are counted and returned. The autosave of
        the last field typed answers first, so the two posts do not race."""
        settle(self.page)
        self.page.click(button)
        self.page.wait_for_load_state()
        summary = self.page.locator("#error-summary li")
        found = [summary.nth(i).inner_text() for i in range(summary.count())]
        self.findings += len(found)
        self.log.extend(f"finding: {f}" for f in found)
        return found


def settle(page: Any) -> None:
    """Leave the field typed last and let its autosave (htmx, on change, 300 ms later) answer,
    so that it does not race the save button's post."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")


def _shown(page: Any, dom_id: str) -> str:
    """A computed value: read-only, or (where the declarant may state another) in its input."""
    if page.locator(f"output#{dom_id}").count():
        return _computed(page, dom_id)
    return str(page.input_value(f"#{dom_id}"))


def _computed(page: Any, dom_id: str) -> str:
    """The value of a computed box, shown read-only (an ``<output>``, not an input)."""
    element = page.locator(f"output#{dom_id}")
    assert element.count() == 1, f"{dom_id} is not shown read-only"
    return element.inner_text().strip()


def journey(page: Any, base: str, sign: Callable[[bytes], bytes], *, english: bool = False) -> dict[str, Any]:
    """From login to the sent declaration. Returns the counts, the computed values read on the
    way and the final stage text."""
    you = Typist(page)
    today = date.today().isoformat()  # noqa: DTZ011 - the documents are dated the day they are typed
    seen: dict[str, str] = {}
    page.goto(base + "/login/?tab=password")
    you.fill("#username", "deklarant")
    you.fill("#password", "gomruk-demo")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#declarations")
    if english:  # the page's language switch
        you.select("#lang-select", "en")
        page.click("form.lang button[type=submit]")
        page.wait_for_load_state()
    page.goto(base + "/declarations/new/")
    you.select("#new-direction", "İD")
    you.select("#new-procedure", "40")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/edit/general/$"))
    declaration = page.url.rsplit("/edit/", 1)[0]

    # Section 1: where the goods come from, the deal, the offices — the facts of boxes A–30.
    for name, value in [
        ("office_of_dispatch-office_code", "00100"),
        ("first_destination_country-alpha", "AZ"),
        ("trading_country-alpha", "TR"),
        ("dispatch_country-alpha", "TR"),
        ("origin_country_name", "Türkiyə"),
        ("destination_country-alpha", "AZ"),
        ("delivery_terms-code", "CPT"),
        ("delivery_terms-place", "CPT Bakı"),
        ("delivery_terms-settlement_code", "100"),
        ("invoice_currency", "USD"),
        ("transaction_nature", "210"),
        ("border_office", "00400"),
        ("goods_location", "00100"),
    ]:
        you.fill(f"#f-{name}", value)
    you.save("button[name=go][value=general]")
    seen["11"] = _computed(page, "f-trading_country-numeric")
    seen["15"] = _computed(page, "f-dispatch_country_name")
    seen["17"] = _computed(page, "f-destination_country_name")

    # Section 2: the seller abroad and the bank details; the rest comes from the account.
    page.goto(declaration + "/edit/participants/")
    for name, value in [
        ("consignor-name", "Boğaziçi Dış Ticaret A.Ş."),
        ("consignor-address", "İstanbul, Levent, Türkiye"),
        ("financial_details-0-line", "1"),
        ("financial_details-0-text", "Valyuta nəzarəti sənədi VN-2026-0042"),
        ("place_and_signature-place", "Bakı"),
        ("place_and_signature-date", today),
        ("place_and_signature-signatory_name", "Aygün Məmmədova"),
        ("place_and_signature-signatory_position", "Direktor"),
        ("place_and_signature-contacts", "+994 12 555 00 00"),
    ]:
        you.fill(f"#f-{name}", value)
    you.save("button[name=go][value=participants]")

    # Section 3: the lorry.
    page.goto(declaration + "/edit/transport/")
    for name, value in [
        ("departure_transport-count", "1"),
        ("departure_transport-identifiers", "34-TR-5678"),
        ("departure_transport-nationality", "TR"),
        ("container_indicator", "0"),
        ("border_transport-nationality", "TR"),
        ("border_transport_mode", "30"),
        ("inland_transport_mode", "30"),
        ("loading_place", "Bakı"),
    ]:
        you.fill(f"#f-{name}", value)
    you.select("#f-border_transport-same_as_box_18", "true")  # box 21: the lorry of box 18
    you.save("button[name=go][value=transport]")

    # Section 4: three goods items, each typed on its own page.
    page.goto(declaration + "/edit/goods/")
    you.fill("#add-count", str(len(GOODS)))
    settle(page)
    with page.expect_navigation():
        page.click("form button[formaction$='/goods/add/']")
    page.wait_for_load_state("networkidle")
    for number, (code, description, gross, net, packages, invoice) in enumerate(GOODS, start=1):
        page.goto(f"{declaration}/goods/{number}/")
        i = number - 1
        for name, value in [
            ("description", description),
            ("packages-count", str(packages)),
            ("packages-kind", "qutu"),
            ("commodity_code", code),
            ("quantity_unit", "kq"),
            ("gross_mass", gross),
            ("net_mass", net),
            ("invoice_value", invoice),
            ("documents-0-code", "2015"),
            ("documents-0-number", f"CMR-{4410 + number}"),
            ("documents-0-issued_on", today),
        ]:
            you.fill(f"#f-goods-{i}-{name}", value)
        you.save("button[name=go][value=stay]:not(.small)")
        # Box 44's second document: the row appears once the first is saved.
        for name, value in [("code", "8001"), ("number", f"INV-{900 + number}"), ("issued_on", today)]:
            you.fill(f"#f-goods-{i}-documents-1-{name}", value)
        you.save("button[name=go][value=stay]:not(.small)")
        for box, name in DERIVED.items():
            seen[f"{box}/{number}"] = _shown(page, f"f-goods-{i}-{name}")
    page.goto(declaration + "/edit/general/")
    you.save("button[name=go][value=general]")
    for box, dom_id in COMPUTED.items():
        seen[box] = _computed(page, dom_id)

    result_computed = computed_fields(page, declaration, len(GOODS))

    # Section 5: the summary, a copy of item 1's invoice, then sign, confirm, pick the office, send.
    page.goto(declaration + "/summary/")
    assert page.locator("#error-summary").count() == 0, page.inner_text("#error-summary")
    page.set_input_files("#file-1-1", files=[{"name": "invoys.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#doc-1-1 button[type=submit]")
    page.wait_for_load_state()
    page.goto(declaration + "/sign/")
    with page.expect_download() as download:
        page.click("a[href$='/sign/payload/']")
    signature = sign(Path(download.value.path()).read_bytes())
    page.set_input_files("#sign-file", files=[{"name": "beyanname.p7s", "mimeType": "application/pkcs7-signature", "buffer": signature}])
    page.click("form[action$='/sign/upload/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/confirm/$"))
    page.check("#accept-terms")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/send/$"))
    you.select("#send-office", "00100")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/declarations/[0-9a-f-]+/$"))
    stage = page.inner_text("[data-testid=state]")
    return {"you": you, "seen": seen, "declaration": declaration, "stage": stage, "computed": result_computed}


# A field the system filled carries its formula below it (read-only or, for 6, 45, 47, the
# declarant's to override); box 47's and B's rows carry the formula above the table.
_COMPUTED_FIELDS = """() => {
  const single = [...document.querySelectorAll('main .field')].filter(f => f.querySelector('.formula'));
  const rows = [...document.querySelectorAll('main .rows')].filter(t => t.querySelector(':scope > p.formula'))
    .flatMap(t => [...t.querySelectorAll('.row-fields')].slice(0, -1))
    .flatMap(r => [...r.querySelectorAll('output.computed, input')].filter(e => (e.value || e.textContent || '—') !== '—'));
  return single.length + rows.length;
}"""


def computed_fields(page: Any, declaration: str, items: int) -> int:
    """How many fields the system filled on the way: before issue 16 (commit 0e5b7d4 has no
    completion) the declarant typed each of them."""
    pages = [f"/edit/{s}/" for s in ("general", "participants", "transport", "goods")]
    pages += [f"/goods/{n}/" for n in range(1, items + 1)]
    total = 0
    for path in pages:
        page.goto(declaration + path)
        total += int(page.evaluate(_COMPUTED_FIELDS))
    return total


#: The smallest PDF the upload's content check accepts as a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def key_file_signer(pki: Path) -> Callable[[bytes], bytes]:
    """The demo declarant's key file (what a declarant with a certificate signs with)."""
    from gomruk.signatures.local import sign_payload

    def sign(payload: bytes) -> bytes:
        return sign_payload(
            payload,
            key_pem=(pki / "deklarant-key.pem").read_bytes(),
            cert_pem=(pki / "deklarant.pem").read_bytes(),
        )

    return sign


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8110")
    parser.add_argument("--language", choices=("az", "en"), default="az")
    parser.add_argument("--pki", type=Path, default=None, help="the demo's PKI (default: $GOMRUK_HOME/demo)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    pki = args.pki or Path(os.environ.get("GOMRUK_HOME", "")) / "demo"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="az-AZ")
        page.set_default_timeout(15_000)
        try:
            result = journey(page, args.url, key_file_signer(pki), english=args.language == "en")
        finally:
            browser.close()
    you = result["you"]
    for line in you.log:
        print(line)
    print(result["seen"], result["stage"])
    before = you.typed + result["computed"]
    print(f"after (this tree): fields typed: {you.typed}; rule findings met: {you.findings}")
    print(f"before (0e5b7d4): fields typed: {before} = the same {you.typed} facts + {result['computed']} computed fields")
    print(f"typed after / before: {you.typed / before:.2f}")


if __name__ == "__main__":
    sys.exit(main())
