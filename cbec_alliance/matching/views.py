"""Routes under /api/v1/match-rounds."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.core.errors import problem_doc
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs

from . import candidates, publishing, results, services
from .schemas import (
    AssignmentArgs,
    FollowUpSchema,
    MatchAssignmentPage,
    MatchCandidatePage,
    MatchPreferencesInSchema,
    MatchPreferencesSchema,
    MatchRankingInSchema,
    MatchRankingSchema,
    MyMatchAssignmentSchema,
    RoundCancelSchema,
    RoundCreateSchema,
    RoundInternshipPage,
    RoundListArgs,
    RoundPage,
    RoundPatchSchema,
    RoundSchema,
)

blp = Blueprint(
    "matching",
    __name__,
    url_prefix="/api/v1",
    description="Match rounds: a central, stable allocation of students to internship slots",
)


@blp.route("/match-rounds")
class Rounds(MethodView):
    """Match rounds."""

    @login_required
    @blp.arguments(RoundListArgs, location="query")
    @blp.response(200, RoundPage)
    def get(self, args):
        """Rounds newest first (any logged-in user)."""
        return results.rounds(args, me())

    @login_required
    @blp.arguments(RoundCreateSchema)
    @blp.response(201, RoundSchema)
    def post(self, data):
        """Open a round over open internships, each with its free slots (coordinators).

        Free slots are those neither accepted nor promised by an open offer; 409 naming the
        internships already in another round not yet published (or failed).
        """
        require_coordinator()
        return services.create(me(), data)


@blp.route("/match-rounds/<int:round_id>")
class RoundItem(MethodView):
    """One round."""

    @login_required
    @blp.response(200, RoundSchema)
    def get(self, round_id):
        """A round with its status and, after a run, its stats and the check's verdict."""
        return results.shown(services.get_visible(round_id), me())

    @login_required
    @blp.arguments(RoundPatchSchema)
    @blp.response(200, RoundSchema)
    def patch(self, data, round_id):
        """Rename the round or move the closing time (coordinators, while collecting).

        `preferences_close_at` set to now (up to five minutes ago, for clock skew) closes
        preferences at once, as `POST .../close-preferences` does; earlier times are 422.
        """
        require_coordinator()
        return services.update(me(), services.lock(round_id), data)


CLOSED_EXAMPLE = {
    "id": 9,
    "name": "2027 春季实习匹配",
    "status": "collecting",
    "internship_ids": [31, 32, 35],
    "preferences_close_at": "2027-03-01T02:15:42Z",
    "preferences_open": False,
    "parent_id": None,
    "seed": 20270301,
    "stats": None,
    "verdict": None,
    "error": None,
    "created_at": "2027-02-20T01:00:00Z",
    "run_requested_at": None,
    "run_finished_at": None,
    "published_at": None,
    "cancelled_at": None,
    "cancel_reason": None,
}


@blp.route("/match-rounds/<int:round_id>/close-preferences")
class ClosePreferences(MethodView):
    """Stop collecting students' choices early."""

    @login_required
    @blp.response(200, RoundSchema, example=CLOSED_EXAMPLE)
    @problem_doc(
        blp,
        409,
        description="The round is not collecting, or its preferences are already closed",
        detail="preferences already closed at 2027-03-01T02:15:42Z; allowed next steps: run, "
        "cancel",
    )
    def post(self, round_id):
        """Close preferences now, so the round may be run at once (coordinators).

        `preferences_close_at` becomes now and `preferences_open` false; students can no
        longer change their choices, enterprises may still rank until the run. Recorded in
        the audit log (`close-preferences`, with the earlier closing time); nobody is
        notified, as when preferences close on time. 409 unless the round is collecting
        with preferences still open.
        """
        require_coordinator()
        return services.close_preferences(me(), services.lock(round_id))


@blp.route("/match-rounds/<int:round_id>/preferences")
class Preferences(MethodView):
    """A student's ranked choices."""

    @login_required
    @blp.response(200, MatchPreferencesSchema)
    def get(self, round_id):
        """The calling student's preferences."""
        return services.get_preferences(me(), services.get_visible(round_id))

    @login_required
    @blp.arguments(MatchPreferencesInSchema)
    @blp.response(200, MatchPreferencesSchema)
    def put(self, data, round_id):
        """Set the calling student's ranked internships before `preferences_close_at`.

        An empty list withdraws them (the response then lists none).
        """
        rnd = services.lock(round_id, shared=True)
        return services.put_preferences(me(), rnd, data["internship_ids"])


@blp.route("/match-rounds/<int:round_id>/rankings/<int:internship_id>")
class Rankings(MethodView):
    """An enterprise's order of students for one of its internships."""

    @login_required
    @blp.response(200, MatchRankingSchema)
    def get(self, round_id, internship_id):
        """The ranking (the internship's enterprise admins and staff)."""
        return services.get_ranking(me(), services.get_visible(round_id), internship_id)

    @login_required
    @blp.arguments(MatchRankingInSchema)
    @blp.response(200, MatchRankingSchema)
    def put(self, data, round_id, internship_id):
        """Rank students best first; those left unranked follow by recommendation score.

        Give `student_ids`, `excluded_student_ids` or both (at least one); the ranking is
        replaced as a whole and a list not given is empty. Allowed until the round is run,
        also after preferences have closed.
        """
        rnd = services.lock(round_id, shared=True)
        return services.put_ranking(me(), rnd, internship_id, data)


