"""Survey rules: coordinators create, open and close; each enterprise answers once."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core import exports
from cbec_alliance.core.authz import require_monitor, sees_all
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.exports import Bars, Column
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES
from cbec_alliance.organizations.services import get_for_member, require_approved

from . import breakdown, template
from . import report as reports
from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

# Coordinators take both steps.
LIFECYCLE = Lifecycle(
    {
        "open": Step(("draft",), "open", "coordinator"),
        "close": Step(("open",), "closed", "coordinator"),
    }
)


def _enterprise_staff(user: User) -> list[int]:
    return [
        m.organization_id
        for m in user.memberships
        if m.role in STAFF_ROLES
        and m.organization.kind == "enterprise"
        and m.organization.status == "approved"
    ]


def _may_see(user: User, survey: Survey) -> bool:
    if sees_all(user):
        return True
    return survey.status != "draft" and bool(_enterprise_staff(user))


def get_visible(survey_id: int, user: User) -> Survey:
    """A survey for coordinators and associations; open or closed ones for enterprises."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or not _may_see(user, survey):
        not_found("survey")
    return survey


def listing(args: dict, user: User) -> sa.Select:
    """Surveys newest first (403 for users who see none)."""
    stmt = sa.select(Survey).order_by(Survey.year.desc(), Survey.id.desc())
    if not sees_all(user):
        if not _enterprise_staff(user):
            forbidden("surveys are for coordinators, associations and enterprises")
        stmt = stmt.where(Survey.status != "draft")
    for field in ("year", "status"):
        if args.get(field) is not None:
            stmt = stmt.where(getattr(Survey, field) == args[field])
    return stmt


def _own_questions(items: list[dict]) -> list[dict]:
    out = []
    for k, q in enumerate(items):
        codes = [o["code"] for o in q["options"]]
        if len(set(codes)) != len(codes):
            invalid(f"questions.{k}.options", "an option code is listed more than once")
        out.append(
            {**q, "options": [{"code": o["code"], "label": o["label"]} for o in q["options"]]}
        )
    return out


def question_rows(questions: list[dict]) -> list[SurveyQuestion]:
    """The rows of a survey's questions (`{code, text, kind, options}`), in order; 422 on
    `questions` when there are none or a code repeats."""
    if not questions:
        invalid("questions", "a survey without the template needs its own questions")
    codes = [q["code"] for q in questions]
    if len(set(codes)) != len(codes):
        invalid("questions", "question codes must be unique (the template's included)")
    return [
        SurveyQuestion(
            code=q["code"], position=k, text=q["text"], kind=q["kind"], options=q["options"]
        )
        for k, q in enumerate(questions)
    ]


def create(user: User, data: dict) -> Survey:
    """A coordinator's survey: the template's questions and/or their own."""
    questions = template.questions() if data.get("template") else []
    questions += _own_questions(data.get("questions") or [])
    survey = Survey(
        title=data["title"],
        year=data["year"],
        template=data.get("template"),
        distributed=data["distributed"],
        created_by_id=user.id,
        questions=question_rows(questions),
    )
    db.session.add(survey)
    db.session.flush()
    audit(actor=user, obj=survey, action="create", changes={"title": survey.title})
    return survey


def step(user: User, survey: Survey, verb: str) -> Survey:
    """Open a draft or close an open survey (coordinators)."""
    target = LIFECYCLE.target(survey.status, verb)
    survey.status = target
    if verb == "open":
        survey.opened_at = utcnow()
        emit(
            "survey.opened",
            {"survey_id": survey.id, "title": survey.title, "year": survey.year},
            actor=user,
        )
    else:
        survey.closed_at = utcnow()
    audit(actor=user, obj=survey, action=verb, changes={"status": target})
    return survey


def _check_answers(survey: Survey, answers: dict) -> list[tuple[str, str]]:
    if not answers:
        invalid("answers", "answer at least one question")
    questions = {q.code: q for q in survey.questions}
    chosen = []
    for code, value in answers.items():
        field = f"answers.{code}"
        q = questions.get(code)
        if q is None:
            invalid(field, "no such question in this survey")
        options = {o["code"] for o in q.options}
        if q.kind == "single":
            if not isinstance(value, str):
                invalid(field, "a single-choice question takes one option code")
            values = [value]
        else:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                invalid(field, "a multiple-choice question takes a list of option codes")
            if not value:
                invalid(field, "choose at least one option, or leave the question out")
            if len(set(value)) != len(value):
                invalid(field, "an option is chosen more than once")
            values = value
        unknown = sorted(set(values) - options)
        if unknown:
            invalid(field, _("unknown options: %(unknown)s", unknown=unknown))
        chosen += [(code, v) for v in values]
    return chosen


