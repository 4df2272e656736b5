"""``GET /declarations/{id}/pdf``: the printed declaration. Mounted at the API root."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from gomruk.printing.services import declaration_print

router = Router(tags=["printing"])


def pdf_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/declarations/{declaration_id}/pdf",
    summary="The declaration printed on the form of Appendix 1 (PDF)",
    description=(
        "Main sheet, additional sheets (3 goods items each) and attachment sheets for text that "
        "does not fit its box. For the declarant, its representative, or an officer of the "
        "declaration's office once it has been sent."
    ),
    response={200: None},
    url_name="declaration_pdf",
    openapi_extra={
        "responses": {
            # An int key, as ninja writes its own: a "200" string would be a second "200" key
            # in the JSON, which Swagger UI refuses ("duplicated mapping key").
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def declaration_pdf(request: HttpRequest, declaration_id: uuid.UUID, version: int | None = Query(None, ge=1, description="Print this frozen version (GET …/versions) instead of the current document")) -> HttpResponse:  # type: ignore[assignment]  # noqa: B008
    # Bearer tokens set request.auth; the portal's session sets request.user.
    user = getattr(request, "auth", None) or request.user
    printed = declaration_print(user=user, declaration_id=declaration_id, version=version)
    return pdf_response(printed.filename, printed.content)