@blp.route("/match-rounds/<int:round_id>/rankings/<int:internship_id>/candidates")
class Candidates(MethodView):
    """The students who chose one of the round's internships."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MatchCandidatePage)
    def get(self, args, round_id, internship_id):
        """Students who listed the internship, with their place for it, the recommendation
        score and your current ranking or exclusion (the internship's enterprise admins and
        staff, coordinators).

        In your current order: ranked students in your order, then the unranked by score
        (as the run orders them, before the lottery), then the excluded; ties by id.
        """
        rnd = services.get_visible(round_id)
        ri = candidates.access(rnd, internship_id, me())
        return candidates.listing(rnd, ri, args)


@blp.route("/match-rounds/<int:round_id>/run")
class Run(MethodView):
    """Start the computation."""

    @login_required
    @blp.response(202, RoundSchema)
    @problem_doc(
        blp,
        409,
        description="Preferences are still open, or the round's status allows no run",
        detail="preferences are open until 2027-03-01T02:00:00Z: waiting for the students to "
        "give preferences; run the round after that, or close preferences now (POST "
        "/api/v1/match-rounds/9/close-preferences); allowed next steps until then: "
        "close-preferences, change the round (PATCH its name or preferences_close_at), "
        "students' preferences and enterprises' rankings",
        waiting_for=[
            {
                "party": "student",
                "id": None,
                "name": "the students",
                "action": "give preferences until 2027-03-01T02:00:00Z",
            }
        ],
    )
    def post(self, round_id):
        """Queue the run for a worker (coordinators; after preferences close).

        409 while preferences are open (close them early with `POST .../close-preferences`),
        and in a status that allows no run, naming whom the round waits for.
        """
        require_coordinator()
        return services.request_run(me(), services.lock(round_id))


@blp.route("/match-rounds/<int:round_id>/publish")
class Publish(MethodView):
    """Make the result official."""

    @login_required
    @blp.response(200, RoundSchema)
    def post(self, round_id):
        """Turn assignments into `offered` applications and notify everyone (coordinators).

        Each internship's status and free slots are checked again now: a matched student
        whose internship is no longer open, who is beyond its free slots, or whose
        application was closed, gets no offer (`stats`: `not_open`, `no_free_slot`,
        `skipped`) and is left, with the slot, for the follow-up round. 409 unless the
        round is `done` and its check passed.
        """
        require_coordinator()
        return publishing.publish(me(), services.lock(round_id))


@blp.route("/match-rounds/<int:round_id>/cancel")
class Cancel(MethodView):
    """Call the round off."""

    @login_required
    @blp.arguments(RoundCancelSchema)
    @blp.response(200, RoundSchema)
    def post(self, data, round_id):
        """Cancel a round before publication, with a reason (coordinators).

        Allowed while `collecting`, `done` or `failed` (not while a worker runs it): its
        internships may then join another round; enterprises and the students who gave
        preferences are told why. 409 otherwise.
        """
        require_coordinator()
        return services.cancel(me(), services.lock(round_id), data["reason"])


@blp.route("/match-rounds/<int:round_id>/follow-up")
class FollowUp(MethodView):
    """The next round over what is left."""

    @login_required
    @blp.arguments(FollowUpSchema)
    @blp.response(201, RoundSchema)
    def post(self, data, round_id):
        """A round over the unfilled slots for the unmatched students (coordinators).

        Its internships are the published round's with slots it did not fill or filled
        without an offer, each with no more slots than are free now; its students those
        left unmatched or without an offer. One follow-up a round (409 for a second), and
        409 when nothing is left.
        """
        require_coordinator()
        return publishing.follow_up(me(), services.lock(round_id), data)


@blp.route("/match-rounds/<int:round_id>/assignments")
class Assignments(MethodView):
    """The result."""

    @login_required
    @blp.arguments(AssignmentArgs, location="query")
    @blp.response(200, MatchAssignmentPage)
    def get(self, args, round_id):
        """Assignments: coordinators all (after a run), an enterprise its own (once published)."""
        rnd = services.get_visible(round_id)
        return paginate(results.assignments(rnd, me(), args), args)


@blp.route("/match-rounds/<int:round_id>/assignments/mine")
class MyAssignment(MethodView):
    """A student's own result."""

    @login_required
    @blp.response(200, MyMatchAssignmentSchema)
    def get(self, round_id):
        """The calling student's assignment and why each higher choice was not given."""
        return results.explained(results.mine(services.get_visible(round_id), me()))


@blp.route("/match-rounds/<int:round_id>/internships")
class RoundInternships(MethodView):
    """Slots per internship."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RoundInternshipPage)
    def get(self, args, round_id):
        """Slots, filled and unfilled per internship (coordinators; an enterprise its own)."""
        return results.internships(services.get_visible(round_id), me(), args)
