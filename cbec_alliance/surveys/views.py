"""Routes under /api/v1/surveys."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core import exports
from cbec_alliance.core.authz import require_coordinator, require_monitor
from cbec_alliance.core.errors import invalid, problem_doc
from cbec_alliance.core.exports import DOWNLOADS, Column
from cbec_alliance.core.pagination import paginate

from . import report, services
from .schemas import (
    ReportArgs,
    ReportSchema,
    ResponseInSchema,
    ResponseSchema,
    SurveyCreateSchema,
    SurveyListArgs,
    SurveyPage,
    SurveySchema,
)

blp = Blueprint("surveys", __name__, url_prefix="/api/v1", description="The talent-demand survey")

COLUMNS = [
    Column("question", "题目代码", "question"),
    Column("question_text", "题目", "question text"),
    Column("code", "选项代码", "option"),
    Column("label", "选项", "option label"),
    Column("count", "数量", "count"),
    Column("percent", "比例%", "percent"),
]
COMPARED = [
    Column("previous_count", "上期数量", "previous count"),
    Column("previous_percent", "上期比例%", "previous percent"),
    Column("change", "变化（百分点）", "change (points)"),
    Column("previous_only", "仅上期选项", "previous only"),
]


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


_step("open")
_step("close")


@blp.route("/surveys/<int:survey_id>/responses")
class Responses(MethodView):
    """Answers."""

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
        require_monitor(me())
        survey = services.get_visible(survey_id, me())
        previous = None
        if args.get("compare_to") is not None:
            if args["compare_to"] == survey.id:
                invalid("compare_to", "name another survey to compare with, not this one")
            previous = services.get_visible(args["compare_to"], me())
        data = report.build(survey, previous)
        fmt = args["format"]
        if fmt == "json":
            return data
        name = f"survey-{survey.year}-{survey.id}"
        if fmt in exports.CHART_FORMATS:
            title, categories, series = report.chart(data, args.get("question"))
            return exports.chart(fmt, name, title, categories, series, horizontal=True)
        columns = COLUMNS + (COMPARED if previous is not None else [])
        return exports.table(fmt, name, columns, report.rows(data))
