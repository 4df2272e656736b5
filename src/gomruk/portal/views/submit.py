"""Yekun (totals, document copies, the full check, the PDF) and the way out: sign, confirm, send."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.core.errors import GomrukError
from gomruk.core.i18n import is_english
from gomruk.declarations.attachments import (
    attachment_add,
    attachment_get,
    attachment_list,
    attachments_by_line,
)
from gomruk.declarations.downloads import attachment_response
from gomruk.declarations.selectors import declaration_get, declaration_read
from gomruk.declarations.services import declaration_document
from gomruk.declarations.signing import (
    declaration_sign,
    declaration_sign_asan_poll,
    declaration_sign_asan_start,
    signing_payload,
)
from gomruk.declarations.states import Actor, can, document_editable
from gomruk.declarations.submission import (
    current_terms,
    declaration_confirm,
    declaration_send,
    declaration_withdraw,
)
from gomruk.declarations.totals import declaration_totals
from gomruk.declarations.validation import declaration_errors
from gomruk.duties.calculation import estimate_document
from gomruk.portal import errors as shown_errors
from gomruk.portal.choices import label_of, options
from gomruk.portal.fields import SECTIONS, section_title
from gomruk.portal.views.common import current_user, error_list, show_error, trader_required
from gomruk.printing.services import declaration_print
from gomruk.signatures.login import der_bytes

SESSION_SIGN = "portal_sign_asan"


def _nav(request: HttpRequest) -> list[tuple[str, int, str]]:
    return [(s, n, section_title(s, request.LANGUAGE_CODE)) for n, s in enumerate(SECTIONS, start=1)]


def _estimate(declaration: Any) -> tuple[Any, str | None]:
    try:
        return estimate_document(declaration_document(declaration), on=declaration.acceptance_date), None
    except GomrukError as error:
        return None, error.message()


def _upload_anchor(item_number: object, document_index: object) -> str:
    return f"doc-{item_number}-{document_index}"


def _messages_by_upload(request: HttpRequest) -> tuple[list[Any], dict[str, list[Any]]]:
    """The page's messages, and those about one upload keyed by its line's anchor: an upload's
    answer is shown in the card of the line it was for, where the declarant is looking."""
    page: list[Any] = []
    by_anchor: dict[str, list[Any]] = {}
    for message in messages.get_messages(request):
        anchor = next((tag for tag in message.extra_tags.split() if tag.startswith("doc-")), None)
        (by_anchor.setdefault(anchor, []) if anchor else page).append(message)
    return page, by_anchor


def _document_lines(
    declaration: Any, attachments: list[Any], upload_messages: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    """Every box-44 line of every goods item, with the copies covering it and the answer to
    its last upload."""
    by_line = attachments_by_line(declaration.document, attachments)
    lines = []
    for item_number, item in enumerate(declaration.document.get("goods") or [], start=1):
        for index, line in enumerate(item.get("documents") or [], start=1):
            lines.append(
                {
                    "item": item_number,
                    "index": index,
                    "line": line,
                    "type_name": label_of("document-types", line.get("code")),
                    "attachments": by_line.get((item_number, index), []),
                    "anchor": _upload_anchor(item_number, index),
                    "messages": upload_messages.get(_upload_anchor(item_number, index), []),
                }
            )
    return lines


@require_GET
@trader_required
def summary(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    user = current_user(request)
    declaration = declaration_read(user=user, declaration_id=declaration_id)
    attachments = attachment_list(user=user, declaration_id=declaration.pk)
    errors = shown_errors.shown(declaration.pk, declaration_errors(declaration=declaration))
    calculation, calculation_error = _estimate(declaration)
    english = is_english(request.LANGUAGE_CODE)
    page_messages, upload_messages = _messages_by_upload(request)
    lines = _document_lines(declaration, attachments, upload_messages)
    shown_by_a_line = {line["anchor"] for line in lines}
    # An answer about a line that is not on the page (an item since removed) is not lost.
    page_messages += [m for anchor, found in upload_messages.items() if anchor not in shown_by_a_line for m in found]
    return render(
        request,
        "portal/summary.html",
        {
            "page_messages": page_messages,
            "declaration": declaration,
            "section": "summary",
            "section_number": 5,
            "section_title": section_title("summary", request.LANGUAGE_CODE),
            "sections": _nav(request),
            "totals": declaration_totals(declaration.document),
            "accounting": declaration.document.get("accounting") or {},
            "calculation": calculation,
            "calculation_error": calculation_error,
            "english": english,
            "lines": lines,
            "item_numbers": range(1, len(declaration.document.get("goods") or []) + 1),
            "errors": errors,
            "blocking": [e for e in errors if e.severity == "error"],
            "pending": declaration.pending_input or {},
            "can_attach": document_editable(declaration.state),
        },
    )


@require_POST
@trader_required
def attachment_upload(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    item_number, document_index = request.POST.get("item_number", "0"), request.POST.get("document_index", "0")
    anchor = _upload_anchor(item_number, document_index) if f"{item_number}{document_index}".isdigit() else ""
    back = reverse("portal:summary", args=[declaration_id]) + f"#{anchor or 'documents'}"
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Faylı seçin."), extra_tags=anchor)
        return redirect(back)
    try:
        attachment_add(
            user=current_user(request),
            declaration_id=declaration_id,
            upload=upload,
            item_number=int(item_number),
            document_index=int(document_index),
            also_items=[int(n) for n in request.POST.getlist("also_items")],
        )
    except ValueError:
        raise Http404
    except GomrukError as error:
        messages.error(request, error.message(), extra_tags=anchor)
    else:
        messages.success(request, _("Sənədin surəti əlavə edildi."), extra_tags=anchor)
    return redirect(back)


def attachment_file(request: HttpRequest, declaration_id: Any, attachment_id: Any) -> HttpResponseBase:
    """A copy of a document, for whoever may see the declaration (declarant or officer)."""
    if not request.user.is_authenticated:
        raise Http404
    try:
        attachment = attachment_get(
            user=current_user(request), declaration_id=declaration_id, attachment_id=attachment_id
        )
    except GomrukError:
        raise Http404
    return attachment_response(attachment, download=False)


def pdf(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """The printed form (draft watermark until the declaration is sent); ``?version=n``: that
    frozen version."""
    if not request.user.is_authenticated:
        raise Http404
    version = request.GET.get("version", "")
    try:
        printed = declaration_print(
            user=current_user(request), declaration_id=declaration_id,
            version=int(version) if version.isdigit() else None,
        )
    except GomrukError as error:
        if error.status == 404:
            raise Http404
        show_error(request, error)
        return redirect("portal:summary", declaration_id=declaration_id)
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return response


# --- Sign, confirm, send -----------------------------------------------------------------------


def _sign_page(request: HttpRequest, declaration: Any, *, refusal: GomrukError | None = None, status: int = 200) -> HttpResponse:
    user = current_user(request)
    payload = None
    problems = []
    if can("sign", declaration.state, Actor.TRADER) and refusal is None:
        try:
            payload = signing_payload(user=user, declaration_id=declaration.pk)
        except GomrukError as error:
            refusal = error
    if refusal is not None:
        problems = shown_errors.shown(declaration.pk, error_list(refusal))
    asan = request.session.get(SESSION_SIGN)
    if not isinstance(asan, dict) or asan.get("declaration") != str(declaration.pk):
        asan = None
    return render(
        request,
        "portal/sign.html",
        {
            "declaration": declaration,
            "payload": payload,
            "refusal": refusal.message() if refusal else None,
            "problems": problems,
            "asan": asan,
            "phone_number": user.phone_number,
            "asan_user_id": user.asan_user_id,
            "sections": _nav(request),
            "section": "summary",
        },
        status=status,
    )


@require_GET
@trader_required
def sign(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    declaration = declaration_get(user=current_user(request), declaration_id=declaration_id)
    if can("confirm", declaration.state, Actor.TRADER):
        return redirect("portal:confirm", declaration_id=declaration.pk)
    if can("send", declaration.state, Actor.TRADER):
        return redirect("portal:send", declaration_id=declaration.pk)
    return _sign_page(request, declaration)


@require_GET
@trader_required
def sign_payload(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """The exact bytes to sign (canonical JSON of the frozen version and attachment hashes)."""
    try:
        payload = signing_payload(user=current_user(request), declaration_id=declaration_id)
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:sign", declaration_id=declaration_id)
    response = HttpResponse(payload.payload, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="beyanname-{declaration_id}-v{payload.version}.json"'
    return response


@require_POST
@trader_required
def sign_upload(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    upload = request.FILES.get("signature")
    if upload is None or (upload.size or 0) > 1_000_000:
        messages.error(request, _("İmza faylını (.p7s) seçin."))
        return redirect("portal:sign", declaration_id=declaration.pk)
    try:
        version = int(request.POST.get("version") or 0) or None
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=der_bytes(upload.read()), version=version)
    except ValueError:
        raise Http404
    except GomrukError as error:
        return _sign_page(request, declaration, refusal=error, status=error.status)
    messages.success(request, _("Bəyannamə imzalandı."))
    return redirect("portal:confirm", declaration_id=declaration.pk)


@require_POST
@trader_required
def sign_asan_start(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    try:
        tx = declaration_sign_asan_start(
            user=user,
            declaration_id=declaration.pk,
            phone_number=request.POST.get("phone_number", ""),
            asan_user_id=request.POST.get("asan_user_id", ""),
        )
    except GomrukError as error:
        return _sign_page(request, declaration, refusal=error, status=error.status)
    request.session[SESSION_SIGN] = {
        "declaration": str(declaration.pk),
        "transaction_id": str(tx.id),
        "verification_code": tx.verification_code,
        "phone_number": tx.phone_number,
    }
    return redirect("portal:sign", declaration_id=declaration.pk)


@require_GET
@trader_required
def sign_asan_poll(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    asan = request.session.get(SESSION_SIGN)
    if not isinstance(asan, dict) or asan.get("declaration") != str(declaration_id):
        return render(request, "portal/partials/asan_state.html", {"state": "none"})
    try:
        status = declaration_sign_asan_poll(
            user=current_user(request), declaration_id=declaration_id, transaction_id=asan["transaction_id"]
        )
    except GomrukError as error:
        request.session.pop(SESSION_SIGN, None)
        return render(request, "portal/partials/asan_state.html", {"state": "failed", "error": error.message()})
    if status.state == "signed":
        request.session.pop(SESSION_SIGN, None)
        messages.success(request, _("Bəyannamə Asan İmza ilə imzalandı."))
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("portal:confirm", args=[declaration_id])
        return response
    if status.state != "pending":
        request.session.pop(SESSION_SIGN, None)
    return render(request, "portal/partials/asan_state.html", {"state": status.state, "asan": asan})


@require_http_methods(["GET", "POST"])
@trader_required
def confirm(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    terms = current_terms()
    if request.method == "POST":
        try:
            declaration_confirm(
                user=user,
                declaration_id=declaration.pk,
                terms_version=request.POST.get("terms_version", ""),
                accepted=request.POST.get("accepted") == "1",
            )
        except GomrukError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Bəyannamə təsdiq edildi."))
            return redirect("portal:send", declaration_id=declaration.pk)
    english = is_english(request.LANGUAGE_CODE)
    return render(
        request,
        "portal/confirm.html",
        {
            "declaration": declaration,
            "terms": terms,
            "terms_text": (terms.text_en if english and terms and terms.text_en else terms.text_az if terms else ""),
            "sections": _nav(request),
            "section": "summary",
        },
    )


@require_http_methods(["GET", "POST"])
@trader_required
def send(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    office = request.POST.get("office_code", "") or declaration.office_code or ""
    if request.method == "POST":
        try:
            declaration = declaration_send(user=user, declaration_id=declaration.pk, office_code=office)
        except GomrukError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("Bəyannamə göndərildi. Qeydiyyat nömrəsi: %(number)s") % {"number": declaration.registration_number},
            )
            return redirect("portal:declaration", declaration_id=declaration.pk)
    return render(
        request,
        "portal/send.html",
        {
            "declaration": declaration,
            "offices": options("customs-offices"),
            "office": office,
            "sections": _nav(request),
            "section": "summary",
        },
    )


@require_POST
@trader_required
def withdraw(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    try:
        declaration_withdraw(user=current_user(request), declaration_id=declaration_id, reason=request.POST.get("reason", ""))
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Bəyannamə geri götürüldü."))
    return redirect("portal:declaration", declaration_id=declaration_id)
