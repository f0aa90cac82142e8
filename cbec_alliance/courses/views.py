"""Routes under /api/v1/courses."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs

from . import enrollment, links, services
from .schemas import (
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
        course = services.get_visible(course_id, current_user)
        course.links = links.of(course)
        return course

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


def _step(action: str, summary: str):
    class Step(MethodView):
        @login_required
        @blp.response(200, CourseSchema)
        def post(self, course_id):
            course = services.get_for_university(course_id, me())
            return services.transition(me(), course, action)

    Step.__name__ = f"Course{action.title()}"
    Step.post.__doc__ = summary
    blp.route(f"/courses/<int:course_id>/{action}")(Step)


_step("propose", "Ask the partners to confirm (the university).")
_step("publish", "Publish once every partner confirmed (the university).")
_step("archive", "Archive a published course (the university).")


@blp.route("/courses/<int:course_id>/partners/<int:enterprise_id>/confirm")
class CourseConfirm(MethodView):
    """A partner's yes."""

    @login_required
    @blp.response(200, CourseSchema)
    def post(self, course_id, enterprise_id):
        """Confirm the current version (the partner's admins and staff)."""
        course = services.get_visible(course_id, me())
        return services.answer(me(), course, enterprise_id, True, None)


@blp.route("/courses/<int:course_id>/partners/<int:enterprise_id>/decline")
class CourseDecline(MethodView):
    """A partner's no."""

    @login_required
    @blp.arguments(DeclineSchema)
    @blp.response(200, CourseSchema)
    def post(self, data, course_id, enterprise_id):
        """Decline the current version with a reason (a proposed course returns to draft)."""
        course = services.get_visible(course_id, me())
        return services.answer(me(), course, enterprise_id, False, data["reason"])


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
