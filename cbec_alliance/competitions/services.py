"""Competition rules: who organizes, registration, teams and judges."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.students.services import student_universities as _student_universities
from cbec_alliance.taxonomy import services as taxonomy

from .models import (
    Competition,
    CompetitionOrganizer,
    CompetitionTrack,
    Judge,
    RubricCriterion,
    Team,
    TeamMember,
)


def get(competition_id: int) -> Competition:
    """A competition (they are public), or 404."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        not_found("competition")
    return competition


def is_organizer(user: User, competition: Competition) -> bool:
    """True for admins and staff of a co-organizing organization."""
    if not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(
                Membership.user_id == user.id,
                Membership.organization_id.in_(competition.organizer_ids),
                Membership.role.in_(STAFF_ROLES),
            )
        )
    )


def can_manage(user: User, competition: Competition) -> bool:
    """Organizers and coordinators manage a competition."""
    return user.is_authenticated and (user.is_coordinator or is_organizer(user, competition))


def require_manager(user: User, competition: Competition) -> None:
    """403 unless the user organizes the competition or is a coordinator."""
    if not can_manage(user, competition):
        forbidden("Only the competition's organizers and coordinators may do this.")


def is_judge(user: User, competition: Competition) -> bool:
    """True when the user was assigned to judge the competition."""
    return user.is_authenticated and db.session.get(Judge, (competition.id, user.id)) is not None


def _approved_orgs(ids: list[int], field: str, kind: str | None = None) -> list[Organization]:
    if len(set(ids)) != len(ids):
        invalid(field, "each organization may appear once")
    orgs = db.session.scalars(sa.select(Organization).where(Organization.id.in_(ids))).all()
    found = {o.id: o for o in orgs}
    for org_id in ids:
        org = found.get(org_id)
        if org is None or org.status != "approved":
            invalid(
                field,
                _("%(org_id)s is not an approved organization of the alliance", org_id=org_id),
            )
        if kind and org.kind != kind:
            invalid(field, _("%(org_id)s is not an %(kind)s", org_id=org_id, kind=kind))
    return [found[i] for i in ids]


def _check_schedule(data: dict) -> None:
    order = ("registration_opens_at", "registration_closes_at", "starts_at", "ends_at")
    for earlier, later in zip(order, order[1:], strict=False):
        if data[later] < data[earlier] or (later != "starts_at" and data[later] == data[earlier]):
            invalid(later, _("must come after %(earlier)s", earlier=earlier))
    freeze = data.get("scoreboard_freeze_at")
    if freeze is not None and not data["starts_at"] <= freeze <= data["ends_at"]:
        invalid("scoreboard_freeze_at", "must lie between starts_at and ends_at")
    opens = data.get("submission_opens_at") or data["starts_at"]
    if data.get("submission_closes_at") is not None and data["submission_closes_at"] <= opens:
        invalid("submission_closes_at", "must come after submission_opens_at")


def _check_rubric(rubric: list[dict]) -> None:
    names = [c["criterion"] for c in rubric]
    if len(set(names)) != len(names):
        invalid("rubric", "each criterion may appear once")
    for criterion in rubric:
        if criterion["weight"] != criterion["weight"].quantize(Decimal("0.0001")):
            invalid(
                "rubric",
                _(
                    "%(criterion)s: a weight has at most 4 decimals",
                    criterion=criterion["criterion"],
                ),
            )
    total = sum((c["weight"] for c in rubric), Decimal(0))
    if total != 1:
        invalid("rubric", _("the weights must add up to 1 (they add up to %(total)s)", total=total))


def _staff_organizations(user: User) -> set[int]:
    """The organizations whose admin or staff the user is."""
    return set(
        db.session.scalars(
            sa.select(Membership.organization_id).where(
                Membership.user_id == user.id, Membership.role.in_(STAFF_ROLES)
            )
        )
    )


def _check_tracks(tracks: list[dict]) -> None:
    names = [track["name"] for track in tracks]
    if len(set(names)) != len(names):
        invalid("tracks", "each track name may appear once")
    taxonomy.check("competencies", "tracks", [c for track in tracks for c in track["competencies"]])


def _track(data: dict, position: int) -> CompetitionTrack:
    codes = sorted(set(data["competencies"]))
    return CompetitionTrack(name=data["name"], position=position, competencies=codes)


