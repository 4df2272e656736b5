"""The trader's notifications, newest first; "mark all read" clears the unread count."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gomruk.core.i18n import is_english
from gomruk.notifications.selectors import notifications_of
from gomruk.notifications.services import notifications_mark_read
from gomruk.portal.views.common import current_user, trader_required


@require_GET
@trader_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = Paginator(notifications_of(user), 50).get_page(request.GET.get("page"))
    english = is_english(request.LANGUAGE_CODE)
    rows = [{"row": n, "title": n.title_en if english else n.title_az, "unread": n.read_at is None} for n in page]
    return render(request, "portal/notifications.html", {"page": page, "rows": rows})


@require_POST
@trader_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=current_user(request))
    return redirect("portal:notifications")
