"""Routes of applications: apply, lists, the lifecycle verbs, evaluation and hire."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.applications import outcomes, resume, services
from cbec_alliance.applications.lifecycle import LIFECYCLE
from cbec_alliance.applications.schemas import (
    ApplicationDetailSchema,
    ApplicationListArgs,
    ApplicationSchema,
    ApplyInSchema,
    EvaluationInSchema,
    EvaluationSchema,
    HireInSchema,
    HireSchema,
    NoteSchema,
    ResumeChoiceSchema,
    UniversityApplicationArgs,
)
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import page_of

blp = Blueprint(
    "applications", __name__, url_prefix="/api/v1", description="Applications to internships"
)


@blp.route("/internships/<int:internship_id>/applications")
class InternshipApplications(MethodView):
    """Applications to one posting."""

    @login_required
    @blp.arguments(ApplicationListArgs, location="query")
    @blp.response(200, page_of(ApplicationSchema))
    def get(self, args, internship_id):
        """The posting's applications (its enterprise's admins and staff, coordinators)."""
        return paginate(services.for_internship(internship_id, me(), args.get("status")), args)

    @login_required
    @blp.arguments(ApplyInSchema)
    @blp.response(201, ApplicationSchema)
    def post(self, data, internship_id):
        """Apply (students; once per posting, while open and before `apply_by`)."""
        return services.apply(me(), internship_id, data["cover_letter"], data["resume_document_id"])


@blp.route("/applications/mine")
class MyApplications(MethodView):
    """The calling student's applications."""

    @login_required
    @blp.arguments(ApplicationListArgs, location="query")
    @blp.response(200, page_of(ApplicationSchema))
    def get(self, args):
        """My applications, newest first."""
        return paginate(services.mine(me(), args.get("status")), args)


@blp.route("/organizations/<int:org_id>/applications")
class UniversityApplications(MethodView):
    """A university's view of its students' applications."""

    @login_required
    @blp.arguments(UniversityApplicationArgs, location="query")
    @blp.response(200, page_of(ApplicationSchema))
    def get(self, args, org_id):
        """Applications of the university's students (its admins and staff, coordinators)."""
        return paginate(services.for_university(org_id, me(), args), args)


@blp.route("/applications/<int:application_id>")
class ApplicationItem(MethodView):
    """One application with its history."""

    @login_required
    @blp.response(200, ApplicationDetailSchema)
    def get(self, application_id):
        """The application, its transitions (who, when), evaluation and hire."""
        return outcomes.detail(services.get_visible_application(application_id, me()))


def _verb(verb: str):
    step = LIFECYCLE[verb]

    class Step(MethodView):
        @login_required
        @blp.arguments(NoteSchema)
        @blp.response(200, ApplicationDetailSchema)
        def post(self, data, application_id):
            application = services.act(me(), application_id, verb, data["note"])
            return outcomes.detail(application)

    Step.__name__ = f"Application{verb.title()}"
    Step.post.__doc__ = (
        f"{verb.title()} ({step.party}): {' | '.join(step.sources)} -> {step.target}."
    )
    blp.route(f"/applications/<int:application_id>/{verb}")(Step)


for _v in LIFECYCLE:
    _verb(_v)


@blp.route("/applications/<int:application_id>/resume")
class ApplicationResume(MethodView):
    """The résumé sent with an application."""

    @login_required
    @blp.arguments(ResumeChoiceSchema)
    @blp.response(200, ApplicationDetailSchema)
    def put(self, data, application_id):
        """Change it (its student, before an offer; null removes it)."""
        application = services.get_visible_application(application_id, me())
        return outcomes.detail(resume.change(me(), application, data["resume_document_id"]))


@blp.route("/applications/<int:application_id>/evaluation")
class ApplicationEvaluation(MethodView):
    """The enterprise's evaluation of a completed internship."""

    @login_required
    @blp.arguments(EvaluationInSchema)
    @blp.response(201, EvaluationSchema)
    def post(self, data, application_id):
        """Evaluate (enterprise admins and staff, after `complete`, once)."""
        return outcomes.evaluate(me(), application_id, data)


@blp.route("/applications/<int:application_id>/hire")
class ApplicationHire(MethodView):
    """Employment after the internship."""

    @login_required
    @blp.arguments(HireInSchema)
    @blp.response(201, HireSchema)
    def post(self, data, application_id):
        """Record a hire (enterprise admins and staff, after `complete`, once)."""
        return outcomes.hire(me(), application_id, data)
