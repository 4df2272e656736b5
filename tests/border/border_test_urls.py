"""URLs for the border tests: the border router on its own API (with the project's error
handlers) at /api/v1/border, the border pages at /border/, then the project's URLs."""

from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from gomruk.api import main
from gomruk.border.api import router
from gomruk.core.errors import GomrukError
from gomruk.urls import urlpatterns as project_urlpatterns

api = NinjaAPI(urls_namespace="border-test", docs_url=None)
api.add_exception_handler(GomrukError, main._gomruk_error)
api.add_exception_handler(AuthenticationError, main._unauthenticated)
api.add_exception_handler(NinjaValidationError, main._request_invalid)
api.add_router("/", router, url_name_prefix="border_test")

urlpatterns = [
    path("api/v1/border/", api.urls),
    path("border/", include("gomruk.border.urls")),
    *project_urlpatterns,
]
