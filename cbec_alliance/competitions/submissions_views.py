"""Routes of teams' submissions, their scores and the public entries."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me

from . import services, submissions
from .schemas import (
    CompetitionSchema,
    EntrySchema,
    SubmissionInSchema,
    SubmissionSchema,
    SubmissionScoreInSchema,
    SubmissionScoreSchema,
    WindowInSchema,
)
from .views import blp


@blp.route("/competitions/<int:competition_id>/submission-window")
class SubmissionWindow(MethodView):
    """When teams hand in their entries."""

    @login_required
    @blp.arguments(WindowInSchema)
    @blp.response(200, CompetitionSchema)
    def put(self, data, competition_id):
        """Set the window (organizers, coordinators); an end left out is the competition's
        own date (starts_at, ends_at)."""
        return submissions.set_window(me(), services.get(competition_id), data)


@blp.route("/competitions/<int:competition_id>/submissions")
class Submissions(MethodView):
    """Teams' submissions."""

    @login_required
    @blp.response(200, EntrySchema(many=True))
    def get(self, competition_id):
        """The latest submission of each team with its scores (judges, organizers,
        coordinators)."""
        return submissions.latest(me(), services.get(competition_id))

    @login_required
    @blp.arguments(SubmissionInSchema)
    @blp.response(201, SubmissionSchema)
    def post(self, data, competition_id):
        """Hand in a file or a link for my team, within the window; the latest counts."""
        return submissions.submit(me(), services.get(competition_id), data)


@blp.route("/competitions/<int:competition_id>/teams/<int:team_id>/submissions")
class TeamSubmissions(MethodView):
    """Every submission of one team."""

    @login_required
    @blp.response(200, SubmissionSchema(many=True))
    def get(self, competition_id, team_id):
        """Newest first (the team, judges, organizers, coordinators)."""
        return submissions.of_team(me(), services.get(competition_id), team_id)


@blp.route("/competitions/<int:competition_id>/submissions/<int:submission_id>/score")
class SubmissionScoreItem(MethodView):
    """A judge's score of a submission."""

    @login_required
    @blp.arguments(SubmissionScoreInSchema)
    @blp.response(200, SubmissionScoreSchema)
    def put(self, data, competition_id, submission_id):
        """Score a team's latest submission 0..100 with a comment (the judges, until the
        results are published; again replaces)."""
        return submissions.score(me(), services.get(competition_id), submission_id, data)


@blp.route("/competitions/<int:competition_id>/entries")
class PublicEntries(MethodView):
    """The entries teams chose to show."""

    @blp.doc(security=[])
    @blp.response(200, EntrySchema(many=True))
    def get(self, competition_id):
        """After the results are published, each team's latest entry when the team allowed
        it (empty before)."""
        return submissions.public_entries(services.get(competition_id))
