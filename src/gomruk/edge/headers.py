"""Browser-hardening headers Django's SecurityMiddleware does not send.

Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval': every script and style
of the portal, the API docs (django-ninja's Swagger UI, served from our static files) and the
admin comes from this origin as a file. ``img-src data:`` is for Swagger UI's icons, which
its stylesheet embeds as data: URLs. Permissions-Policy switches off browser features no page
uses. HSTS, Referrer-Policy, Cross-Origin-Opener-Policy and nosniff come from Django's
SecurityMiddleware (settings.py). Headers a view has set itself are kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
