"""Serving an attachment's bytes, for the portal and the API alike."""

from __future__ import annotations

from django.http import FileResponse

from gomruk.declarations.models import Attachment


def attachment_response(attachment: Attachment, *, download: bool) -> FileResponse:
    """The stored bytes as uploaded, under their checked type; never sniffed by the browser."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=download,
        filename=attachment.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
