"""Factories for competitions: a competition with tracks and a rubric, teams, judges."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory

from cbec_alliance.competitions.models import (
    Competition,
    CompetitionOrganizer,
    CompetitionTrack,
    Judge,
    RubricCriterion,
    Team,
    TeamMember,
)
from cbec_alliance.core.timeutil import utcnow
from tests.factories import Base, OrganizationFactory

RUBRIC = {"创意 creativity": Decimal("0.4"), "execution": Decimal("0.6")}
TRACKS = {"跨境直播 live commerce": ["content-creation"], "data": ["data-analysis"]}


class CompetitionFactory(Base):
    """Registration open now by default; `judging=True` makes it started, registration over."""

    class Meta:
        model = Competition

    class Params:
        judging = False

    title = factory.Sequence(lambda n: f"广州跨境电商创新大赛 {n}")
    description = "校企联合举办 co-organized by the alliance"
    registration_opens_at = factory.LazyAttribute(
        lambda o: utcnow() - timedelta(days=10 if o.judging else 1)
    )
    registration_closes_at = factory.LazyAttribute(
        lambda o: utcnow() - timedelta(days=5) if o.judging else utcnow() + timedelta(days=1)
    )
    starts_at = factory.LazyAttribute(
        lambda o: utcnow() - timedelta(days=4) if o.judging else utcnow() + timedelta(days=2)
    )
    ends_at = factory.LazyAttribute(lambda o: utcnow() + timedelta(days=5))
    max_team_size = 3

    @classmethod
    def _create(cls, model_class, *args, organizer=None, rubric=None, tracks=None, **kwargs):
        organizer = organizer or OrganizationFactory()
        kwargs["organizers"] = [CompetitionOrganizer(organization_id=organizer.id)]
        kwargs["tracks"] = [
            CompetitionTrack(name=name, position=k, competencies=codes)
            for k, (name, codes) in enumerate((tracks or TRACKS).items())
        ]
        kwargs["rubric"] = [
            RubricCriterion(criterion=name, weight=weight, position=k)
            for k, (name, weight) in enumerate((rubric or RUBRIC).items())
        ]
        return super()._create(model_class, *args, **kwargs)


def team(competition, members, *, name=None, track=None):
    """A team of `members` (users with a student membership: (user, university) pairs)."""
    row = Team(
        competition_id=competition.id,
        name=name or f"队伍 {members[0][0].id}",
        track=track or competition.tracks[0].name,
        advisor_name="王老师",
        members=[
            TeamMember(user_id=u.id, competition_id=competition.id, university_id=uni.id)
            for u, uni in members
        ],
    )
    session = CompetitionFactory._meta.sqlalchemy_session
    session.add(row)
    session.commit()
    return row


def judge(competition, user):
    """Assign `user` as a judge."""
    session = CompetitionFactory._meta.sqlalchemy_session
    session.add(Judge(competition_id=competition.id, user_id=user.id))
    session.commit()
    return user
