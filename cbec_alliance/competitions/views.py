"""Routes under /api/v1/competitions."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import BaseSchema, PageArgs

from . import judging, services
from .schemas import (
    CompetitionInSchema,
    CompetitionListArgs,
    CompetitionPage,
    CompetitionSchema,
    JudgeInSchema,
    JudgeSchema,
    LeaderboardArgs,
    LeaderboardSchema,
    ScoreSchema,
    ScoresInSchema,
    TeamInSchema,
    TeamPage,
    TeamSchema,
)

blp = Blueprint(
    "competitions",
    __name__,
    url_prefix="/api/v1",
    description="Competitions: tracks, teams, judges, scores and leaderboards",
)


class ScoreArgs(BaseSchema):
    """`?team_id=` narrows to one team."""

    team_id = ma.fields.Integer()


@blp.route("/competitions")
class Competitions(MethodView):
    """Competitions co-organized by alliance members."""

    @blp.doc(security=[])
    @blp.arguments(CompetitionListArgs, location="query")
    @blp.response(200, CompetitionPage)
    def get(self, args):
        """Every competition, latest start first (filters combine)."""
        return paginate(services.listing(args), args)

    @login_required
    @blp.arguments(CompetitionInSchema)
    @blp.response(201, CompetitionSchema)
    def post(self, data):
        """Create a competition (admins or staff of an organizer, or coordinators)."""
        return services.create(me(), data)


@blp.route("/competitions/<int:competition_id>")
class CompetitionItem(MethodView):
    """One competition."""

    @blp.doc(security=[])
    @blp.response(200, CompetitionSchema)
    def get(self, competition_id):
        """A competition with its tracks and rubric."""
        return services.get(competition_id)


@blp.route("/competitions/<int:competition_id>/teams")
class Teams(MethodView):
    """Teams of a competition."""

    @blp.doc(security=[])
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, TeamPage)
    def get(self, args, competition_id):
        """Teams by track and name; members are listed for the team and the insiders."""
        competition = services.get(competition_id)
        page = paginate(services.teams(competition), args)
        insider = services.is_insider(current_user, competition)
        page["items"] = [services.team_view(t, current_user, insider) for t in page["items"]]
        return page

    @login_required
    @blp.arguments(TeamInSchema)
    @blp.response(201, TeamSchema)
    def post(self, data, competition_id):
        """Register a team in the registration window (a member, or their university's staff)."""
        competition = services.get(competition_id)
        team = services.register_team(me(), competition, data)
        return services.team_view(team, me(), services.is_insider(me(), competition))


@blp.route("/competitions/<int:competition_id>/judges")
class Judges(MethodView):
    """Judges of a competition."""

    @login_required
    @blp.response(200, JudgeSchema(many=True))
    def get(self, competition_id):
        """The judges (organizers, coordinators and the judges)."""
        return services.judges(me(), services.get(competition_id))

    @login_required
    @blp.arguments(JudgeInSchema)
    @blp.response(201, JudgeSchema)
    def post(self, data, competition_id):
        """Assign a judge (organizers, coordinators); never a member of a competing team."""
        return services.assign_judge(me(), services.get(competition_id), data["user_id"])


@blp.route("/competitions/<int:competition_id>/scores")
class Scores(MethodView):
    """Judges' scores."""

    @login_required
    @blp.arguments(ScoreArgs, location="query")
    @blp.response(200, ScoreSchema(many=True))
    def get(self, args, competition_id):
        """Current scores: a judge's own; organizers and coordinators see every judge's."""
        return judging.current_scores(me(), services.get(competition_id), args.get("team_id"))

    @login_required
    @blp.arguments(ScoresInSchema)
    @blp.response(201, ScoreSchema)
    def post(self, data, competition_id):
        """Score a team per criterion (0..100); a later call revises, until results are out."""
        return judging.submit(me(), services.get(competition_id), data)


@blp.route("/competitions/<int:competition_id>/leaderboard")
class Leaderboard(MethodView):
    """The ranked teams."""

    @blp.doc(security=[])
    @blp.arguments(LeaderboardArgs, location="query")
    @blp.response(200, LeaderboardSchema)
    def get(self, args, competition_id):
        """Weighted scores, exact; ties share a rank (1, 1, 3); `normalize=z` per judge.

        After `scoreboard_freeze_at`, participants and the public see the board as it stood
        at the freeze until the results are published; judges, organizers and coordinators
        always see every score.
        """
        return judging.leaderboard(current_user, services.get(competition_id), args)


@blp.route("/competitions/<int:competition_id>/publish-results")
class PublishResults(MethodView):
    """Make the results final and public."""

    @login_required
    @blp.response(200, CompetitionSchema)
    def post(self, competition_id):
        """Publish the results (organizers, coordinators); scores are final from then on."""
        return judging.publish_results(me(), services.get(competition_id))
