"""Routes under /api/v1/enterprise-teachers and /api/v1/teaching-assignments."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate

from . import services
from .schemas import (
    AcceptIn,
    AssignmentIn,
    AssignmentListArgs,
    AssignmentPage,
    AssignmentSchema,
    DeclineIn,
    HoursIn,
    TeacherListArgs,
    TeacherPage,
    TeacherProfileIn,
    TeacherProfileSchema,
)

blp = Blueprint(
    "teaching",
    __name__,
    url_prefix="/api/v1",
    description="Enterprise teachers and their teaching assignments on courses",
)


@blp.route("/enterprise-teachers")
class Teachers(MethodView):
    """Enterprise teachers."""

    @login_required
    @blp.arguments(TeacherListArgs, location="query")
    @blp.response(200, TeacherPage)
    def get(self, args):
        """Enterprise teachers by `field` (a competency), enterprise, `min_years` of
        practice and `q` (name or title), most experienced first (university admins and
        staff, coordinators)."""
        return paginate(services.teachers(me(), args), args)


@blp.route("/enterprise-teachers/me")
class MyTeacherProfile(MethodView):
    """The caller's enterprise-teacher profile."""

    @login_required
    @blp.response(200, TeacherProfileSchema)
    def get(self):
        """The caller's profile (404 when they have none)."""
        return services.my_profile(me())

    @login_required
    @blp.arguments(TeacherProfileIn)
    @blp.response(200, TeacherProfileSchema)
    def put(self, data):
        """Create or replace it (admins and staff of an approved enterprise): a title, the
        competencies taught, years of practice, a bio."""
        return services.put_profile(me(), data)


@blp.route("/teaching-assignments")
class Assignments(MethodView):
    """Teaching assignments."""

    @login_required
    @blp.arguments(AssignmentListArgs, location="query")
    @blp.response(200, AssignmentPage)
    def get(self, args):
        """The caller's own as a teacher, their universities' and enterprises' as staff,
        every one for coordinators; newest first."""
        return paginate(services.assignments(me(), args), args)

    @login_required
    @blp.arguments(AssignmentIn)
    @blp.response(201, AssignmentSchema)
    def post(self, data):
        """Propose hours on one of the caller's university's courses to an enterprise
        teacher (a course of another university: 404; the teacher is told)."""
        return services.propose(me(), data)


@blp.route("/teaching-assignments/<int:assignment_id>")
class AssignmentItem(MethodView):
    """One assignment."""

    @login_required
    @blp.response(200, AssignmentSchema)
    def get(self, assignment_id):
        """An assignment (its teacher, university, enterprise, coordinators)."""
        return services.get_visible(assignment_id, me())


@blp.route("/teaching-assignments/<int:assignment_id>/accept")
class Accept(MethodView):
    """The teacher's yes."""

    @login_required
    @blp.arguments(AcceptIn)
    @blp.response(200, AssignmentSchema)
    def post(self, _data, assignment_id):
        """Accept a proposed assignment (the teacher); the university is told."""
        return services.decide(me(), services.get_visible(assignment_id, me()), "accept", None)


@blp.route("/teaching-assignments/<int:assignment_id>/decline")
class Decline(MethodView):
    """The teacher's no."""

    @login_required
    @blp.arguments(DeclineIn)
    @blp.response(200, AssignmentSchema)
    def post(self, data, assignment_id):
        """Decline a proposed assignment, with a reason (the teacher); the university is told."""
        a = services.get_visible(assignment_id, me())
        return services.decide(me(), a, "decline", data.get("reason"))


@blp.route("/teaching-assignments/<int:assignment_id>/hours")
class Hours(MethodView):
    """Hours delivered."""

    @login_required
    @blp.arguments(HoursIn)
    @blp.response(200, AssignmentSchema)
    def put(self, data, assignment_id):
        """Record the hours delivered so far on an accepted assignment (its university):
        never above the hours assigned (409)."""
        a = services.get_visible(assignment_id, me())
        return services.record_hours(me(), a, data["hours_delivered"])
