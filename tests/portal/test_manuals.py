"""Issue 16 item 4: the service page's "İstifadə təlimatı" (the Methodology) and "Reqlament",
in Azerbaijani and English, in the portal's layout, with an anchor per box that the editor's
help links point at."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gomruk.document.boxes import box_table
from gomruk.portal.manuals import render

SECTIONS = ("general", "participants", "transport", "goods")


def _get(client, url: str, language: str = "az") -> str:
    if language == "en":
        client.cookies.load({"django_language": "en"})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _anchors(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


@pytest.mark.parametrize(
    ("language", "help_title", "help_text", "reqlament_text"),
    [
        ("az", "İstifadə təlimatı", "Qrafada malların göndərildiyi gömrük orqanı", "“Asan imza”"),
        ("en", "User manual", "Customs office of dispatch", "Acceptance of the Electronic Customs Declaration"),
    ],
)
def test_both_manuals_open_in_the_layout_in_each_language(db, language, help_title, help_text, reqlament_text):
    client = Client()  # open to everyone, as on e-gov.az
    help_page = _get(client, reverse("portal:help"), language)
    reqlament = _get(client, reverse("portal:reqlament"), language)
    for page in (help_page, reqlament):
        assert "portal/portal.css" in page and '<main id="main"' in page  # the portal's layout
        assert f'lang="{language}"' in page
    assert f"<h1>{help_title}</h1>" in help_page
    assert help_text in help_page
    assert reqlament_text in reqlament
    other = {"az": "Customs office of dispatch", "en": "Qrafada malların göndərildiyi"}[language]
    assert other not in help_page


@pytest.mark.parametrize("language", ["az", "en"])
def test_the_methodology_has_an_anchor_per_box(db, language):
    anchors = _anchors(_get(Client(), reverse("portal:help"), language))
    missing = {f"box-{box}" for box in box_table()} - anchors
    assert not missing


def test_the_texts_are_escaped_not_markup():
    manual = render('## Qrafa 7 <script>alert(1)</script> {#box-7}\n\nA <b onclick="x">b</b> **bold** `c`\n\n- one\n- two')
    assert "<script>" not in manual.html and "&lt;script&gt;" in manual.html
    assert "<b onclick" not in manual.html
    assert '<h3 id="box-7">' in manual.html and "<strong>bold</strong>" in manual.html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in manual.html
    assert manual.anchors == {"box-7"}
    nested = render("* **Structure:**\n  * sub1\n  * sub2\n* next").html
    assert nested == "<ul>\n<li><strong>Structure:</strong><ul>\n<li>sub1</li>\n<li>sub2</li>\n</ul></li>\n<li>next</li>\n</ul>"


def _editor_pages(client, declaration) -> list[str]:
    urls = [reverse("portal:section", args=[declaration.pk, s]) for s in SECTIONS]
    urls += [reverse("portal:item", args=[declaration.pk, 1]), reverse("portal:summary", args=[declaration.pk])]
    return [_get(client, url) for url in urls]


def test_every_box_in_the_editor_links_to_its_paragraph(declarant_client, export_declaration):
    az_anchors = _anchors(_get(Client(), reverse("portal:help")))
    en_anchors = _anchors(_get(Client(), reverse("portal:help"), "en"))
    linked: set[str] = set()
    for page in _editor_pages(declarant_client, export_declaration):
        legends = re.findall(r"<legend>(.*?)</legend>", page, flags=re.S)
        # A box folded away for this procedure has no legend: the link opens its fieldset.
        folded = re.findall(r'aria-labelledby="box-[^"]+-title">\s*<p class="box-help-line">(.*?)</p>', page, flags=re.S)
        for legend in legends + folded:
            if 'id="box-general' in legend:
                continue
            links = re.findall(r'href="/help/#box-([^"]+)"', legend)
            linked.update(links)
        for box in re.findall(r'href="/help/#box-([^"]+)"', page):
            assert f"box-{box}" in az_anchors and f"box-{box}" in en_anchors, box
    # Each box the editor shows as a fieldset, open or folded, carries its link.
    for page in _editor_pages(declarant_client, export_declaration):
        shown = re.findall(r'<fieldset class="box[^"]*" id="box-([^"]+)">', page)
        shown += re.findall(r'aria-labelledby="box-([^"]+)-title"', page)
        for box in shown:
            if box != "general":
                assert box in linked, box
    assert {"1", "2", "18", "31", "33", "47"} <= linked


def test_the_buttons_are_on_the_service_page_and_every_section(declarant_client, export_declaration):
    pages = [_get(declarant_client, reverse("portal:home")), *_editor_pages(declarant_client, export_declaration)]
    for page in pages:
        assert re.search(r'<a class="button secondary" href="/help/"[^>]*>İstifadə təlimatı</a>', page)
        assert re.search(r'<a class="button secondary" href="/reqlament/"[^>]*>Reqlament</a>', page)
