"""Partner matching's routes, on the partnerships Blueprint (where clients find them in the
API docs): they rank organizations by what every other domain says of them, so they live
with the reads they need, on the insights floor."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.partnerships.schemas import (
    FitArgs,
    PairArgs,
    PairFitSchema,
    RecommendedPartnerPage,
)
from cbec_alliance.partnerships.views import blp

from . import partners


@blp.route("/partnerships/fit")
class PairFit(MethodView):
    """Partner matching for any pair."""

    @login_required
    @blp.arguments(PairArgs, location="query")
    @blp.response(200, PairFitSchema)
    def get(self, args):
        """How well an enterprise and a university fit, per mode (coordinators)."""
        require_coordinator()
        return partners.pair(args["enterprise_id"], args["university_id"])


@blp.route("/organizations/<int:org_id>/recommended-partners")
class RecommendedPartners(MethodView):
    """Partner matching."""

    @login_required
    @blp.arguments(FitArgs, location="query")
    @blp.response(200, RecommendedPartnerPage)
    def get(self, args, org_id):
        """Universities for an enterprise, or enterprises for a university, best first, in
        one cooperation mode, each with a score in 0..1 and reasons (the organization's
        members and coordinators); live partners are marked in `partnership`."""
        return partners.recommended(org_id, me(), args["mode"], args["page"], args["per_page"])
