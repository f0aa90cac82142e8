"""Routes of students."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("students", __name__, url_prefix="/api/v1", description="Student profiles")
