"""Routes of recommendations."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/api/v1",
    description="Recommended internships and students",
)
