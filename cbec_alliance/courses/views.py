"""Routes of courses."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("courses", __name__, url_prefix="/api/v1", description="Joint courses")
