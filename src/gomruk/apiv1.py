"""The REST API under /api/v1/: the API kit's ``GomrukAPI`` with every app's router mounted.

This module sits above every app (see docs/adr/0005-layers.md): the kit in ``gomruk.api``
knows no domain app, each app's ``api.py`` knows its own services, and only this module knows
them all and the order their paths must be tried in.
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger
from ninja.security import django_auth

from gomruk.accounts.bearer import bearer_auth, bearer_caller
from gomruk.api.main import GomrukAPI
from gomruk.border.api import router as border_router
from gomruk.complaints.api import router as complaints_router
from gomruk.core.api import router as audit_router
from gomruk.customs.api import router as customs_router
from gomruk.customs.requests_api import router as customs_requests_router
from gomruk.declarations.api import estimate_router, schema_router
from gomruk.declarations.api import router as declarations_router
from gomruk.declarations.completion_api import router as completion_router
from gomruk.declarations.requests_api import router as declarations_requests_router
from gomruk.declarations.validation_api import router as validation_router
from gomruk.duties.api import rates_router
from gomruk.notifications.api import notifications_router
from gomruk.notifications.api import router as webhooks_router
from gomruk.printing.api import router as printing_router
from gomruk.reference.api import router as reference_router
from gomruk.reports.api import router as reports_router
from gomruk.risk.api import router as risk_router
from gomruk.rules.api import router as rules_router
from gomruk.saved.api import router as saved_router
from gomruk.signatures.api import router as signatures_router
from gomruk.signatures.auth_api import router as auth_router
from gomruk.workbench.api import router as queue_router

api = GomrukAPI(
    title="Gömrük API",
    version="1",
    description=(
        "Electronic customs declarations of Azerbaijan: reference data, declarations, "
        "signing, customs decisions. Authenticate with `POST /auth/token` and send "
        "`Authorization: Bearer <token>`. Errors are RFC 9457 problem+json in the language of "
        "Accept-Language (az default, en). POST requests accept `Idempotency-Key`."
    ),
    urls_namespace="api-v1",
    # No validator badge: it would load an image from outside (and the CSP forbids it).
    docs=Swagger(settings={"persistAuthorization": True, "validatorUrl": None}),
    request_caller=bearer_caller,
)

# Traders' systems poll the border goods list (S002), the busiest path: tried first, it is
# resolved without matching every other route's pattern (a third of its routing time).
api.add_router("/border", border_router)
api.add_router("/auth", auth_router)
# /reference/rates before /reference/{name}, which would take "rates" for a classifier.
api.add_router("/reference", rates_router)
api.add_router("/reference", reference_router)
api.add_router("/schema", schema_router)
api.add_router("", validation_router)
api.add_router("", rules_router)
api.add_router("", estimate_router)
# The PDF is read by broker software (token) and by the portal (session).
api.add_router("", printing_router, auth=[bearer_auth, django_auth])
api.add_router("/declarations", declarations_router)
api.add_router("/declarations", completion_router)
api.add_router("/customs", queue_router)
api.add_router("/customs/risk-profiles", risk_router)
api.add_router("/customs/dashboard", reports_router)
api.add_router("/declarations", declarations_requests_router)
api.add_router("", saved_router)
api.add_router("/customs", customs_router)
api.add_router("/customs", customs_requests_router)
api.add_router("", complaints_router)
api.add_router("/signatures", signatures_router)
api.add_router("/audit", audit_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/notifications", notifications_router)
