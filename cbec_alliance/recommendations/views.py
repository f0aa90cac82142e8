"""Routes of recommendations."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.schemas import PageArgs
from cbec_alliance.recommendations import services
from cbec_alliance.recommendations.schemas import (
    InternshipPage,
    RecommendedInternshipArgs,
    StudentPage,
)

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/api/v1",
    description="Recommendations: internships for students, students for internships",
)


@blp.route("/students/me/recommended-internships")
class RecommendedInternships(MethodView):
    """Open internships that fit the calling student."""

    @login_required
    @blp.arguments(RecommendedInternshipArgs, location="query")
    @blp.response(200, InternshipPage)
    def get(self, args):
        """Every open posting (of `kind`, if given), best fit first, with `score` (0..1) and
        `reasons`."""
        return services.internships_for(me(), args["page"], args["per_page"], args.get("kind"))


@blp.route("/internships/<int:internship_id>/recommended-students")
class RecommendedStudents(MethodView):
    """Students who fit a posting."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, StudentPage)
    def get(self, args, internship_id):
        """Profiled students, best fit first (the posting's enterprise staff, coordinators)."""
        return services.students_for(internship_id, me(), args["page"], args["per_page"])
