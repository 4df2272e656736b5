"""The public verification page the QR code of a printed declaration points to."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gomruk.core.errors import NotFound
from gomruk.printing.selectors import declaration_verification


@require_GET
@never_cache
def verify(request: HttpRequest, declaration_id: uuid.UUID) -> HttpResponse:
    """No login: anyone holding the paper may check its number, stage and signed hash."""
    try:
        verification = declaration_verification(declaration_id=declaration_id)
    except NotFound:
        response = render(request, "printing/verify.html", {"verification": None}, status=404)
    else:
        response = render(request, "printing/verify.html", {"verification": verification})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
