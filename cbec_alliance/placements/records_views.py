"""Routes of the records kept while a placement runs: attendance (check-ins, corrections,
leave), compliance alerts, weekly logs and their reviews, incidents."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs, page_of
from cbec_alliance.placements import attendance, incidents, leaves, logs
from cbec_alliance.placements.records_schemas import (
    AlertSchema,
    CheckInInSchema,
    CheckInResultSchema,
    CheckInSchema,
    CorrectionInSchema,
    DayRangeArgs,
    DecisionInSchema,
    IncidentArgs,
    IncidentInSchema,
    IncidentSchema,
    LeaveInSchema,
    LeaveSchema,
    LogInSchema,
    LogReviewInSchema,
    LogSchema,
    ResolutionInSchema,
)

blp = Blueprint(
    "placement_records",
    __name__,
    url_prefix="/api/v1/placements/<int:placement_id>",
    description="While a placement runs: attendance, leave, compliance alerts, weekly logs, "
    "incidents",
)


@blp.route("/check-ins")
class CheckIns(MethodView):
    """The working days of a placement."""

    @login_required
    @blp.arguments(DayRangeArgs, location="query")
    @blp.response(200, page_of(CheckInSchema))
    def get(self, args, placement_id):
        """The days, newest first (every party to the placement)."""
        return paginate(attendance.listing(me(), placement_id, args), args)

    @login_required
    @blp.arguments(
        CheckInInSchema, example={"action": "in", "latitude": 23.1291, "longitude": 113.3214}
    )
    @blp.response(201, CheckInResultSchema)
    def post(self, data, placement_id):
        """Check in or out now (the student, while active): once each a day; coordinates,
        when given and the workplace's are known, within the configured radius."""
        return attendance.check(me(), placement_id, data)


@blp.route("/check-ins/<int:check_in_id>/correction")
class CheckInCorrection(MethodView):
    """The enterprise mentor's correction of a day."""

    @login_required
    @blp.arguments(
        CorrectionInSchema,
        example={
            "checked_in_at": "2026-12-04T01:00:00Z",
            "checked_out_at": "2026-12-04T09:00:00Z",
            "reason": "忘记打卡，已核对门禁记录",
        },
    )
    @blp.response(200, CheckInResultSchema)
    def post(self, data, placement_id, check_in_id):
        """Set the day's times, with a reason (the enterprise mentor; audited)."""
        return attendance.correct(me(), placement_id, check_in_id, data)


@blp.route("/compliance-alerts")
class Alerts(MethodView):
    """Working-time limits the placement broke."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(AlertSchema))
    def get(self, args, placement_id):
        """The alerts, newest period first (every party to the placement)."""
        return paginate(attendance.alert_listing(me(), placement_id), args)


@blp.route("/leaves")
class Leaves(MethodView):
    """Leave requests."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(LeaveSchema))
    def get(self, args, placement_id):
        """The requests, newest first (every party to the placement)."""
        return paginate(leaves.listing(me(), placement_id), args)

    @login_required
    @blp.arguments(
        LeaveInSchema,
        example={"starts_on": "2026-12-10", "ends_on": "2026-12-11", "reason": "期末考试"},
    )
    @blp.response(201, LeaveSchema)
    def post(self, data, placement_id):
        """Ask for days off within the placement (the student)."""
        return leaves.request_leave(me(), placement_id, data)


@blp.route("/leaves/<int:leave_id>/decision")
class LeaveDecision(MethodView):
    """A mentor's decision on a leave request."""

    @login_required
    @blp.arguments(DecisionInSchema, example={"decision": "approved"})
    @blp.response(200, LeaveSchema)
    def post(self, data, placement_id, leave_id):
        """Approve or reject (each mentor once; approved when both approve)."""
        return leaves.decide(me(), placement_id, leave_id, data["decision"])


@blp.route("/logs")
class Logs(MethodView):
    """Weekly logs."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(LogSchema))
    def get(self, args, placement_id):
        """The logs, newest week first, with their reviews (every party to the placement)."""
        return paginate(logs.listing(me(), placement_id), args)

    @login_required
    @blp.arguments(
        LogInSchema,
        example={
            "week": "2026-11-30",
            "text": "本周负责亚马逊店铺的商品上架与关键词优化。",
            "competencies": ["platform-operation"],
            "hours": 38.5,
        },
    )
    @blp.response(201, LogSchema)
    def post(self, data, placement_id):
        """Write the log of a week (the student; one per week, never a future week)."""
        return logs.write(me(), placement_id, data)


@blp.route("/logs/<int:log_id>/reviews")
class LogReviews(MethodView):
    """A mentor's review of a log."""

    @login_required
    @blp.arguments(LogReviewInSchema, example={"comment": "完成质量高，继续保持", "score": 88})
    @blp.response(201, LogSchema)
    def post(self, data, placement_id, log_id):
        """Review with a comment and a score 0..100 (each mentor once)."""
        return logs.review(me(), placement_id, log_id, data)


@blp.route("/incidents")
class Incidents(MethodView):
    """Incidents during the placement."""

    @login_required
    @blp.arguments(IncidentArgs, location="query")
    @blp.response(200, page_of(IncidentSchema))
    def get(self, args, placement_id):
        """The incidents, newest first (`?open=`), for every party to the placement."""
        return paginate(incidents.listing(me(), placement_id, args), args)

    @login_required
    @blp.arguments(
        IncidentInSchema,
        example={"kind": "hours_dispute", "severity": "high", "description": "连续加班至23点"},
    )
    @blp.response(201, IncidentSchema)
    def post(self, data, placement_id):
        """Report one (any party): high and critical notify the university's admins, the
        school mentor and coordinators at once; critical suspends an active placement."""
        return incidents.report(me(), placement_id, data)


@blp.route("/incidents/<int:incident_id>/resolution")
class IncidentResolution(MethodView):
    """The resolution of an incident."""

    @login_required
    @blp.arguments(ResolutionInSchema, example={"resolution": "已与企业沟通，调整排班"})
    @blp.response(200, IncidentSchema)
    def post(self, data, placement_id, incident_id):
        """Record what was done (a coordinator or the university); a placement the incident
        suspended resumes when no critical incident stays open."""
        return incidents.resolve(me(), placement_id, incident_id, data["resolution"])
