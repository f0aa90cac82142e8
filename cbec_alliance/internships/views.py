"""Routes of internships."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("internships", __name__, url_prefix="/api/v1", description="Internship postings")
