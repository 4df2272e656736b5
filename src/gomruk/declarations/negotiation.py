"""Reading and writing the declaration document as JSON or XML (by Content-Type / Accept)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from gomruk.declarations.errors import ERRORS
from gomruk.declarations.services import parse_document
from gomruk.declarations.xmldoc import document_to_xml, xml_to_data
from gomruk.document.model import Declaration as Document

XML_TYPES = ("application/xml", "text/xml")


def _media_type(header: str) -> str:
    return header.split(";")[0].strip().lower()


def wants_xml(request: HttpRequest) -> bool:
    """XML only when the client asks for it before JSON (JSON is the default)."""
    for part in request.headers.get("Accept", "").split(","):
        media = _media_type(part)
        if media in XML_TYPES:
            return True
        if media in ("application/json", "application/*", "*/*"):
            return False
    return False


def prefers_minimal(prefer: str | None) -> bool:
    """Whether a ``Prefer`` header asks for ``return=minimal`` (RFC 7240): the document the
    client has just sent is not echoed back. Preferences are comma-separated, names
    case-insensitive, a value possibly quoted, parameters after ``;`` ignored; an unknown
    preference is ignored."""
    for preference in (prefer or "").split(","):
        name, _, value = preference.split(";")[0].partition("=")
        if name.strip().lower() == "return" and value.strip().strip('"').lower() == "minimal":
            return True
    return False


def read_document(request: HttpRequest) -> Document:
    media = _media_type(request.headers.get("Content-Type", "application/json"))
    if media in XML_TYPES:
        return parse_document(xml_to_data(request.body))
    if media not in ("application/json", ""):
        raise ERRORS.error("unsupported_media_type", status=415)
    if not request.body.strip():
        raise ERRORS.error("invalid_document#empty", status=422)
    return parse_document(request.body)


def json_response(content: str, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    """JSON written by the caller, with the headers the API's renderer gives its answers."""
    response = HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def xml_response(document: Document | None, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    """The document as XML; ``None``: no body (``Prefer: return=minimal``), the headers alone."""
    if document is None:
        response = HttpResponse(b"", status=status)
    else:
        response = HttpResponse(document_to_xml(document), status=status, content_type="application/xml; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response
