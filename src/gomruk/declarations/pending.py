"""The one request (amendment or cancellation) customs may have pending on a declaration.

One at a time: customs decides on a definite content, and a decision that concludes the
declaration (release, refusal, return, withdrawal) waits until the pending request is decided.
"""

from __future__ import annotations

from gomruk.declarations.models import (
    AmendmentRequest,
    CancellationRequest,
    Declaration,
    RequestStatus,
)
from gomruk.declarations.request_errors import request_error


def pending_request(declaration: Declaration) -> AmendmentRequest | CancellationRequest | None:
    amendment = AmendmentRequest.objects.filter(declaration=declaration, status=RequestStatus.REQUESTED).first()
    if amendment is not None:
        return amendment
    return CancellationRequest.objects.filter(declaration=declaration, status=RequestStatus.REQUESTED).first()


def require_no_pending_request(declaration: Declaration) -> None:
    """Refuse (409 ``request_pending``) while customs has a request to decide first."""
    pending = pending_request(declaration)
    if pending is not None:
        kind = "amendment" if isinstance(pending, AmendmentRequest) else "cancellation"
        raise request_error("request_pending", kind=kind, number=pending.number)
