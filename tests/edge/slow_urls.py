"""A URL configuration for the request-release tests: one view that waits to be let go."""

from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse
from django.urls import path

ENTERED = threading.Event()
RELEASE = threading.Event()
DONE = threading.Event()
#: What the view read from its request after it was let go.
SEEN: dict[str, object] = {}


def slow(request: HttpRequest) -> HttpResponse:
    ENTERED.set()
    RELEASE.wait(10)
    try:
        SEEN["method"] = request.method
        SEEN["authenticated"] = request.user.is_authenticated
    except Exception as exc:  # noqa: BLE001 (what the test reports)
        SEEN["error"] = repr(exc)
    finally:
        DONE.set()
    return HttpResponse("done")


urlpatterns = [path("slow/", slow)]
