"""Complaints in the portal: the trader prepares one against a decision, attaches documents,
signs it (certificate or Asan İmza) and follows its timeline; the superior body's officers see
their queue (nearest deadline first, overdue flagged), take a complaint into review and decide
it in writing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.accounts.models import Role
from gomruk.complaints import review, services
from gomruk.complaints.downloads import complaint_attachment_response
from gomruk.complaints.models import ComplaintState, ContestedDecision
from gomruk.complaints.selectors import (
    complaint_attachment,
    complaint_attachments,
    complaint_declaration,
    complaint_list,
    complaint_queue,
    complaint_view,
    contestable_decisions,
)
from gomruk.core.errors import GomrukError
from gomruk.customs.models import Channel
from gomruk.declarations.selectors import declaration_get
from gomruk.portal.choices import label_of
from gomruk.portal.views.common import current_user, officer_required, show_error, trader_required
from gomruk.printing.services import declaration_render
from gomruk.signatures.login import der_bytes

SESSION_ASAN = "portal_complaint_asan"


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise Http404


@require_http_methods(["GET", "POST"])
@trader_required
def complaint_new(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Choose the decision and write the grounds; attachments and the signature come next."""
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    contestable = contestable_decisions(user=user, declaration=declaration)
    chosen = request.POST.get("decision") or request.GET.get("decision") or ""
    if request.method == "POST":
        try:
            created = services.complaint_create(
                user=user, declaration_id=declaration.pk, event_id=chosen, grounds=request.POST.get("grounds", "")
            )
        except GomrukError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Şikayət hazırlanır: sənədləri əlavə edin və imzalayın."))
            return redirect("portal:complaint", complaint_id=created.pk)
    return render(
        request,
        "portal/complaints/new.html",
        {
            "declaration": declaration,
            "contestable": contestable,
            "chosen": chosen,
            "grounds": request.POST.get("grounds", ""),
        },
    )


