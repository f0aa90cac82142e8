"""Routes under /api/v1/university-teachers, /practice-stays and
/universities/{id}/dual-qualified."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import DOWNLOADS, TableArgs
from cbec_alliance.core.pagination import paginate

from . import dual, practice
from .schemas import (
    ConfirmIn,
    DualReportSchema,
    RejectIn,
    StayIn,
    StayListArgs,
    StayPage,
    StaySchema,
    UniversityTeacherIn,
    UniversityTeacherSchema,
)

blp = Blueprint(
    "teaching_practice",
    __name__,
    url_prefix="/api/v1",
    description="University teachers' practice in enterprises and the dual-qualified share",
)


@blp.route("/university-teachers/me")
class MyUniversityTeacher(MethodView):
    """The caller's university-teacher profile."""

    @login_required
    @blp.response(200, UniversityTeacherSchema)
    def get(self):
        """The caller's profile (404 when they have none)."""
        return practice.my_profile(me())

    @login_required
    @blp.arguments(UniversityTeacherIn)
    @blp.response(200, UniversityTeacherSchema)
    def put(self, data):
        """Create or replace it (admins and staff of an approved university): the majors
        taught and any industry title."""
        return practice.put_profile(me(), data)


@blp.route("/practice-stays")
class Stays(MethodView):
    """Teachers' practice stays at enterprises."""

    @login_required
    @blp.arguments(StayListArgs, location="query")
    @blp.response(200, StayPage)
    def get(self, args):
        """The caller's own, their universities' and enterprises' as staff, every one for
        coordinators; latest start first."""
        return paginate(practice.stays(me(), args), args)

    @login_required
    @blp.arguments(StayIn)
    @blp.response(201, StaySchema)
    def post(self, data):
        """Propose a stay (the teacher, or their university's admins and staff for
        `teacher_id`); the enterprise is asked to confirm. A stay overlapping another
        proposed or confirmed stay of the teacher is a 409 naming it."""
        return practice.propose(me(), data)


@blp.route("/practice-stays/<int:stay_id>")
class StayItem(MethodView):
    """One stay."""

    @login_required
    @blp.response(200, StaySchema)
    def get(self, stay_id):
        """A stay (its teacher, university, enterprise, coordinators)."""
        return practice.get_visible(stay_id, me())


@blp.route("/practice-stays/<int:stay_id>/confirm")
class Confirm(MethodView):
    """The enterprise's confirmation."""

    @login_required
    @blp.arguments(ConfirmIn)
    @blp.response(200, StaySchema)
    def post(self, data, stay_id):
        """Confirm a proposed stay, optionally with the hours confirmed (the enterprise's
        admins and staff; anyone else 403); the teacher is told."""
        return practice.decide(me(), practice.get_for_decision(stay_id, me()), "confirm", data)


@blp.route("/practice-stays/<int:stay_id>/reject")
class Reject(MethodView):
    """The enterprise's refusal."""

    @login_required
    @blp.arguments(RejectIn)
    @blp.response(200, StaySchema)
    def post(self, data, stay_id):
        """Reject a proposed stay with a reason (the enterprise's admins and staff)."""
        return practice.decide(me(), practice.get_for_decision(stay_id, me()), "reject", data)


@blp.route("/universities/<int:university_id>/dual-qualified")
class DualQualified(MethodView):
    """The dual-qualified (双师型) share of a university's teachers of the CBEC majors."""

    @login_required
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, DualReportSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args, university_id):
        """Teachers of the CBEC majors, who counts as dual-qualified under the configured
        rule (DUAL_QUALIFIED_PRACTICE_MONTHS of confirmed practice within
        DUAL_QUALIFIED_YEARS, or an industry title) and the share; `?format=csv|xlsx`
        (the university's admins and staff, coordinators)."""
        return dual.respond(me(), university_id, args["format"])