def add_response(
    survey: Survey, enterprise_id: int, answers: dict, *, submitted_by: User | None = None
) -> SurveyResponse:
    """Record an enterprise's answers to an open survey, once, with one row per chosen option
    (the caller checks who may answer for the enterprise). 409 unless the survey is open or
    when the enterprise has answered; 422 naming the question for a bad answer."""
    if survey.status != "open":
        conflict(
            _("the survey is %(status)s; answers are taken while it is open", status=survey.status)
        )
    chosen = _check_answers(survey, answers)
    exists = db.session.scalar(
        sa.select(SurveyResponse.id).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.enterprise_id == enterprise_id
        )
    )
    if exists:
        conflict("this enterprise has already answered the survey")
    response = SurveyResponse(
        survey_id=survey.id,
        enterprise_id=enterprise_id,
        submitted_by_id=submitted_by.id if submitted_by is not None else None,
        answers=answers,
    )
    db.session.add(response)
    db.session.flush()
    add_answer_rows(response, chosen)
    return response


def add_answer_rows(response: SurveyResponse, chosen: list[tuple[str, str]]) -> None:
    """The counted rows of a response: one per chosen (question, option)."""
    db.session.add_all(
        SurveyAnswer(
            response_id=response.id, survey_id=response.survey_id, question_code=q, option_code=o
        )
        for q, o in chosen
    )


def caller_enterprise(user: User) -> int:
    """The enterprise the caller answers for when they name none: their one enterprise
    (approved ones first); 403 for none, 422 naming `enterprise_id` and the choices for
    several."""
    mine = [
        m.organization
        for m in user.memberships
        if m.role in STAFF_ROLES and m.organization.kind == "enterprise"
    ]
    choices = [o for o in mine if o.status == "approved"] or mine
    if not choices:
        forbidden("only the admins and staff of an enterprise answer surveys")
    if len(choices) > 1:
        named = ", ".join(f"{o.id} ({o.name})" for o in sorted(choices, key=lambda o: o.id))
        invalid(
            "enterprise_id",
            _("you answer for several enterprises; name one of: %(named)s", named=named),
        )
    return choices[0].id


def respond(user: User, survey: Survey, data: dict) -> SurveyResponse:
    """An approved enterprise's admins or staff answer an open survey, once per enterprise
    (404 for an organization the user cannot see, 403 for one they are not staff of); the
    enterprise is the caller's one when `enterprise_id` is not given."""
    enterprise_id = data.get("enterprise_id")
    if enterprise_id is None:
        enterprise_id = caller_enterprise(user)
    enterprise = get_for_member(enterprise_id, user, roles=STAFF_ROLES)
    if enterprise.kind != "enterprise":
        invalid("enterprise_id", "only enterprises answer surveys")
    require_approved(enterprise)
    response = add_response(survey, enterprise.id, data["answers"], submitted_by=user)
    audit(
        actor=user,
        obj=response,
        action="create",
        changes={"survey_id": survey.id},
        organization_id=enterprise.id,
    )
    return response


# The report's table: one row per question and option (the comparison's columns after).
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

# With `?by=`, the download is the breakdown: one row per group, question and option.
BY_GROUP = [
    Column("group", "分组", "group"),
    Column("group_label", "分组名称", "group label"),
    Column("group_responses", "分组有效问卷", "valid responses in group"),
    COLUMNS[0],
    *COLUMNS[2:],
]


def report(user: User, survey_id: int, args: dict):
    """Counts and percents per option over the valid responses, compared with another survey
    (`compare_to`) and broken down by enterprise size or platform (`by`), in the format asked
    for: JSON, CSV, XLSX or a chart of one `question` (coordinators and associations)."""
    require_monitor(user)
    survey = get_visible(survey_id, user)
    previous = None
    if args.get("compare_to") is not None:
        if args["compare_to"] == survey.id:
            invalid("compare_to", "name another survey to compare with, not this one")
        previous = get_visible(args["compare_to"], user)
    data = reports.build(survey, previous)
    columns = COLUMNS + (COMPARED if previous is not None else [])
    make_rows = lambda: reports.rows(data)  # noqa: E731
    if args.get("by"):
        data["breakdown"] = breakdown.build(survey, args["by"])
        columns, make_rows = BY_GROUP, lambda: breakdown.rows(data["breakdown"])
    return exports.respond(
        args["format"],
        f"survey-{survey.year}-{survey.id}",
        data,
        columns,
        make_rows,
        lambda: Bars(*reports.chart(data, args.get("question")), horizontal=True),
    )
