"""Routes of applications."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "applications",
    __name__,
    url_prefix="/api/v1",
    description="Applications, evaluations and hires",
)
