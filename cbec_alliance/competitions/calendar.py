"""Competitions as calendar entries: the contest itself and its registration deadline."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.competitions.models import Competition, CompetitionOrganizer, TeamMember
from cbec_alliance.core.ics import Entry
from cbec_alliance.extensions import db
from cbec_alliance.organizations.services import staffed_by


def entries(competition: Competition) -> list[Entry]:
    """The contest's dates and the moment registration closes."""
    url = f"/api/v1/competitions/{competition.id}"
    return [
        Entry(
            uid=f"competition-{competition.id}",
            summary=f"[竞赛] {competition.title}",
            starts=competition.starts_at,
            ends=competition.ends_at,
            description=competition.description,
            url=url,
        ),
        Entry(
            uid=f"competition-{competition.id}-registration",
            summary=f"[报名截止 Registration closes] {competition.title}",
            starts=competition.registration_closes_at,
            ends=competition.registration_closes_at,
            url=url,
        ),
    ]


def entries_for(user_id: int) -> list[Entry]:
    """Competitions the user competes in (a team member) or helps organize."""
    competing = sa.select(TeamMember.competition_id).where(TeamMember.user_id == user_id)
    organizing = sa.select(CompetitionOrganizer.competition_id).where(
        CompetitionOrganizer.organization_id.in_(staffed_by(user_id))
    )
    found = db.session.scalars(
        sa.select(Competition)
        .where(sa.or_(Competition.id.in_(competing), Competition.id.in_(organizing)))
        .order_by(Competition.starts_at, Competition.id)
    )
    return [item for competition in found for item in entries(competition)]
