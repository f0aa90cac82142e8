"""A running placement with its people, for the tests of what is recorded while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.placements.hours import LOCAL
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_models import CheckIn
from tests import factories
from tests.applications.factories import scene
from tests.factories import Base

MONDAY = date(2027, 3, 1)  # a Monday, within the placement below


class CheckInFactory(Base):
    class Meta:
        model = CheckIn


class PlacementFactory(Base):
    class Meta:
        model = Placement

    starts_on = date(2027, 2, 1)
    ends_on = date(2027, 7, 31)
    state = "active"
    hours_per_day = Decimal(8)
    hours_per_week = Decimal(40)


@dataclass
class Running:
    """A placement and everyone around it."""

    placement: Placement
    student: object
    school_mentor: object
    enterprise_mentor: object
    university_staff: object
    enterprise_staff: object
    university: object
    enterprise: object


def running(**placement_kw) -> Running:
    """An active placement (override with `placement_kw`) with both mentors assigned."""
    s = scene("accepted")
    enterprise = db.session.get(Organization, s.posting.enterprise_id)
    school_mentor = factories.member(s.university, "staff")
    enterprise_mentor = factories.member(enterprise, "staff")
    placement = PlacementFactory(
        application_id=s.application.id,
        student_id=s.student.id,
        university_id=s.university.id,
        enterprise_id=enterprise.id,
        internship_id=s.posting.id,
        school_mentor_id=school_mentor.id,
        enterprise_mentor_id=enterprise_mentor.id,
        **placement_kw,
    )
    return Running(
        placement,
        s.student,
        school_mentor,
        enterprise_mentor,
        factories.member(s.university, "admin"),
        s.staff,
        s.university,
        enterprise,
    )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant at Guangzhou's `hour:minute` on `day` (in UTC, as the database keeps it)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL).astimezone(UTC)


def worked(placement: Placement, day: date, hours: float, start_hour: int = 9) -> CheckIn:
    """A closed day of `hours` starting at `start_hour` (Guangzhou time)."""
    start = local(day, start_hour)
    return CheckInFactory(
        placement_id=placement.id,
        day=day,
        checked_in_at=start,
        checked_out_at=start + timedelta(hours=hours),
        minutes=int(hours * 60),
    )
