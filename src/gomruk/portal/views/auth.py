"""Signing in: certificate (a signed challenge), Asan İmza, or — demo users only — a password."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.accounts.auth import challenge_create
from gomruk.accounts.models import Role, User
from gomruk.accounts.throttle import LoginLocked, password_authenticate
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError
from gomruk.signatures.login import (
    asan_login_poll,
    asan_login_start,
    certificate_login,
    session_login,
)

SESSION_NONCE = "portal_login_nonce"
SESSION_ASAN = "portal_login_asan"


def _landing(request: HttpRequest, user: User) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("portal:queue") if user.role == Role.OFFICER else reverse("portal:home")


def _sign_in(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(_landing(request, user))


def _nonce(request: HttpRequest) -> str:
    nonce = request.session.get(SESSION_NONCE)
    if not nonce:
        nonce = challenge_create().nonce
        request.session[SESSION_NONCE] = nonce
    return str(nonce)


def _page(request: HttpRequest, *, tab: str = "certificate", error: str | None = None, status: int = 200) -> HttpResponse:
    asan = session_login(request.session.get(SESSION_ASAN))
    return render(
        request,
        "portal/login.html",
        # The challenge is made when it is downloaded: an anonymous visit to the page creates no
        # session (and no challenge row).
        {"tab": tab, "error": error, "nonce": request.session.get(SESSION_NONCE, ""), "asan": asan, "next": request.GET.get("next", "")},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """GET: the three ways in. POST: the demo password."""
    if request.method == "GET":
        return _page(request, tab=request.GET.get("tab", "certificate"))
    try:
        user = password_authenticate(
            request=request, username=request.POST.get("username", ""), password=request.POST.get("password", ""),
            channel="portal", demo_only=True,
        )
    except LoginLocked as locked:
        audit_record(actor=None, action="portal.login", outcome="locked", details={"method": "password"})
        response = _page(request, tab="password", error=locked.message(), status=429)
        response["Retry-After"] = str(locked.details["retry_after"])
        return response
    if user is not None:
        audit_record(actor=user, action="portal.login", details={"method": "password"})
        return _sign_in(request, user)
    audit_record(actor=None, action="portal.login", outcome="refused", details={"method": "password"})
    from django.utils.translation import gettext as _

    return _page(request, tab="password", error=_("İstifadəçi adı və ya parol səhvdir."), status=401)


@require_GET
def challenge_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_nonce(request).encode("ascii"), content_type="application/octet-stream")
    response["Content-Disposition"] = 'attachment; filename="gomruk-challenge.txt"'
    return response


@require_POST
def certificate_view(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    nonce = request.session.pop(SESSION_NONCE, None)
    signature = request.FILES.get("signature")
    certificate = request.FILES.get("certificate")
    if not nonce or signature is None or certificate is None:
        return _page(request, tab="certificate", error=_("İmza faylını və sertifikatı seçin."), status=400)
    if (signature.size or 0) > 1_000_000 or (certificate.size or 0) > 1_000_000:
        return _page(request, tab="certificate", error=_("Fayl çox böyükdür."), status=400)
    try:
        user = certificate_login(nonce=str(nonce), certificate=certificate.read(), signature=signature.read())
    except GomrukError as error:
        return _page(request, tab="certificate", error=error.message(), status=error.status)
    return _sign_in(request, user)


@require_POST
def asan_start_view(request: HttpRequest) -> HttpResponse:
    try:
        started = asan_login_start(
            phone_number=request.POST.get("phone_number", ""), asan_user_id=request.POST.get("asan_user_id", "")
        )
    except GomrukError as error:
        return _page(request, tab="asan", error=error.message(), status=error.status)
    request.session[SESSION_ASAN] = asdict(started)
    return redirect(f"{reverse('portal:login')}?tab=asan")


@require_GET
def asan_poll_view(request: HttpRequest) -> HttpResponse:
    """Polled by htmx every two seconds; answers with the state, or sends the browser home."""
    started = session_login(request.session.get(SESSION_ASAN))
    if started is None:
        return render(request, "portal/partials/asan_state.html", {"state": "none"})
    try:
        state, user = asan_login_poll(login=started)
    except GomrukError as error:
        request.session.pop(SESSION_ASAN, None)
        return render(request, "portal/partials/asan_state.html", {"state": "failed", "error": error.message()})
    if user is None:
        if state != "pending":
            request.session.pop(SESSION_ASAN, None)
        return render(request, "portal/partials/asan_state.html", {"state": state, "asan": started})
    request.session.pop(SESSION_ASAN, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = HttpResponse(status=204)
    response["HX-Redirect"] = _landing(request, user)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")
