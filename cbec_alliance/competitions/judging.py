"""Judging: scores, revisions, the (frozen) leaderboard and publishing the results."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import iso_z, utcnow
from cbec_alliance.extensions import db

from . import ranking
from .models import Competition, Score, Team
from .services import can_manage, has_passed, is_judge, payload, require_manager


def submit(judge: User, competition: Competition, data: dict) -> dict:
    """A judge scores (or re-scores) a team on some criteria, until the results are out."""
    if not is_judge(judge, competition):
        forbidden("Only the competition's judges score teams.")
    if competition.results_published_at is not None:
        conflict("the results are published: scores can no longer change")
    if not has_passed(competition.starts_at):
        conflict(
            _(
                "judging opens when the competition starts (%(starts_at)s)",
                starts_at=iso_z(competition.starts_at),
            )
        )
    team = db.session.get(Team, data["team_id"])
    if team is None or team.competition_id != competition.id:
        invalid("team_id", "not a team of this competition")
    criteria = {c.criterion for c in competition.rubric}
    unknown = sorted(set(data["scores"]) - criteria)
    if unknown:
        invalid("scores", _("not criteria of the rubric: %(unknown)s", unknown=unknown))
    now = utcnow()
    for criterion, value in data["scores"].items():
        db.session.add(
            Score(
                competition_id=competition.id,
                team_id=team.id,
                judge_id=judge.id,
                criterion=criterion,
                value=value,
                created_at=now,
            )
        )
    db.session.flush()
    return current_scores(judge, competition, team_id=team.id)[0]


def _latest(competition: Competition, until: datetime | None = None) -> dict[tuple, int]:
    """(team, judge, criterion) -> the newest value (given at or before `until`)."""
    stmt = sa.select(Score.team_id, Score.judge_id, Score.criterion, Score.value).where(
        Score.competition_id == competition.id
    )
    if until is not None:
        stmt = stmt.where(Score.created_at <= until)
    latest: dict[tuple, int] = {}
    for team_id, judge_id, criterion, value in db.session.execute(stmt.order_by(Score.id)):
        latest[(team_id, judge_id, criterion)] = value
    return latest


def current_scores(user: User, competition: Competition, team_id: int | None = None) -> list:
    """A judge's own current scores per team; managers see every judge's."""
    manager = can_manage(user, competition)
    if not manager and not is_judge(user, competition):
        forbidden("Only the competition's judges, organizers and coordinators see scores.")
    grouped: dict[tuple[int, int], dict[str, int]] = {}
    for (team, judge_id, criterion), value in _latest(competition).items():
        if (manager or judge_id == user.id) and team_id in (None, team):
            grouped.setdefault((team, judge_id), {})[criterion] = value
    if team_id is not None and not grouped:
        return [{"team_id": team_id, "judge_id": user.id, "scores": {}}]
    return [
        {"team_id": team, "judge_id": judge_id, "scores": scores}
        for (team, judge_id), scores in sorted(grouped.items())
    ]


def _exact(score) -> str:
    if isinstance(score, Fraction):
        return str(score)
    return format(score, "f")


def leaderboard(user: User, competition: Competition, args: dict) -> dict:
    """Ranked teams; after the freeze, outsiders see the board as it stood at the freeze."""
    insider = can_manage(user, competition) or is_judge(user, competition)
    published = competition.results_published_at is not None
    freeze = competition.scoreboard_freeze_at
    frozen = not insider and not published and has_passed(freeze)
    latest = _latest(competition, until=freeze if frozen else None)
    teams = {
        t.id: t
        for t in db.session.scalars(sa.select(Team).where(Team.competition_id == competition.id))
    }
    if args.get("track"):
        if args["track"] not in [t.name for t in competition.tracks]:
            invalid("track", "not a track of this competition")
        teams = {i: t for i, t in teams.items() if t.track == args["track"]}
    marks = [
        ranking.Mark(team, judge_id, criterion, value)
        for (team, judge_id, criterion), value in latest.items()
        if team in teams
    ]
    weights = {c.criterion: c.weight for c in competition.rubric}
    standings = ranking.leaderboard(weights, marks, args.get("normalize"))
    return {
        "competition_id": competition.id,
        "normalize": args.get("normalize"),
        "frozen": frozen,
        "published": published,
        "items": [
            {
                "rank": s.rank,
                "team_id": s.team_id,
                "name": teams[s.team_id].name,
                "track": teams[s.team_id].track,
                "score": round(float(s.score), 4),
                "score_exact": _exact(s.score),
            }
            for s in standings
        ],
    }


def publish_results(user: User, competition: Competition) -> Competition:
    """Organizers or coordinators publish the results once; scores are final from then on."""
    require_manager(user, competition)
    if competition.results_published_at is not None:
        conflict("the results are already published")
    if not has_passed(competition.starts_at):
        conflict("the competition has not started yet")
    competition.results_published_at = utcnow()
    audit(actor=user, obj=competition, action="publish-results", changes={})
    emit("competition.results_published", payload(competition), actor=user)
    return competition
