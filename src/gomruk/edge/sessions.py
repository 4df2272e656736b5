"""Portal and admin sessions end 8 hours after sign-in at the latest, and after
``GOMRUK_SESSION_IDLE`` seconds (30 minutes by default) without a request.

The times live in the session itself. The idle clock is written at most once a minute, so an
active person does not rewrite the session row on every request. An expired session is
flushed, and the request goes on as an anonymous one (pages that need a login ask for it).
Only signed-in requests are looked at: no session is ever created here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

STARTED = "gomruk_signed_in_at"
SEEN = "gomruk_seen_at"
SEEN_RESOLUTION = 60


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, so no one signed in: the lazy user is not worked out for nothing
            # (an API request with a bearer token comes this way every time).
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = int(session.get(STARTED, now))
            seen = int(session.get(SEEN, now))
            if now - started > settings.SESSION_COOKIE_AGE or now - seen > settings.GOMRUK_SESSION_IDLE:
                logout(request)
            else:
                if STARTED not in session:
                    session[STARTED] = now
                if now - seen >= SEEN_RESOLUTION or SEEN not in session:
                    session[SEEN] = now
        return self.get_response(request)
