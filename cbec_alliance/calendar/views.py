"""Routes under /api/v1/calendar: the user's feed and one download per item."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.calendar import services
from cbec_alliance.calendar.schemas import FeedSchema
from cbec_alliance.careers import calendar as exams
from cbec_alliance.careers import services as careers
from cbec_alliance.competitions import calendar as competitions
from cbec_alliance.competitions import services as contests
from cbec_alliance.core.ics import ics_response
from cbec_alliance.lectures import calendar as lectures
from cbec_alliance.lectures import services as events

blp = Blueprint(
    "calendar",
    __name__,
    url_prefix="/api/v1/calendar",
    description="iCalendar (.ics): a private feed per user, and a download per item",
)

ICS = {"content": {"text/calendar": {"schema": {"type": "string"}}}}


def _ics_doc(description: str):
    return blp.doc(responses={"200": {"description": description, **ICS}})


@blp.route("/feed")
class Feed(MethodView):
    """The caller's own feed."""

    @login_required
    @blp.response(200, FeedSchema)
    def get(self):
        """Whether you have a feed (its secret address is shown only when made)."""
        return services.feed_of(me())

    @login_required
    @blp.response(201, FeedSchema)
    def post(self):
        """Make your feed, or give it a new secret address (the old one stops at once)."""
        return services.rotate(me())

    @login_required
    @blp.response(204)
    def delete(self):
        """Stop your feed."""
        services.revoke(me())


@blp.route("/feed/<string:token>.ics")
class FeedFile(MethodView):
    """What a calendar program subscribed to the secret address reads."""

    @blp.doc(security=[])
    @_ics_doc("events you hold a seat at or host, your competitions, your exam sittings")
    def get(self, token):
        """The feed (the secret in the address is the credential; unknown or revoked: 404)."""
        owner, entries = services.read_feed(token)
        return ics_response(entries, f"CBEC Alliance · {owner.name}")


@blp.route("/events/<int:event_id>.ics")
class EventFile(MethodView):
    """One event."""

    @blp.doc(security=[])
    @_ics_doc("the event")
    def get(self, event_id):
        """Download the event for a calendar."""
        lecture = events.get(event_id)
        return ics_response([lectures.entry(lecture)], lecture.title, f"event-{event_id}.ics")


@blp.route("/competitions/<int:competition_id>.ics")
class CompetitionFile(MethodView):
    """One competition."""

    @blp.doc(security=[])
    @_ics_doc("the competition and its registration deadline")
    def get(self, competition_id):
        """Download the competition's dates for a calendar."""
        contest = contests.get(competition_id)
        return ics_response(
            competitions.entries(contest), contest.title, f"competition-{competition_id}.ics"
        )


@blp.route("/certificate-exams/<int:exam_id>.ics")
class ExamFile(MethodView):
    """One certificate exam sitting."""

    @blp.doc(security=[])
    @_ics_doc("the exam sitting (all day)")
    def get(self, exam_id):
        """Download the sitting for a calendar."""
        exam = careers.get(exam_id)
        return ics_response([exams.entry(exam)], "certificate exam", f"exam-{exam_id}.ics")
