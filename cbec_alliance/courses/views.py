"""Routes under /api/v1/courses."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.errors import problem_doc
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs

from . import enrollment, lifecycle, services
from .schemas import (
    CallerDeclineSchema,
    ConfirmSchema,
    CourseCreateSchema,
    CourseDetailSchema,
    CourseListArgs,
    CoursePage,
    CoursePatchSchema,
    CourseSchema,
    DeclineSchema,
    EnrollmentPage,
    EnrollmentSchema,
    VersionSchema,
)

blp = Blueprint(
    "courses",
    __name__,
    url_prefix="/api/v1",
    description="Joint courses co-developed with enterprises",
)


@blp.route("/courses")
class Courses(MethodView):
    """Joint courses."""

    @blp.doc(security=[])
    @blp.arguments(CourseListArgs, location="query")
    @blp.response(200, CoursePage)
    def get(self, args):
        """Published and archived courses, and the caller's own drafts (filters combine)."""
        return paginate(services.listing(args, current_user), args)

    @login_required
    @blp.arguments(CourseCreateSchema)
    @blp.response(201, CourseSchema)
    def post(self, data):
        """Create a draft course (the university's admins and staff)."""
        return services.create(me(), data)


@blp.route("/courses/<int:course_id>")
class CourseItem(MethodView):
    """One course."""

    @blp.doc(security=[])
    @blp.response(200, CourseDetailSchema)
    def get(self, course_id):
        """A course and its links: open internships and competitions using its competencies."""
        return services.detail(course_id, current_user)

    @login_required
    @blp.arguments(CoursePatchSchema)
    @blp.response(200, CourseSchema)
    def patch(self, data, course_id):
        """Change a course; content changes to a published one make a new version."""
        course = services.get_for_university(course_id, me())
        return services.update(me(), course, data)


@blp.route("/courses/<int:course_id>/versions")
class CourseVersions(MethodView):
    """The versions of a course's content."""

    @blp.doc(security=[])
    @blp.response(200, VersionSchema(many=True))
    def get(self, course_id):
        """Every version, oldest first; the last is the one in force."""
        return services.versions(services.get_visible(course_id, current_user))


WAITING: dict[str, Any] = {
    "description": "Not allowed in the course's state; `detail` names the allowed next steps "
    "and, while partners have not confirmed, whom the step waits for (`waiting_for`)",
    "detail": "cannot publish while proposed: waiting for 广州某某贸易有限公司 (enterprise 12) "
    "to confirm; allowed next steps: none",
    "waiting_for": [
        {"party": "enterprise", "id": 12, "name": "广州某某贸易有限公司", "action": "confirm"}
    ],
}


def _step(action: str, summary: str):
    class Step(MethodView):
        @login_required
        @blp.response(200, CourseSchema)
        @problem_doc(blp, 409, **WAITING)
        def post(self, course_id):
            course = services.get_for_university(course_id, me())
            return lifecycle.transition(me(), course, action)

    Step.__name__ = f"Course{action.title()}"
    Step.post.__doc__ = summary
    blp.route(f"/courses/<int:course_id>/{action}")(Step)


_step("propose", "Ask the partners to confirm (the university).")
_step("publish", "Publish once every partner confirmed (the university).")
_step("archive", "Archive a published course (the university).")


COURSE_EXAMPLE = {
    "id": 7,
    "university_id": 3,
    "code": "CBEC-301",
    "title": "跨境电商数据分析",
    "description": "与企业共建，案例来自真实店铺。",
    "credits": 2.5,
    "hours": 40,
    "semester": "2027-spring",
    "language": "zh",
    "competencies": ["data-analysis"],
    "partner_enterprise_ids": [12],
    "partners": [
        {
            "enterprise_id": 12,
            "state": "confirmed",
            "reason": None,
            "decided_at": "2027-01-05T08:00:00Z",
        }
    ],
    "lecturers": [{"name": "陈教授", "organization_id": 3}],
    "capacity": 40,
    "enrolled_count": 0,
    "status": "confirmed",
    "version": 1,
}
DECLINED_EXAMPLE = {
    **COURSE_EXAMPLE,
    "status": "draft",
    "partners": [
        {
            "enterprise_id": 12,
            "state": "declined",
            "reason": "课时太多，请压缩到32学时",
            "decided_at": "2027-01-05T08:00:00Z",
        }
    ],
}
NOT_ASKED_DOC: dict[str, Any] = {
    "description": "Nothing awaits the partner's answer; while the course is a draft, "
    "`detail` and `waiting_for` name the university that must propose it",
    "detail": "cannot confirm while draft: waiting for 华南某某大学 (university 3) to propose "
    "the course; allowed next steps: none",
    "waiting_for": [
        {"party": "university", "id": 3, "name": "华南某某大学", "action": "propose the course"}
    ],
}
SEVERAL_PARTNERS = (
    "you answer for several partners of this course; name one of: "
    "12 (广州某某贸易有限公司), 15 (深圳某某科技有限公司)"
)
SEVERAL_DOC: dict[str, Any] = {
    "description": "`enterprise_id` is needed (the caller is staff of several partners) "
    "or names no partner",
    "detail": "Validation failed for: enterprise_id",
    "errors": {"enterprise_id": [SEVERAL_PARTNERS]},
}


