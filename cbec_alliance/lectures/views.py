"""Routes of lectures."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "lectures", __name__, url_prefix="/api/v1", description="Lectures, job fairs and workshops"
)
