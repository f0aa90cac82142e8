"""Factories for what an enterprise and a university share: a co-developed course, a
training base and its sessions, competitions (co-organized, or a mentored team) and
lectures; rows go through the test's session like every factory's."""

from __future__ import annotations

import datetime as dt

import factory

from cbec_alliance.competitions.models import CompetitionOrganizer
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.lectures.models import Lecture
from cbec_alliance.training_bases.models import (
    BaseCompetency,
    BaseSession,
    BaseUniversity,
    TrainingBase,
)
from tests.competitions.factories import CompetitionFactory, team
from tests.courses.factories import CourseFactory
from tests.factories import Base, OrganizationFactory
from tests.students.factories import student


class TrainingBaseFactory(Base):
    """An approved base of a new enterprise; `universities=[org, ...]` use it and
    `competencies=[code, ...]` are trained there."""

    class Meta:
        model = TrainingBase

    name = factory.Sequence(lambda n: f"跨境电商实训基地 {n}")
    host_enterprise_id = factory.LazyFunction(lambda: OrganizationFactory().id)
    district = "tianhe"
    address = "广州市天河区"
    capacity = 30
    status = "approved"
    level = "municipal"
    decided_at = factory.LazyFunction(lambda: utcnow() - dt.timedelta(days=20))

    @classmethod
    def _create(cls, model_class, *args, universities=(), competencies=("data-analysis",), **kw):
        kw["universities"] = [BaseUniversity(university_id=u.id) for u in universities]
        kw["competencies"] = [BaseCompetency(code=c) for c in competencies]
        return super()._create(model_class, *args, **kw)


def _session():
    return TrainingBaseFactory._meta.sqlalchemy_session


def base_session(base: TrainingBase, university, students: int, days_ago: int = 10):
    """A day of use of `base` by `university`'s students."""
    row = BaseSession(
        base_id=base.id,
        university_id=university.id,
        date=dt.date.today() - dt.timedelta(days=days_ago),
        students=students,
    )
    _session().add(row)
    _session().commit()
    return row


def co_developed_course(enterprise, university, *, days_ago: int = 5, **kw):
    """A published course of `university` that `enterprise` confirmed `days_ago`."""
    course = CourseFactory(university_id=university.id, partners=[enterprise], **kw)
    for partner in course.partners:
        partner.decided_at = utcnow() - dt.timedelta(days=days_ago)
    _session().commit()
    return course


def co_organized(*organizations, starts_in: dt.timedelta | None = None):
    """A competition the organizations co-organize; started 4 days ago by default, or
    starting `starts_in` from now."""
    first, *others = organizations
    if starts_in is None:
        competition = CompetitionFactory(organizer=first, judging=True)
    else:
        start = utcnow() + starts_in
        competition = CompetitionFactory(
            organizer=first,
            registration_opens_at=start - dt.timedelta(days=10),
            registration_closes_at=start - dt.timedelta(days=1),
            starts_at=start,
            ends_at=start + dt.timedelta(days=3),
        )
    for org in others:
        competition.organizers.append(CompetitionOrganizer(organization_id=org.id))
    _session().commit()
    return competition


def mentored_team(competition, enterprise, university, size: int = 2):
    """A team of `size` students of `university` that `enterprise` mentors."""
    members = [(student(university), university) for _ in range(size)]
    row = team(competition, members)
    row.mentor_enterprise_id = enterprise.id
    _session().commit()
    return row


class LectureFactory(Base):
    """A lecture an organization hosts at a university, a week ago by default."""

    class Meta:
        model = Lecture

    kind = "lecture"
    host_organization_id = factory.LazyFunction(lambda: OrganizationFactory().id)
    title = factory.Sequence(lambda n: f"跨境电商运营讲座 {n}")
    speaker = "李经理"
    location = "图书馆报告厅"
    starts_at = factory.LazyFunction(lambda: utcnow() - dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    capacity = 100
    status = "scheduled"