def create(user: User, data: dict) -> Competition:
    """A competition co-organized by `organizer_ids` (the caller manages one, or coordinates)."""
    orgs = _approved_orgs(data["organizer_ids"], "organizer_ids")
    if not user.is_coordinator and not _staff_organizations(user) & {org.id for org in orgs}:
        forbidden("You must be an admin or staff of one of the organizers.")
    _check_schedule(data)
    _check_rubric(data["rubric"])
    _check_tracks(data["tracks"])
    competition = Competition(
        title=data["title"],
        description=data.get("description"),
        registration_opens_at=data["registration_opens_at"],
        registration_closes_at=data["registration_closes_at"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        scoreboard_freeze_at=data.get("scoreboard_freeze_at"),
        submission_opens_at=data.get("submission_opens_at"),
        submission_closes_at=data.get("submission_closes_at"),
        max_team_size=data["max_team_size"],
        created_by_id=user.id,
        organizers=[CompetitionOrganizer(organization_id=org.id) for org in orgs],
        tracks=[_track(track, position) for position, track in enumerate(data["tracks"])],
        rubric=[
            RubricCriterion(criterion=c["criterion"], weight=c["weight"], position=position)
            for position, c in enumerate(data["rubric"])
        ],
    )
    db.session.add(competition)
    db.session.flush()
    audit(actor=user, obj=competition, action="create", changes={"title": competition.title})
    return competition


def listing(args: dict) -> sa.Select:
    """Competitions, newest first, with the list filters."""
    stmt = sa.select(Competition).order_by(Competition.starts_at.desc(), Competition.id.desc())
    if args.get("organization_id") is not None:
        stmt = stmt.where(
            Competition.organizers.any(
                CompetitionOrganizer.organization_id == args["organization_id"]
            )
        )
    if args.get("q"):
        stmt = stmt.where(contains(Competition.title, args["q"]))
    if args.get("track_competency"):
        # Tracks keep their competencies as a JSON list; filter in Python-free SQL by a LIKE on
        # the quoted code, which JSON encoding makes unambiguous ("english" vs "english-x").
        code = '"' + args["track_competency"] + '"'
        stmt = stmt.where(
            Competition.tracks.any(
                sa.cast(CompetitionTrack.competencies, sa.Text).contains(code, autoescape=True)
            )
        )
    return stmt


# --- teams -----------------------------------------------------------------------------


def _check_registration_open(competition: Competition) -> None:
    now = utcnow()
    opens, closes = (
        as_utc(competition.registration_opens_at),
        as_utc(competition.registration_closes_at),
    )
    if not opens <= now < closes:
        conflict(
            _(
                "registration is closed: it runs from %(opens)s to %(closes)s",
                opens=iso_z(opens),
                closes=iso_z(closes),
            )
        )


def _member_universities(competition: Competition, data: dict) -> dict[int, int]:
    """{member: university} for a valid team of students, or 422 naming the field."""
    members = data["member_ids"]
    if len(set(members)) != len(members):
        invalid("member_ids", "each student may appear once")
    if len(members) > competition.max_team_size:
        invalid(
            "member_ids",
            _(
                "a team has at most %(max_team_size)s members",
                max_team_size=competition.max_team_size,
            ),
        )
    if data["track"] not in [track.name for track in competition.tracks]:
        invalid("track", "not a track of this competition")
    universities = _student_universities(members)
    strangers = [member for member in members if member not in universities]
    if strangers:
        invalid(
            "member_ids",
            _("not students of an alliance university: %(strangers)s", strangers=strangers),
        )
    return universities


def _check_free(competition: Competition, members: list[int], name: str) -> None:
    """409 when a member is in a team of the competition already, or the name is taken."""
    taken = db.session.scalars(
        sa.select(TeamMember.user_id).where(
            TeamMember.competition_id == competition.id, TeamMember.user_id.in_(members)
        )
    ).all()
    if taken:
        conflict(
            _("already in a team of this competition: %(taken)s", taken=sorted(taken)),
            user_ids=sorted(taken),
        )
    if db.session.scalar(
        sa.select(Team.id).where(Team.competition_id == competition.id, Team.name == name)
    ):
        conflict("a team of this competition already has that name")


def register_team(user: User, competition: Competition, data: dict) -> Team:
    """Register a team in the window: a member registers it, or a member's university staff."""
    _check_registration_open(competition)
    universities = _member_universities(competition, data)
    members = data["member_ids"]
    if user.id not in members and not _staff_organizations(user) & set(universities.values()):
        forbidden("A team is registered by one of its members or by their university's staff.")
    if data.get("mentor_enterprise_id") is not None:
        _approved_orgs([data["mentor_enterprise_id"]], "mentor_enterprise_id", "enterprise")
    _check_free(competition, members, data["name"])
    team = Team(
        competition_id=competition.id,
        name=data["name"],
        track=data["track"],
        advisor_name=data["advisor_name"],
        mentor_enterprise_id=data.get("mentor_enterprise_id"),
        created_by_id=user.id,
        members=[
            TeamMember(
                user_id=member, competition_id=competition.id, university_id=universities[member]
            )
            for member in members
        ],
    )
    db.session.add(team)
    db.session.flush()
    emit(
        "competition.team_registered",
        {**payload(competition), "team_id": team.id, "team_name": team.name},
        actor=user,
    )
    return team


def is_insider(user: User, competition: Competition) -> bool:
    """Organizers, coordinators and judges see every team's members."""
    return user.is_authenticated and (can_manage(user, competition) or is_judge(user, competition))


def team_view(team: Team, user: User, insider: bool) -> dict:
    """A team as shown to `user`: members only to the team and the competition's insiders."""
    member_ids = [m.user_id for m in team.members]
    insider = insider or (user.is_authenticated and user.id in member_ids)
    return {
        "id": team.id,
        "competition_id": team.competition_id,
        "name": team.name,
        "track": team.track,
        "advisor_name": team.advisor_name,
        "mentor_enterprise_id": team.mentor_enterprise_id,
        "member_count": len(member_ids),
        "members": [{"user_id": m.user_id, "university_id": m.university_id} for m in team.members]
        if insider
        else [],
        "created_at": team.created_at,
    }


def teams(competition: Competition) -> sa.Select:
    """The competition's teams by track and name."""
    return (
        sa.select(Team)
        .where(Team.competition_id == competition.id)
        .order_by(Team.track, Team.name, Team.id)
    )


# --- judges ----------------------------------------------------------------------------


def assign_judge(actor: User, competition: Competition, user_id: int) -> dict:
    """Organizers or coordinators assign a judge; never a member of a competing team."""
    require_manager(actor, competition)
    judge_user = db.session.get(User, user_id)
    if judge_user is None or not judge_user.is_active:
        invalid("user_id", "no such active user")
    if db.session.get(Judge, (competition.id, user_id)) is not None:
        conflict("already a judge of this competition")
    competing = db.session.scalar(
        sa.select(TeamMember.team_id).where(
            TeamMember.competition_id == competition.id, TeamMember.user_id == user_id
        )
    )
    if competing:
        conflict("a member of a competing team cannot judge this competition")
    judge = Judge(competition_id=competition.id, user_id=user_id, assigned_by_id=actor.id)
    db.session.add(judge)
    db.session.flush()
    emit("competition.judge_assigned", {**payload(competition), "judge_id": user_id}, actor=actor)
    return {"user_id": user_id, "name": judge_user.name, "created_at": judge.created_at}


def judges(actor: User, competition: Competition) -> list[dict]:
    """The judges (for managers and the judges themselves)."""
    if not (can_manage(actor, competition) or is_judge(actor, competition)):
        forbidden("Only the competition's organizers, judges and coordinators see its judges.")
    rows = db.session.execute(
        sa.select(Judge, User.name)
        .join(User, User.id == Judge.user_id)
        .where(Judge.competition_id == competition.id)
        .order_by(Judge.user_id)
    ).all()
    return [{"user_id": j.user_id, "name": name, "created_at": j.created_at} for j, name in rows]


def payload(competition: Competition) -> dict:
    """The fields every competition event carries."""
    return {"competition_id": competition.id, "title": competition.title}


def has_passed(moment: datetime | None) -> bool:
    """True once `moment` (stored, so maybe naive on SQLite) is reached; None never is."""
    return moment is not None and utcnow() >= as_utc(moment)
