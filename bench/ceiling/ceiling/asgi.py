"""The ceiling behind the same request gate as ``gomruk.asgi``."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceiling.settings")
django_application = get_asgi_application()

from gomruk.edge.gate import RequestGate  # noqa: E402 (after Django is set up)

application = RequestGate(
    django_application, threads=settings.GOMRUK_REQUEST_THREADS, max_body=settings.GOMRUK_MAX_REQUEST_BODY
)
