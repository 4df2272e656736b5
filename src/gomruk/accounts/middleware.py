"""Per-request memo of the caller's VÖENs (``accounts.selectors.voens_memoised``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from gomruk.accounts.selectors import voens_memoised


class VoensPerRequest:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with voens_memoised():
            return self.get_response(request)