@blp.route("/courses/<int:course_id>/confirm")
class CourseConfirmMine(MethodView):
    """The caller's partner says yes."""

    @login_required
    @blp.arguments(ConfirmSchema, required=False, example={})
    @blp.response(200, CourseSchema, example=COURSE_EXAMPLE)
    @problem_doc(blp, 422, **SEVERAL_DOC)
    @problem_doc(blp, 409, **NOT_ASKED_DOC)
    def post(self, data, course_id):
        """Confirm the current version for the caller's partner enterprise.

        The enterprise is the one partner of the course whose admin or staff the caller is;
        a caller of several names it with `enterprise_id` (422 lists the choices otherwise).
        403 for a caller of no partner. The same as
        `POST /courses/{id}/partners/{enterprise_id}/confirm`.
        """
        course = services.get_visible(course_id, me())
        return lifecycle.answer_as_caller(me(), course, data.get("enterprise_id"), True, None)


@blp.route("/courses/<int:course_id>/decline")
class CourseDeclineMine(MethodView):
    """The caller's partner says no."""

    @login_required
    @blp.arguments(CallerDeclineSchema, example={"reason": "课时太多，请压缩到32学时"})
    @blp.response(200, CourseSchema, example=DECLINED_EXAMPLE)
    @problem_doc(blp, 422, **SEVERAL_DOC)
    @problem_doc(blp, 409, **NOT_ASKED_DOC)
    def post(self, data, course_id):
        """Decline the current version with a reason, for the caller's partner enterprise.

        The enterprise is chosen as for `POST /courses/{id}/confirm`; a proposed course
        returns to draft. The same as `POST /courses/{id}/partners/{enterprise_id}/decline`.
        """
        course = services.get_visible(course_id, me())
        enterprise_id = data.get("enterprise_id")
        return lifecycle.answer_as_caller(me(), course, enterprise_id, False, data["reason"])


@blp.route("/courses/<int:course_id>/partners/<int:enterprise_id>/confirm")
class CourseConfirm(MethodView):
    """A partner's yes."""

    @login_required
    @blp.response(200, CourseSchema)
    @problem_doc(blp, 409, **NOT_ASKED_DOC)
    def post(self, course_id, enterprise_id):
        """Confirm the current version (the partner's admins and staff)."""
        course = services.get_visible(course_id, me())
        return lifecycle.answer(me(), course, enterprise_id, True, None)


@blp.route("/courses/<int:course_id>/partners/<int:enterprise_id>/decline")
class CourseDecline(MethodView):
    """A partner's no."""

    @login_required
    @blp.arguments(DeclineSchema)
    @blp.response(200, CourseSchema)
    @problem_doc(blp, 409, **NOT_ASKED_DOC)
    def post(self, data, course_id, enterprise_id):
        """Decline the current version with a reason (a proposed course returns to draft)."""
        course = services.get_visible(course_id, me())
        return lifecycle.answer(me(), course, enterprise_id, False, data["reason"])


@blp.route("/courses/<int:course_id>/enrollments")
class Enrollments(MethodView):
    """Students in a course."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, EnrollmentPage)
    def get(self, args, course_id):
        """The roster (the university's admins and staff, coordinators)."""
        course = services.get_visible(course_id, me())
        return paginate(enrollment.roster(me(), course), args)

    @login_required
    @blp.response(201, EnrollmentSchema)
    def post(self, course_id):
        """Enroll (a student of the course's university; never beyond capacity)."""
        return enrollment.enroll(me(), services.get_visible(course_id, me()))


@blp.route("/courses/<int:course_id>/enrollments/mine")
class MyEnrollment(MethodView):
    """The caller's place."""

    @login_required
    @blp.response(204)
    def delete(self, course_id):
        """Withdraw from the course."""
        enrollment.withdraw(me(), services.get_visible(course_id, me()))
