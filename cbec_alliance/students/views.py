"""Routes of students: the own profile and a university's student list."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate_rows
from cbec_alliance.core.schemas import page_of
from cbec_alliance.students import resumes, services
from cbec_alliance.students.schemas import (
    ProfileInSchema,
    ProfileSchema,
    ResumeInSchema,
    ResumeSchema,
    StudentListArgs,
    StudentSchema,
)

blp = Blueprint("students", __name__, url_prefix="/api/v1", description="Student profiles")


@blp.route("/students/me/profile")
class MyProfile(MethodView):
    """The calling student's skills profile."""

    @login_required
    @blp.response(200, ProfileSchema)
    def get(self):
        """My profile (404 until the first PUT)."""
        return services.get_profile(me())

    @login_required
    @blp.arguments(ProfileInSchema)
    @blp.response(200, ProfileSchema)
    def put(self, data):
        """Create or replace my profile (students of an approved university)."""
        return services.put_profile(me(), data)


@blp.route("/organizations/<int:org_id>/students")
class UniversityStudents(MethodView):
    """A university's students."""

    @login_required
    @blp.arguments(StudentListArgs, location="query")
    @blp.response(200, page_of(StudentSchema))
    def get(self, args, org_id):
        """The university's students and their profiles (its admins, staff, coordinators)."""
        stmt = services.students_of(org_id, me(), args)
        return paginate_rows(stmt, args, services.page_rows)


@blp.route("/students/me/resumes")
class MyResumes(MethodView):
    """The calling student's résumés."""

    @login_required
    @blp.response(200, ResumeSchema(many=True))
    def get(self):
        """My résumés, the default first (404 before the profile exists)."""
        return resumes.mine(me())

    @login_required
    @blp.arguments(ResumeInSchema)
    @blp.response(201, ResumeSchema)
    def post(self, data):
        """Add one of my uploads as a résumé (the first one, or `default: true`, is the
        default)."""
        return resumes.add(me(), data)


@blp.route("/students/me/resumes/<int:resume_id>")
class MyResume(MethodView):
    """One of the calling student's résumés."""

    @login_required
    @blp.response(204)
    def delete(self, resume_id):
        """Remove it (when it was the default, the newest remaining one becomes it)."""
        resumes.remove(me(), resume_id)


@blp.route("/students/me/resumes/<int:resume_id>/default")
class MyDefaultResume(MethodView):
    """Marking the default résumé."""

    @login_required
    @blp.response(200, ResumeSchema)
    def post(self, resume_id):
        """Make it my default résumé (the previous default no longer is)."""
        return resumes.make_default(me(), resume_id)