@require_GET
def complaint_detail(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    """The complaint's page for each of its readers: the trader (timeline, signing while it is
    a draft), the superior body (review and decision), the deciding office (read only)."""
    _signed_in(request)
    user = current_user(request)
    try:
        view = complaint_view(user=user, complaint_id=complaint_id)
    except GomrukError:
        return render(request, "portal/not_found.html", status=404)
    complaint = view.complaint
    trader = user.role in (Role.DECLARANT, Role.REPRESENTATIVE)
    asan = request.session.get(SESSION_ASAN)
    if not isinstance(asan, dict) or asan.get("complaint") != str(complaint.pk):
        asan = None
    return render(
        request,
        "portal/complaints/detail.html",
        {
            "view": view,
            "complaint": complaint,
            "declaration": complaint.declaration,
            "trader": trader,
            "draft": trader and complaint.state == ComplaintState.DRAFT,
            "attachments": complaint_attachments(complaint),
            "decision_record": getattr(complaint, "decision_record", None)
            if complaint.state not in (ComplaintState.DRAFT, ComplaintState.LODGED, ComplaintState.UNDER_REVIEW)
            else None,
            "reviewing_name": label_of("customs-offices", complaint.reviewing_office) or _("Dövlət Gömrük Komitəsi"),
            "deciding_name": label_of("customs-offices", complaint.deciding_office),
            "asan": asan,
            "phone_number": user.phone_number,
            "asan_user_id": user.asan_user_id,
            "channels": Channel.choices,
            "channel_complaint": complaint.decision == ContestedDecision.CHANNEL,
        },
    )


@require_GET
@trader_required
def complaints_mine(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/complaints/list.html", {"views": complaint_list(user=current_user(request))})


@require_POST
@trader_required
def complaint_attach(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Faylı seçin."))
    else:
        try:
            services.complaint_attach(user=current_user(request), complaint_id=complaint_id, upload=upload)
        except GomrukError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Sənəd əlavə edildi."))
    return redirect("portal:complaint", complaint_id=complaint_id)


def complaint_declaration_pdf(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    """The contested declaration printed, for whoever may see the complaint (the superior body
    reads it through the complaint)."""
    _signed_in(request)
    try:
        printed = declaration_render(complaint_declaration(user=current_user(request), complaint_id=complaint_id))
    except GomrukError:
        raise Http404
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return response


def complaint_file(request: HttpRequest, complaint_id: Any, attachment_id: Any) -> HttpResponseBase:
    _signed_in(request)
    try:
        found = complaint_attachment(user=current_user(request), complaint_id=complaint_id, attachment_id=attachment_id)
    except GomrukError:
        raise Http404
    return complaint_attachment_response(found, download=False)


@require_GET
@trader_required
def complaint_payload(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    try:
        found = services.complaint_signing_payload(user=current_user(request), complaint_id=complaint_id)
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:complaint", complaint_id=complaint_id)
    response = HttpResponse(found.payload, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="sikayet-{complaint_id}.json"'
    return response


@require_POST
@trader_required
def complaint_sign(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    upload = request.FILES.get("signature")
    if upload is None or (upload.size or 0) > 1_000_000:
        messages.error(request, _("İmza faylını (.p7s) seçin."))
        return redirect("portal:complaint", complaint_id=complaint_id)
    try:
        services.complaint_sign(user=current_user(request), complaint_id=complaint_id, signature=der_bytes(upload.read()))
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Şikayət imzalandı və yuxarı orqana göndərildi."))
    return redirect("portal:complaint", complaint_id=complaint_id)


@require_POST
@trader_required
def complaint_asan_start(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    try:
        tx = services.complaint_sign_asan_start(
            user=current_user(request), complaint_id=complaint_id,
            phone_number=request.POST.get("phone_number", ""), asan_user_id=request.POST.get("asan_user_id", ""),
        )
    except GomrukError as error:
        show_error(request, error)
    else:
        request.session[SESSION_ASAN] = {
            "complaint": str(complaint_id), "transaction_id": str(tx.id), "verification_code": tx.verification_code,
        }
    return redirect("portal:complaint", complaint_id=complaint_id)


@require_GET
@trader_required
def complaint_asan_poll(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    asan = request.session.get(SESSION_ASAN)
    if not isinstance(asan, dict) or asan.get("complaint") != str(complaint_id):
        return render(request, "portal/partials/asan_state.html", {"state": "none"})
    try:
        status = services.complaint_sign_asan_poll(
            user=current_user(request), complaint_id=complaint_id, transaction_id=asan["transaction_id"]
        )
    except GomrukError as error:
        request.session.pop(SESSION_ASAN, None)
        return render(request, "portal/partials/asan_state.html", {"state": "failed", "error": error.message()})
    if status.state == "signed":
        request.session.pop(SESSION_ASAN, None)
        messages.success(request, _("Şikayət Asan İmza ilə imzalandı və yuxarı orqana göndərildi."))
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("portal:complaint", args=[complaint_id])
        return response
    if status.state != "pending":
        request.session.pop(SESSION_ASAN, None)
    return render(request, "portal/partials/asan_state.html", {"state": status.state, "asan": asan})


@require_POST
@trader_required
def complaint_discard(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    try:
        complaint = services.complaint_discard(user=current_user(request), complaint_id=complaint_id)
    except GomrukError as error:
        show_error(request, error)
        return redirect("portal:complaint", complaint_id=complaint_id)
    messages.success(request, _("Şikayət layihəsi ləğv edildi."))
    return redirect("portal:declaration", declaration_id=complaint.declaration_id)


# --- The superior body -----------------------------------------------------------------------


@require_GET
@officer_required
def complaint_queue_view(request: HttpRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    views = complaint_queue(officer=current_user(request), overdue_only=overdue)
    return render(request, "portal/officer/complaints.html", {"views": views, "overdue": overdue})


@require_POST
@officer_required
def complaint_take(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    try:
        review.complaint_take(officer=current_user(request), complaint_id=complaint_id)
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Şikayət baxışa götürüldü."))
    return redirect("portal:complaint", complaint_id=complaint_id)


@require_POST
@officer_required
def complaint_decide(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    post = request.POST
    reverse_choice = {"1": True, "0": False}.get(post.get("reverse", ""))
    try:
        review.complaint_decide(
            officer=current_user(request), complaint_id=complaint_id, outcome=post.get("outcome", ""),
            text=post.get("text", ""), reverse=reverse_choice, channel=post.get("channel") or None,
        )
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Şikayət üzrə qərar qəbul edildi."))
    return redirect("portal:complaint", complaint_id=complaint_id)
