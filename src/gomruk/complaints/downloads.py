"""Serving a complaint attachment's bytes (the portal and the API alike)."""

from __future__ import annotations

from django.http import FileResponse

from gomruk.complaints.models import ComplaintAttachment


def complaint_attachment_response(attachment: ComplaintAttachment, *, download: bool = True) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=download,
        filename=attachment.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
