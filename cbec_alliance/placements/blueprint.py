"""The placements Blueprint, shared by the route modules (`views`, `views_documents`)."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from cbec_alliance.core.exports import disposition

blp = Blueprint(
    "placements",
    __name__,
    url_prefix="/api/v1",
    description="Placements: the internship while it runs (agreement, insurance, mentors, "
    "completion)",
)

PDF = {200: {"description": "A PDF download", "content": {"application/pdf": {}}}}


def pdf_response(data: bytes, name: str) -> Response:
    """A PDF download named `name.pdf`."""
    return Response(
        data,
        content_type="application/pdf",
        headers={"Content-Disposition": disposition(f"{name}.pdf")},
    )
