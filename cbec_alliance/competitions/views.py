"""Routes of competitions."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("competitions", __name__, url_prefix="/api/v1", description="Competitions")
