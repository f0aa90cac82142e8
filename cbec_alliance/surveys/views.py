"""Routes under /api/v1/surveys."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator, require_monitor
from cbec_alliance.core.errors import problem_doc
from cbec_alliance.core.exports import DOWNLOADS
from cbec_alliance.core.pagination import paginate

from . import services, validity
from .schemas import (
    InvalidateSchema,
    ReportArgs,
    ReportSchema,
    ResponseInSchema,
    ResponseListArgs,
    ResponsePage,
    ResponseSchema,
    SurveyCreateSchema,
    SurveyListArgs,
    SurveyPage,
    SurveySchema,
)

blp = Blueprint("surveys", __name__, url_prefix="/api/v1", description="The talent-demand survey")


@blp.route("/surveys")
class Surveys(MethodView):
    """Surveys."""

    @login_required
    @blp.arguments(SurveyListArgs, location="query")
    @blp.response(200, SurveyPage)
    def get(self, args):
        """Surveys: all for coordinators and associations, open and closed for enterprises."""
        return paginate(services.listing(args, me()), args)

    @login_required
    @blp.arguments(SurveyCreateSchema)
    @blp.response(201, SurveySchema)
    def post(self, data):
        """Create a survey, from the talent-demand template and/or own questions
        (coordinators)."""
        require_coordinator()
        return services.create(me(), data)


@blp.route("/surveys/<int:survey_id>")
class SurveyItem(MethodView):
    """One survey."""

    @login_required
    @blp.response(200, SurveySchema)
    def get(self, survey_id):
        """A survey with its questions and options."""
        return services.get_visible(survey_id, me())


def _step(verb: str):
    class Step(MethodView):
        @login_required
        @blp.response(200, SurveySchema)
        def post(self, survey_id):
            require_coordinator()
            return services.step(me(), services.get_visible(survey_id, me()), verb)

    Step.post.__doc__ = f"{verb.title()} the survey (coordinators)."
    Step.__name__ = f"Survey{verb.title()}"
    blp.route(f"/surveys/<int:survey_id>/{verb}")(Step)


for _verb in services.LIFECYCLE:
    _step(_verb)


@blp.route("/surveys/<int:survey_id>/responses")
class Responses(MethodView):
    """Answers."""

    @login_required
    @blp.arguments(ResponseListArgs, location="query")
    @blp.response(200, ResponsePage)
    def get(self, args, survey_id):
        """The responses, valid and invalid (`?valid=`), in order of arrival (coordinators and
        those who oversee the alliance: government bodies and associations)."""
        require_monitor(me())
        return paginate(validity.responses(services.get_visible(survey_id, me()), args), args)

    @login_required
    @blp.arguments(
        ResponseInSchema,
        example={"answers": {"job_category": "marketing", "competencies": ["data-analysis"]}},
    )
    @blp.response(
        201,
        ResponseSchema,
        example={
            "id": 88,
            "survey_id": 5,
            "enterprise_id": 12,
            "answers": {"job_category": "marketing", "competencies": ["data-analysis"]},
            "created_at": "2027-04-02T03:00:00Z",
        },
    )
    @problem_doc(
        blp,
        422,
        description="A bad answer, or no `enterprise_id` from a caller of several enterprises",
        detail="Validation failed for: enterprise_id",
        errors={
            "enterprise_id": [
                "you answer for several enterprises; name one of: 12 (广州某某贸易有限公司), "
                "15 (广州某某物流有限公司)"
            ]
        },
    )
    def post(self, data, survey_id):
        """Answer for an enterprise (its admins and staff; once; while open).

        `enterprise_id` may be left out: the answer is then for the caller's enterprise
        when they are admin or staff of exactly one (approved ones count first), 422 naming
        `enterprise_id` and the choices when several, 403 when none.
        """
        return services.respond(me(), services.get_visible(survey_id, me()), data)


@blp.route("/surveys/<int:survey_id>/report")
class Report(MethodView):
    """Results."""

    @login_required
    @blp.arguments(ReportArgs, location="query")
    @blp.response(200, ReportSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args, survey_id):
        """Counts and percents per option, the response rate, `?compare_to=` another
        survey (422 when it names this one; an option only the other survey offered is listed
        after this survey's options, with `previous_only` and a count of 0 for this one);
        `?format=csv|xlsx`, or a chart of one `?question=` as svg or png (coordinators and
        associations)."""
        return services.report(me(), survey_id, args)


@blp.route("/surveys/<int:survey_id>/responses/<int:response_id>/invalidate")
class Invalidate(MethodView):
    """Set a questionnaire aside."""

    @login_required
    @blp.arguments(InvalidateSchema)
    @blp.response(200, ResponseSchema)
    def post(self, data, survey_id, response_id):
        """Mark a response invalid with a `reason` (coordinators): it is kept, and no report
        or monitoring summary counts it (409 when it is already invalid)."""
        require_coordinator()
        survey = services.get_visible(survey_id, me())
        return validity.invalidate(me(), validity.get_response(survey, response_id), data["reason"])


@blp.route("/surveys/<int:survey_id>/responses/<int:response_id>/restore")
class Restore(MethodView):
    """Count a questionnaire again."""

    @login_required
    @blp.response(200, ResponseSchema)
    def post(self, survey_id, response_id):
        """Make an invalid response count again (coordinators; 409 when it is valid)."""
        require_coordinator()
        survey = services.get_visible(survey_id, me())
        return validity.restore(me(), validity.get_response(survey, response_id))
