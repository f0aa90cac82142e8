"""Teaching assignments on a programme, under /api/v1/programmes (the assignments are the
teaching domain's; its routes answer, decline and record hours)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import BaseSchema, PageArgs
from cbec_alliance.teaching import services as teaching
from cbec_alliance.teaching.schemas import AssignmentPage, AssignmentSchema, semester_field

from . import services
from .views import blp


class ProgrammeAssignmentIn(BaseSchema):
    """Hours on the programme for an enterprise teacher in one semester."""

    teacher_id = ma.fields.Integer(
        required=True,
        strict=True,
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "an enterprise teacher's user id"},
    )
    semester = semester_field(required=True)
    hours = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=2000)
    )

    class Meta:
        example = {"teacher_id": 12, "semester": "2027-spring", "hours": 24}


@blp.route("/<int:programme_id>/teaching-assignments")
class ProgrammeTeaching(MethodView):
    """Enterprise teachers' hours on a programme."""

    decorators = [login_required]

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AssignmentPage)
    def get(self, args, programme_id):
        """The programme's assignments the caller may see (its teachers see their own, its
        university and enterprises their staff's, coordinators all)."""
        programme = services.get_visible(programme_id, me())
        stmt = teaching.assignments(me(), {"programme_id": programme.id})
        return paginate(stmt, args)

    @blp.arguments(ProgrammeAssignmentIn)
    @blp.response(201, AssignmentSchema)
    def post(self, data, programme_id):
        """Propose hours on the programme to an enterprise teacher (the programme's
        university's admins and staff); the teacher accepts with POST
        /teaching-assignments/{id}/accept."""
        return services.propose_teaching(me(), services.get_visible(programme_id, me()), data)
