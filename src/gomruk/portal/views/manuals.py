"""The service page's two manuals (issue 16 item 4): open to everyone, as on e-gov.az."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gomruk.core.i18n import language
from gomruk.portal.manuals import manual


def _page(request: HttpRequest, name: str, title: str) -> HttpResponse:
    text = manual(name, language())
    return render(
        request,
        "portal/manuals/manual.html",
        {"title": title, "manual": text, "language": language(), "contents": [h for h in text.headings if h.level <= 3]},
    )


@require_GET
def help_view(request: HttpRequest) -> HttpResponse:
    """"İstifadə təlimatı": the Methodology, with an anchor per box (``#box-<id>``)."""
    return _page(request, "help", _("İstifadə təlimatı"))


@require_GET
def reqlament_view(request: HttpRequest) -> HttpResponse:
    """"Reqlament": the regulation of the service."""
    return _page(request, "reqlament", _("Reqlament"))
