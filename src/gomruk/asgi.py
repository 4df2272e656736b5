"""The application ``gomruk serve`` runs: Django's ASGI handler behind the request gate."""

import os

from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings")

from gomruk.edge.handler import asgi_application  # noqa: E402 (the settings module named first)

django_application = asgi_application()

from gomruk.edge.gate import RequestGate  # noqa: E402 (after Django is set up)

application = RequestGate(
    django_application,
    threads=settings.GOMRUK_REQUEST_THREADS,
    max_body=settings.GOMRUK_MAX_REQUEST_BODY,
)
