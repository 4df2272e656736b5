"""Portal pages. Thin: they parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gomruk.declarations.selectors import declaration_list
from gomruk.reference.selectors import classifier_list


def home(request: HttpRequest) -> HttpResponse:
    declarations = declaration_list(user=request.user)[:50] if request.user.is_authenticated else []  # type: ignore[arg-type]
    state = request.GET.get("state")
    if request.user.is_authenticated and state:
        declarations = declaration_list(user=request.user, state=state)[:50]  # type: ignore[arg-type]
    return render(
        request,
        "portal/home.html",
        {"declarations": declarations, "classifiers": classifier_list(), "state": state},
    )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        user = authenticate(
            request, username=request.POST.get("username", ""), password=request.POST.get("password", "")
        )
        if user is not None and getattr(user, "is_demo", False):
            login(request, user)
            return redirect("portal:home")
        error = True
    return render(request, "portal/login.html", {"error": error})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")
