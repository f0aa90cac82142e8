"""Routes of training_bases."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "training_bases", __name__, url_prefix="/api/v1", description="Joint training bases"
)
