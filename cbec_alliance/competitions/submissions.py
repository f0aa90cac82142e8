"""Teams' submissions: a file or a link, handed in within the submission window (the
competition's own dates when it sets none), the latest one counting; judges score the
latest submission of each team; once the results are published the public sees a team's
latest entry if the team allowed it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.pick import own_of_kind
from cbec_alliance.extensions import db

from .models import Competition, Submission, SubmissionScore, Team, TeamMember
from .services import can_manage, is_judge, require_manager

KIND = "competition_entry"


def window(competition: Competition) -> tuple[datetime, datetime]:
    """When submissions are taken: the competition's window, its dates where unset."""
    return (
        as_utc(competition.submission_opens_at or competition.starts_at),
        as_utc(competition.submission_closes_at or competition.ends_at),
    )


def is_member(user: User, team_id: int) -> bool:
    """True when the user is on the team."""
    return db.session.get(TeamMember, (team_id, user.id)) is not None


def _latest_ids(competition_id: int) -> sa.Select:
    return (
        sa.select(sa.func.max(Submission.id))
        .where(Submission.competition_id == competition_id)
        .group_by(Submission.team_id)
    )


def is_latest(submission: Submission) -> bool:
    """True when no later submission of the same team exists."""
    return not db.session.scalar(
        sa.select(
            sa.exists().where(
                Submission.team_id == submission.team_id, Submission.id > submission.id
            )
        )
    )


def insider(user: User, competition: Competition) -> bool:
    """Judges, organizers and coordinators: they read every team's submissions."""
    return can_manage(user, competition) or is_judge(user, competition)


def can_view(user: User, submission_id: int) -> bool:
    """Kind check: the team, the judges, the organizers (False for a missing one)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        return False
    competition = db.session.get_one(Competition, submission.competition_id)
    return is_member(user, submission.team_id) or insider(user, competition)


def can_attach(user: User, submission_id: int) -> bool:
    """Kind check: a member of the team, while the window is open."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not is_member(user, submission.team_id):
        return False
    opens, closes = window(db.session.get_one(Competition, submission.competition_id))
    return opens <= utcnow() <= closes


def is_public(submission_id: int) -> bool:
    """Kind check: the team's latest entry, after publication, when the team allowed it."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not submission.allow_public:
        return False
    competition = db.session.get_one(Competition, submission.competition_id)
    return competition.results_published_at is not None and is_latest(submission)


def submit(user: User, competition: Competition, data: dict) -> Submission:
    """A team member hands in a file (one of their uploads) or a link: 422 for someone not
    on the team, 409 outside the window."""
    team = db.session.get(Team, data["team_id"])
    if team is None or team.competition_id != competition.id or not is_member(user, team.id):
        invalid("team_id", "You are not a member of this team of the competition.")
    opens, closes = window(competition)
    if not opens <= utcnow() <= closes:
        conflict(
            _(
                "submissions are taken from %(opens)s to %(closes)s",
                opens=iso_z(opens),
                closes=iso_z(closes),
            )
        )
    document = None
    if data.get("document_id") is not None:
        document = own_of_kind(user, data["document_id"], KIND)
    submission = Submission(
        competition_id=competition.id,
        team_id=team.id,
        submitted_by_id=user.id,
        document_id=document.id if document else None,
        link=data.get("link"),
        note=data.get("note"),
        allow_public=data["allow_public"],
    )
    db.session.add(submission)
    db.session.flush()
    if document is not None:
        documents.attach_as(user, document, KIND, submission.id)
    audit(
        actor=user,
        obj=submission,
        action="create",
        changes={
            "team_id": team.id,
            "link": submission.link,
            "document_id": submission.document_id,
        },
    )
    return submission


def of_team(user: User, competition: Competition, team_id: int) -> list[Submission]:
    """Every submission of a team, newest first (the team and insiders; 404 otherwise)."""
    team = db.session.get(Team, team_id)
    if (
        team is None
        or team.competition_id != competition.id
        or not (is_member(user, team_id) or insider(user, competition))
    ):
        not_found("team")
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.team_id == team_id)
            .order_by(Submission.id.desc())
        )
    )


def latest(user: User, competition: Competition) -> list[dict]:
    """The latest submission of each team with its scores (judges and managers; 404 for
    anyone else)."""
    if not insider(user, competition):
        not_found("submissions")
    rows = _latest_rows(competition)
    scores: dict[int, list[SubmissionScore]] = {}
    for score in db.session.scalars(
        sa.select(SubmissionScore)
        .where(SubmissionScore.submission_id.in_([s.id for s, _name in rows]))
        .order_by(SubmissionScore.judge_id)
    ):
        scores.setdefault(score.submission_id, []).append(score)
    return [
        {"submission": s, "team_name": name, "scores": scores.get(s.id, [])} for s, name in rows
    ]


def score(judge: User, competition: Competition, submission_id: int, data: dict) -> SubmissionScore:
    """A judge scores a team's latest submission (0-100 and a comment) until the results are
    published; scoring again replaces their score."""
    if not insider(judge, competition):
        not_found("submission")
    if not is_judge(judge, competition):
        forbidden("Only the competition's judges score submissions.")
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.competition_id != competition.id:
        not_found("submission")
    if competition.results_published_at is not None:
        conflict("the results are published: scores can no longer change")
    if not is_latest(submission):
        conflict("the team has submitted again since: score its latest submission")
    row = db.session.scalar(
        sa.select(SubmissionScore).where(
            SubmissionScore.submission_id == submission.id, SubmissionScore.judge_id == judge.id
        )
    )
    if row is None:
        row = SubmissionScore(submission_id=submission.id, judge_id=judge.id)
        db.session.add(row)
    row.score = data["score"]
    row.comment = data.get("comment")
    db.session.flush()
    audit(actor=judge, obj=row, action="update", changes={"score": row.score})
    return row


def public_entries(competition: Competition) -> list[dict]:
    """After publication, each team's latest entry the team allowed to show (else none)."""
    if competition.results_published_at is None:
        return []
    rows = _latest_rows(competition, Submission.allow_public.is_(True))
    return [{"submission": s, "team_name": name, "scores": []} for s, name in rows]


def _latest_rows(competition: Competition, *where: sa.ColumnElement[bool]) -> list[sa.Row]:
    # Each team's latest submission with the team's name, in the order of the results.
    return list(
        db.session.execute(
            sa.select(Submission, Team.name)
            .join(Team, Team.id == Submission.team_id)
            .where(Submission.id.in_(_latest_ids(competition.id)), *where)
            .order_by(Team.track, Team.name, Team.id)
        ).all()
    )


def set_window(user: User, competition: Competition, data: dict) -> Competition:
    """Organizers and coordinators set (or clear) the submission window."""
    require_manager(user, competition)
    opens, closes = data.get("submission_opens_at"), data.get("submission_closes_at")
    if closes is not None and as_utc(closes) <= as_utc(opens or competition.starts_at):
        invalid("submission_closes_at", "must come after submission_opens_at")
    competition.submission_opens_at = opens
    competition.submission_closes_at = closes
    audit(
        actor=user, obj=competition, action="update", changes={"submission_window": [opens, closes]}
    )
    return competition
