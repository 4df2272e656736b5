"""After sending, the declarant's pages: an amendment request (edit a new version box by box,
see the differences against the version customs holds, sign it, send it with a reason), a
cancellation request, and the declaration's versions with their differences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.core.errors import GomrukError
from gomruk.declarations import amendments
from gomruk.declarations.cancellation import cancellation_request
from gomruk.declarations.models import AmendmentRequest, RequestStatus
from gomruk.declarations.selectors import declaration_get, request_decisions
from gomruk.declarations.versions import declaration_versions, version_diff
from gomruk.portal.choices import datalists
from gomruk.portal.fields import SECTIONS, item_groups, section_groups, section_title
from gomruk.portal.views.common import current_user, show_error, trader_required
from gomruk.portal.views.editor import posted_values
from gomruk.signatures.login import der_bytes

SESSION_ASAN = "portal_amendment_asan"
#: The sections an amendment edits (the summary is the amendment's own page).
AMENDABLE_SECTIONS = tuple(s for s in SECTIONS if s != "summary")


def _amendment(request: HttpRequest, declaration_id: Any, number: int) -> AmendmentRequest:
    return amendments.amendment_get(user=current_user(request), declaration_id=declaration_id, number=number)


def _sections(request: HttpRequest) -> list[tuple[str, int, str]]:
    return [(s, n, section_title(s, request.LANGUAGE_CODE)) for n, s in enumerate(AMENDABLE_SECTIONS, start=1)]


@require_POST
@trader_required
def amendment_new(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Start a working copy (or go on with the one already started)."""
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    open_draft = next(
        (a for a in amendments.amendments_of(user=user, declaration=declaration) if a.status == RequestStatus.DRAFT), None
    )
    if open_draft is not None:
        return redirect("portal:amendment", declaration_id=declaration.pk, number=open_draft.number)
    try:
        created = amendments.amendment_start(
            user=user, declaration_id=declaration.pk, reason=request.POST.get("reason", "")
        )
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:declaration", declaration_id=declaration.pk)
    messages.success(request, _("Düzəliş üçün yeni versiya hazırlanır: dəyişiklikləri edin, imzalayın və göndərin."))
    return redirect("portal:amendment", declaration_id=declaration.pk, number=created.number)


