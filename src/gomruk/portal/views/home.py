"""The declarant's home page, a declaration's timeline, and starting a new declaration."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.accounts.models import Role
from gomruk.accounts.selectors import acting_voens, own_voens, trader_names
from gomruk.complaints.selectors import complaints_of_declaration, contestable_decisions
from gomruk.core.errors import GomrukError
from gomruk.customs.selectors import return_reasons
from gomruk.declarations.amendments import amendments_of
from gomruk.declarations.cancellation import cancellations_of
from gomruk.declarations.copying import declaration_copy
from gomruk.declarations.export import home_xlsx
from gomruk.declarations.lifecycle import declaration_events
from gomruk.declarations.models import State
from gomruk.declarations.selectors import HomeSearch, declaration_get, home_rows
from gomruk.declarations.services import declaration_create, parse_document
from gomruk.declarations.states import (
    AFTER_RELEASE,
    Actor,
    allowed_requests,
    can,
    document_editable,
)
from gomruk.portal.choices import label_of, options
from gomruk.portal.views.common import current_user, date_param, show_error, trader_required
from gomruk.reference.snapshot import current_reference

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("portal:login")
    user = current_user(request)
    if user.role == Role.OFFICER:
        return redirect("portal:queue")
    if user.role not in (Role.DECLARANT, Role.REPRESENTATIVE):
        return render(request, "portal/admin_home.html")
    return _home(request)


def _home_search(request: HttpRequest) -> HomeSearch:
    get = request.GET
    return HomeSearch(
        q=get.get("q", "").strip(), state=get.get("state") or None, created_from=date_param(request, "from"),
        created_to=date_param(request, "to"), sort=get.get("sort") or "-updated",
    )


@trader_required
def _home(request: HttpRequest) -> HttpResponse:
    search = _home_search(request)
    page = Paginator(home_rows(user=current_user(request), search=search), 25).get_page(request.GET.get("page"))
    reference = current_reference()
    offices = {d.office_code: label_of("customs-offices", d.office_code, reference) for d in page if d.office_code}
    types = {d.declaration_type: label_of("declaration-types", d.declaration_type, reference) for d in page}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/home.html",
        {
            "page": page, "search": search, "state": search.state, "states": State.choices, "offices": offices,
            "types": types, "sorts": HOME_SORT_LABELS, "query": query.urlencode(),
        },
    )


HOME_SORT_LABELS = [
    ("-updated", _lazy("Son dəyişən əvvəl")), ("updated", _lazy("Köhnə dəyişən əvvəl")),
    ("-created", _lazy("Ən yeni əvvəl")), ("created", _lazy("Ən köhnə əvvəl")), ("number", _lazy("Nömrə")),
    ("trader", _lazy("XİFİ")), ("state", _lazy("Mərhələ")),
]


@require_GET
@trader_required
def declarations_export(request: HttpRequest) -> HttpResponse:
    """The home list, as searched and sorted, as a spreadsheet (issue 16.9)."""
    rows = home_rows(user=current_user(request), search=_home_search(request))
    response = HttpResponse(home_xlsx(rows.iterator()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="declarations.xlsx"'
    return response


@trader_required
def declaration_detail(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Every status event of a declaration, with customs' reasons when it was returned."""
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    events = declaration_events(user=user, declaration_id=declaration.pk)
    reasons = return_reasons(user=user, declaration_id=declaration.pk)
    return render(
        request,
        "portal/declaration.html",
        {
            "declaration": declaration,
            "events": events,
            "reasons": reasons,
            "editable": document_editable(declaration.state),
            "withdrawable": can("withdraw", declaration.state, Actor.TRADER),
            "office_name": label_of("customs-offices", declaration.office_code),
            "type_name": label_of("declaration-types", declaration.declaration_type),
            # After sending (issue 19): what may be asked now, and what was asked.
            "requests": allowed_requests(declaration.state, Actor.TRADER),
            "after_release": declaration.state in AFTER_RELEASE,
            "amendments": amendments_of(user=user, declaration=declaration),
            "cancellations": cancellations_of(declaration=declaration),
            "complaints": complaints_of_declaration(user=user, declaration_id=declaration.pk),
            "contestable": contestable_decisions(user=user, declaration=declaration),
            "copy_token": uuid.uuid4().hex,
        },
    )


#: Session key: the copy form's one-time token → the draft it made (a double submit or a
#: reload of the POST answers the same draft instead of a second copy).
COPIES_MADE = "portal.copies"


@require_POST
@trader_required
def declaration_copy_view(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """"Start from this one": a new draft copied from the declaration (issue 16 item 6)."""
    token = request.POST.get("copy_token", "")[:64]
    made: dict[str, str] = request.session.get(COPIES_MADE, {})
    if token and token in made:
        return redirect("portal:section", declaration_id=made[token], section="general")
    try:
        copied = declaration_copy(user=current_user(request), declaration_id=declaration_id)
    except GomrukError as error:
        if error.status == 404:
            raise  # another party's declaration: the portal's not-found page
        show_error(request, error)
        return redirect("portal:declaration", declaration_id=declaration_id)
    if token:
        # Only the latest few are needed to catch a repeated submit.
        request.session[COPIES_MADE] = dict(list(made.items())[-19:] + [(token, str(copied.pk))])
    messages.success(request, _("Yeni qaralama əvvəlki bəyannamədən köçürüldü."))
    return redirect("portal:section", declaration_id=copied.pk, section="general")


@require_http_methods(["GET", "POST"])
@trader_required
def declaration_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    voens = sorted(acting_voens(user))
    own = own_voens(user)
    traders = trader_names(voens)
    form = {
        "declaration_type": request.POST.get("declaration_type", "01"),
        "direction": request.POST.get("direction", ""),
        "procedure": request.POST.get("procedure", ""),
        "voen": request.POST.get("voen", voens[0] if len(voens) == 1 else ""),
    }
    if request.method == "POST":
        try:
            # Boxes 2/8/9, 13, 14 and 54 are filled by the service from the account: the trader
            # chosen here, and for a principal the broker's firm and licence.
            document = parse_document(
                {
                    "declaration_type": form["declaration_type"].strip() or None,
                    "direction": form["direction"].strip() or None,
                    "procedure": form["procedure"].strip() or None,
                }
            )
            declaration = declaration_create(user=user, document=document, voen=form["voen"] or None)
        except GomrukError as error:
            show_error(request, error)
        else:
            return redirect("portal:section", declaration_id=declaration.pk, section="general")
    return render(
        request,
        "portal/new.html",
        {
            "form": form,
            "voens": [(v, traders.get(v, ""), v not in own) for v in voens],
            "broker": any(v not in own for v in voens),
            "types": options("declaration-types"),
            "procedures": options("procedures"),
        },
    )
