from django.contrib import admin
from django.urls import include, path

from gomruk.apiv1 import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verify/", include("gomruk.printing.urls")),
    path("asan-simulator/", include("gomruk.signatures.urls")),
    path("border/", include("gomruk.border.urls")),
    path("", include("gomruk.portal.urls")),
]

# A database fault anywhere answers 503 with Retry-After (gomruk.api.problems).
handler500 = "gomruk.api.problems.server_error"