@require_GET
@trader_required
def amendment_view(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    """The request: its differences box by box, the reason, the signing, customs' answer."""
    amendment = _amendment(request, declaration_id, number)
    draft = amendment.status == RequestStatus.DRAFT
    return render(
        request,
        "portal/after/amendment.html",
        {
            "declaration": amendment.declaration,
            "amendment": amendment,
            "draft": draft,
            "changes": amendments.amendment_changes(amendment),
            "decisions": request_decisions(amendment),
            "amend_sections": _sections(request),
        },
    )


@require_GET
@trader_required
def amendment_signing(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    """The new version frozen for signing (certificate or Asan İmza); refused with the reasons
    (no reason given, nothing changed, rule errors …) when it cannot be signed yet."""
    user = current_user(request)
    amendment = _amendment(request, declaration_id, number)
    payload, refusal = None, None
    try:
        payload = amendments.amendment_signing_payload(user=user, declaration_id=declaration_id, number=number)
    except GomrukError as error:
        refusal = error
    asan = request.session.get(SESSION_ASAN)
    if not isinstance(asan, dict) or asan.get("amendment") != str(amendment.pk):
        asan = None
    return render(
        request,
        "portal/after/amendment_sign.html",
        {
            "declaration": amendment.declaration,
            "amendment": amendment,
            "payload": payload,
            "refusal": refusal.message() if refusal else None,
            "problems": _problems(refusal),
            "asan": asan,
            "phone_number": user.phone_number,
            "asan_user_id": user.asan_user_id,
        },
        status=refusal.status if refusal and refusal.status < 500 else 200,
    )


def _problems(error: GomrukError | None) -> list[dict[str, Any]]:
    rows = error.details.get("errors") if error is not None and isinstance(error.details, dict) else None
    return [row for row in rows or [] if isinstance(row, dict)]


@require_http_methods(["GET", "POST"])
@trader_required
def amendment_section(request: HttpRequest, declaration_id: Any, number: int, section: str, item: int | None = None) -> HttpResponse:
    """One section (or one goods item) of the working copy, edited like the draft editor."""
    if section not in AMENDABLE_SECTIONS:
        raise Http404
    user = current_user(request)
    amendment = _amendment(request, declaration_id, number)
    if request.method == "POST":
        try:
            amendment = amendments.amendment_input_save(
                user=user, declaration_id=declaration_id, number=number, values=posted_values(request)
            ).request
        except GomrukError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Yadda saxlanıldı."))
            go = request.POST.get("go", "")
            if go == "overview":
                return redirect("portal:amendment", declaration_id=declaration_id, number=number)
            if item is not None and go == section:
                return redirect("portal:amendment_item", declaration_id=declaration_id, number=number, section=section, item=item)
            if go in AMENDABLE_SECTIONS:
                return redirect("portal:amendment_section", declaration_id=declaration_id, number=number, section=go)
    data, pending = amendment.document, amendment.pending_input or {}
    goods = data.get("goods") or []
    if item is not None and not 1 <= item <= len(goods):
        raise Http404
    if item is not None:
        groups = item_groups(item - 1, data, pending)
    elif section == "goods":
        groups = []
    else:
        groups = section_groups(section, data, pending)
    inputs = [f for g in groups for f in g.inputs] + [f for g in groups for t in g.tables for row in t.rows for f in row]
    return render(
        request,
        "portal/after/amendment_section.html",
        {
            "declaration": amendment.declaration,
            "amendment": amendment,
            "editable": amendment.status == RequestStatus.DRAFT,
            "amending": True,
            "section": section,
            "section_title": section_title(section, request.LANGUAGE_CODE),
            "amend_sections": _sections(request),
            "groups": groups,
            "item": item,
            "goods": [(n, (g or {}).get("description") or "") for n, g in enumerate(goods, start=1)],
            "datalists": datalists(inputs),
            "form_action": reverse(
                "portal:amendment_item" if item else "portal:amendment_section",
                args=[declaration_id, number, section, item] if item else [declaration_id, number, section],
            ),
        },
    )


@require_POST
@trader_required
def amendment_reason(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    try:
        amendments.amendment_update(
            user=current_user(request), declaration_id=declaration_id, number=number,
            reason=request.POST.get("reason", ""),
        )
    except GomrukError as error:
        show_error(request, error)
    return redirect("portal:amendment", declaration_id=declaration_id, number=number)


@require_GET
@trader_required
def amendment_payload(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    try:
        payload = amendments.amendment_signing_payload(user=current_user(request), declaration_id=declaration_id, number=number)
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:amendment", declaration_id=declaration_id, number=number)
    response = HttpResponse(payload.payload, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="beyanname-{declaration_id}-v{payload.version}.json"'
    return response


@require_POST
@trader_required
def amendment_sign(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    upload = request.FILES.get("signature")
    if upload is None or (upload.size or 0) > 1_000_000:
        messages.error(request, _("İmza faylını (.p7s) seçin."))
        return redirect("portal:amendment_signing", declaration_id=declaration_id, number=number)
    try:
        amendments.amendment_sign(
            user=current_user(request), declaration_id=declaration_id, number=number, provider="certificate",
            signature=der_bytes(upload.read()), version=int(request.POST.get("version") or 0) or None,
        )
    except ValueError:
        raise Http404
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:amendment_signing", declaration_id=declaration_id, number=number)
    messages.success(request, _("Düzəliş sorğusu imzalandı və gömrüyə göndərildi."))
    return redirect("portal:amendment", declaration_id=declaration_id, number=number)


@require_POST
@trader_required
def amendment_asan_start(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    amendment = _amendment(request, declaration_id, number)
    try:
        tx = amendments.amendment_sign_asan_start(
            user=current_user(request), declaration_id=declaration_id, number=number,
            phone_number=request.POST.get("phone_number", ""), asan_user_id=request.POST.get("asan_user_id", ""),
        )
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:amendment_signing", declaration_id=declaration_id, number=number)
    request.session[SESSION_ASAN] = {
        "amendment": str(amendment.pk), "transaction_id": str(tx.id), "verification_code": tx.verification_code,
    }
    return redirect("portal:amendment_signing", declaration_id=declaration_id, number=number)


@require_GET
@trader_required
def amendment_asan_poll(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    amendment = _amendment(request, declaration_id, number)
    asan = request.session.get(SESSION_ASAN)
    if not isinstance(asan, dict) or asan.get("amendment") != str(amendment.pk):
        return render(request, "portal/partials/asan_state.html", {"state": "none"})
    try:
        status = amendments.amendment_sign_asan_poll(
            user=current_user(request), declaration_id=declaration_id, number=number, transaction_id=asan["transaction_id"]
        )
    except GomrukError as error:
        request.session.pop(SESSION_ASAN, None)
        return render(request, "portal/partials/asan_state.html", {"state": "failed", "error": error.message()})
    if status.state == "signed":
        request.session.pop(SESSION_ASAN, None)
        messages.success(request, _("Düzəliş sorğusu Asan İmza ilə imzalandı və gömrüyə göndərildi."))
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("portal:amendment", args=[declaration_id, number])
        return response
    if status.state != "pending":
        request.session.pop(SESSION_ASAN, None)
    return render(request, "portal/partials/asan_state.html", {"state": status.state, "asan": asan})


@require_POST
@trader_required
def amendment_discard(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    try:
        amendments.amendment_discard(user=current_user(request), declaration_id=declaration_id, number=number)
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:amendment", declaration_id=declaration_id, number=number)
    messages.success(request, _("Düzəliş layihəsi ləğv edildi."))
    return redirect("portal:declaration", declaration_id=declaration_id)


@require_POST
@trader_required
def cancellation(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    try:
        cancellation_request(
            user=current_user(request), declaration_id=declaration_id, reason=request.POST.get("reason", ""),
            goods_not_taken=request.POST.get("goods_not_taken") == "1",
        )
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Ləğv sorğusu gömrüyə göndərildi."))
    return redirect("portal:declaration", declaration_id=declaration_id)


@require_GET
def versions(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Every version (the declarant's, or the holding office's view), with links to its
    differences and its printed form."""
    if not request.user.is_authenticated:
        raise Http404
    user = current_user(request)
    try:
        declaration = declaration_get(user=user, declaration_id=declaration_id)
        found = declaration_versions(user=user, declaration_id=declaration.pk)
    except GomrukError:
        raise Http404
    return render(request, "portal/after/versions.html", {"declaration": declaration, "versions": found})


@require_GET
def diff(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    against = request.GET.get("against")
    try:
        found = version_diff(
            user=current_user(request), declaration_id=declaration_id, number=number,
            against=int(against) if against and against.isdigit() else None,
        )
    except GomrukError:
        raise Http404
    return render(request, "portal/after/diff.html", {"declaration": found.declaration, "diff": found, "changes": found.boxes})
