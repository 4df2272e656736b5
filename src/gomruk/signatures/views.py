"""The Asan İmza simulator page: plays the user's phone (development and demos only)."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gomruk.core.errors import GomrukError
from gomruk.signatures.asan import simulator_enabled
from gomruk.signatures.selectors import asan_pending_for_phone
from gomruk.signatures.services import asan_phone_confirm


def _require_simulator() -> None:
    if not simulator_enabled():
        raise Http404


@require_GET
def simulator(request: HttpRequest) -> HttpResponse:
    _require_simulator()
    phone = request.GET.get("phone", "").strip()
    pending = []
    if phone:
        try:
            pending = asan_pending_for_phone(phone_number=phone)
        except GomrukError as error:
            messages.error(request, error.message())
    return render(request, "signatures/asan_simulator.html", {"phone": phone, "pending": pending})


@require_POST
def simulator_answer(request: HttpRequest, transaction_id: UUID, action: str) -> HttpResponse:
    _require_simulator()
    if action not in ("approve", "reject"):
        raise Http404
    try:
        tx = asan_phone_confirm(transaction_id=transaction_id, approve=action == "approve")
    except GomrukError as error:
        messages.error(request, error.message())
    else:
        if action == "approve":
            messages.success(request, _("İmzalandı: %(code)s") % {"code": tx.verification_code})
        else:
            messages.info(request, _("Rədd edildi: %(code)s") % {"code": tx.verification_code})
    phone = request.POST.get("phone", "")
    target = reverse("asan_simulator:phone")
    return HttpResponseRedirect(f"{target}?{urlencode({'phone': phone})}" if phone else target)
