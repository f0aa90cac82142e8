"""Notification events of competitions, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import (
    ORG_KINDS,
    Batches,
    EventSpec,
    id_batches,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

from .models import CompetitionOrganizer, Team, TeamMember

COMPETITION_PAYLOAD = {
    "competition_id": ("integer", "the competition"),
    "title": ("string", "its title"),
}


def _organizers(competition_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(CompetitionOrganizer.organization_id).where(
                CompetitionOrganizer.competition_id == competition_id
            )
        )
    )


def _teams_orgs(*conditions) -> set[int]:
    """The universities of the teams' members and the teams' mentor enterprises."""
    universities = db.session.scalars(
        sa.select(TeamMember.university_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(*conditions)
    )
    mentors = db.session.scalars(
        sa.select(Team.mentor_enterprise_id).where(
            *conditions, Team.mentor_enterprise_id.is_not(None)
        )
    )
    return {*universities, *mentors}


def organizers(event: OutboxEvent) -> list[int]:
    """Webhooks: the competition's organizers (of any kind)."""
    return sorted(_organizers(event.payload["competition_id"]))


def organizers_and_team(event: OutboxEvent) -> list[int]:
    """Webhooks: the organizers, the team members' universities and its mentor enterprise."""
    team = _teams_orgs(Team.id == event.payload["team_id"])
    return sorted(_organizers(event.payload["competition_id"]) | team)


def organizers_and_teams(event: OutboxEvent) -> list[int]:
    """Webhooks: the organizers, and every team's universities and mentor enterprise."""
    competition_id = event.payload["competition_id"]
    return sorted(_organizers(competition_id) | _teams_orgs(Team.competition_id == competition_id))


def team_members(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the members of the event's team."""
    stmt = sa.select(TeamMember.user_id).where(TeamMember.team_id == event.payload["team_id"])
    return id_batches(stmt, TeamMember.user_id, batch)


def the_judge(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the judge just assigned."""
    stmt = sa.select(User.id).where(User.id == event.payload["judge_id"])
    return id_batches(stmt, User.id, batch)


def participants_and_organizers(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: every team member, then the organizers' admins and staff (each once)."""
    competition_id = event.payload["competition_id"]
    members = sa.select(TeamMember.user_id.label("uid")).where(
        TeamMember.competition_id == competition_id
    )
    staff = (
        sa.select(Membership.user_id.label("uid"))
        .join(
            CompetitionOrganizer,
            CompetitionOrganizer.organization_id == Membership.organization_id,
        )
        .where(
            CompetitionOrganizer.competition_id == competition_id,
            Membership.role.in_(STAFF_ROLES),
        )
    )
    union = sa.union(members, staff).subquery()
    return id_batches(sa.select(union.c.uid), union.c.uid, batch)


register(
    EventSpec(
        type="competition.team_registered",
        description="You were registered in a competition team",
        recipients=team_members,
        title={"zh": "已报名竞赛：{title}", "en": "Registered for {title}"},
        body={
            "zh": "您所在的队伍「{team_name}」已报名竞赛「{title}」。",
            "en": "Your team {team_name} is registered for the competition {title}.",
        },
        payload={
            **COMPETITION_PAYLOAD,
            "team_id": ("integer", "the team"),
            "team_name": ("string", "its name"),
        },
        # Organizers may be of any kind (an association, a government body...).
        org_kinds=ORG_KINDS,
        webhook_orgs=organizers_and_team,
        webhook_description="A team registered for a competition",
    )
)
register(
    EventSpec(
        type="competition.judge_assigned",
        description="You were asked to judge a competition",
        recipients=the_judge,
        title={"zh": "竞赛评委邀请：{title}", "en": "Judge for {title}"},
        body={
            "zh": "您已被指定为竞赛「{title}」的评委。",
            "en": "You were assigned as a judge of the competition {title}.",
        },
        payload={**COMPETITION_PAYLOAD, "judge_id": ("integer", "the judge (a user id)")},
        org_kinds=ORG_KINDS,
        webhook_orgs=organizers,
        webhook_description="A judge was assigned to a competition",
    )
)
register(
    EventSpec(
        type="competition.results_published",
        description="A competition you take part in published its results",
        recipients=participants_and_organizers,
        title={"zh": "竞赛结果已公布：{title}", "en": "Results published: {title}"},
        body={
            "zh": "竞赛「{title}」的结果已公布，请查看排行榜。",
            "en": "The results of the competition {title} are out: see the leaderboard.",
        },
        payload=COMPETITION_PAYLOAD,
        org_kinds=ORG_KINDS,
        webhook_orgs=organizers_and_teams,
        webhook_description="A competition published its results",
    )
)
