"""Routes under /api/v1/placements."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me

from . import access
from .schemas import PlacementSchema

blp = Blueprint(
    "placements",
    __name__,
    url_prefix="/api/v1",
    description="Placements: the internship while it runs",
)


@blp.route("/placements/<int:placement_id>")
class PlacementItem(MethodView):
    """One placement."""

    @login_required
    @blp.response(200, PlacementSchema)
    def get(self, placement_id):
        """The placement (its student, both sides' staff, its mentors, coordinators)."""
        return access.get_visible(placement_id, me())
