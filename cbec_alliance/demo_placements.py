"""Demo placements for `flask demo-data`: one in each state, with check-ins, weekly logs and
their reviews, insurance, incidents and a compliance alert (idempotent).

Rows are written directly (the demo is data, not a user's action); each placement is found
again by its application, so running the command twice changes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.core.pdf import sha256_hex
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Membership, Organization
from cbec_alliance.placements import templates
from cbec_alliance.placements.agreements import fill_facts
from cbec_alliance.placements.hours import LOCAL, local_day, week_start
from cbec_alliance.placements.models import Agreement, Insurance, Placement, Signature
from cbec_alliance.placements.records_models import (
    CheckIn,
    ComplianceAlert,
    Incident,
    LogReview,
    WeeklyLog,
)

# (state, days since the start, length in days, application status)
STATES = [
    ("preparing", -14, 120, "accepted"),
    ("active", 35, 150, "accepted"),
    ("suspended", 28, 150, "accepted"),
    ("completed", 200, 180, "completed"),
    ("terminated", 60, 150, "accepted"),
]


def load(enterprises: list[Organization], students_by_university: dict[int, list]) -> None:
    """A placement in each state for demo students (those without one yet)."""
    students = [
        (university_id, user)
        for k in (1, 2, 0)  # the first students already applied in demo_activity
        for university_id, users in students_by_university.items()
        if len(users) > k
        for user in users[k : k + 1]
    ]
    today = local_day(utcnow())
    for k, ((state, since, length, status), (university_id, user)) in enumerate(
        zip(STATES, students, strict=False)
    ):
        if db.session.scalar(sa.select(Placement.id).where(Placement.student_id == user.id)):
            continue
        posting = _free_posting(enterprises[k % len(enterprises)], user)
        if posting is None:
            continue
        application = _application(posting, user, university_id, status)
        placement = _placement(application, posting, state, today - timedelta(days=since), length)
        _agreement(placement)
        _records(placement, state, today)
    db.session.flush()


def _free_posting(enterprise: Organization, user) -> Internship | None:
    """A posting of the enterprise the student has not applied to."""
    applied = sa.select(Application.internship_id).where(Application.student_id == user.id)
    return db.session.scalar(
        sa.select(Internship)
        .where(Internship.enterprise_id == enterprise.id, Internship.id.not_in(applied))
        .order_by(Internship.id)
        .limit(1)
    )


def _admin(org_id: int) -> int:
    return db.session.execute(
        sa.select(Membership.user_id)
        .where(Membership.organization_id == org_id, Membership.role == "admin")
        .limit(1)
    ).scalar_one()  # every demo organization has an admin


def _application(posting: Internship, user, university_id: int, status: str) -> Application:
    application = Application(
        internship_id=posting.id,
        student_id=user.id,
        university_id=university_id,
        status=status,
        cover_letter="期待加入贵公司实习。Looking forward to the internship.",
        transitions=[ApplicationTransition(to_status=status, actor_id=user.id)],
    )
    db.session.add(application)
    db.session.flush()
    return application


def _placement(application: Application, posting: Internship, state, starts_on, length):
    enterprise = db.session.get_one(Organization, posting.enterprise_id)
    placement = Placement(
        application_id=application.id,
        student_id=application.student_id,
        university_id=application.university_id,
        enterprise_id=posting.enterprise_id,
        internship_id=posting.id,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=length),
        state=state,
        hours_per_day=Decimal(8),
        hours_per_week=Decimal(40),
        stipend=3500,
        school_mentor_id=_admin(application.university_id),
        enterprise_mentor_id=_admin(enterprise.id),
        # The enterprise's office in Tianhe (Guangzhou's CBD), for check-in coordinates.
        workplace_lat=23.1291,
        workplace_lng=113.3240,
        reason_code="student_request" if state == "terminated" else None,
        reason_text="学生申请提前结束 the student asked to stop" if state == "terminated" else None,
        final_score=Decimal("86.5") if state == "completed" else None,
    )
    db.session.add(placement)
    db.session.flush()
    if state != "preparing":
        db.session.add(
            Insurance(
                placement_id=placement.id,
                insurer="中国人民财产保险 PICC",
                policy_number=f"PICC-DEMO-{placement.id:05d}",
                covers_from=placement.starts_on,
                covers_to=placement.ends_on,
                sum_insured=500_000,
            )
        )
    return placement


def _agreement(placement: Placement) -> None:
    """The agreement of its terms: signed by all three parties once the placement started;
    while it is prepared, only the student has signed (the others still to do)."""
    text = templates.fill(fill_facts(placement))
    signers = {
        "student": placement.student_id,
        "university": placement.school_mentor_id,
        "enterprise": placement.enterprise_mentor_id,
    }
    if placement.state == "preparing":
        signers = {"student": placement.student_id}
    digest = sha256_hex(text)
    agreement = Agreement(
        placement_id=placement.id,
        terms_version=placement.terms_version,
        template_version=templates.CURRENT,
        text=text,
        sha256=digest,
        signed_at=None if placement.state == "preparing" else utcnow(),
        signatures=[
            Signature(party=party, signer_id=user_id, ip="127.0.0.1", sha256=digest)
            for party, user_id in signers.items()
        ],
    )
    db.session.add(agreement)


def _day(placement: Placement, day: date, start: int, hours: float) -> CheckIn:
    came = datetime.combine(day, time(start), LOCAL).astimezone(UTC)
    row = CheckIn(
        placement_id=placement.id,
        day=day,
        checked_in_at=came,
        checked_out_at=came + timedelta(hours=hours),
        minutes=int(hours * 60),
        latitude=23.1293,
        longitude=113.3242,
        distance_m=30,
    )
    db.session.add(row)
    return row


def _records(placement: Placement, state: str, today: date) -> None:
    if state in ("preparing", "terminated"):
        return
    last = min(today, placement.ends_on)
    days = [last - timedelta(days=k) for k in range(1, 15)]
    for day in (d for d in days if d.weekday() < 5 and d >= placement.starts_on):
        _day(placement, day, 9, 8)
    _logs(placement, last)
    if state == "active":
        long_day = next(
            d for d in (today - timedelta(days=k) for k in range(1, 9)) if d.weekday() == 5
        )  # a Saturday: not in the weekday rows above
        _day(placement, long_day, 9, 9.5)
        db.session.add(
            ComplianceAlert(
                placement_id=placement.id, kind="day_over_8h", period=long_day, minutes=570
            )
        )
        _incident(placement, "hours_dispute", "low", "周六被要求加班 asked to work on Saturday")
    if state == "suspended":
        incident = _incident(
            placement, "unsafe_work", "critical", "仓库叉车区无防护 no guard in the forklift area"
        )
        db.session.flush()
        incident.suspended_placement = True
        placement.suspended_by_incident_id = incident.id


def _logs(placement: Placement, last: date) -> None:
    monday = week_start(last) - timedelta(days=7)
    for k in range(3):
        week = monday - timedelta(days=7 * k)
        if week < week_start(placement.starts_on):
            return
        log = WeeklyLog(
            placement_id=placement.id,
            week=week,
            text="本周负责亚马逊商品上架与广告数据复盘。Listings and ad reviews on Amazon.",
            competencies=["platform-operation", "data-analysis"],
            hours=Decimal(40),
        )
        db.session.add(log)
        db.session.flush()
        for role, mentor in (
            ("school", placement.school_mentor_id),
            ("enterprise", placement.enterprise_mentor_id),
        ):
            db.session.add(
                LogReview(
                    log_id=log.id,
                    role=role,
                    reviewer_id=mentor,
                    comment="认真负责 diligent",
                    score=85,
                )
            )


def _incident(placement: Placement, kind: str, severity: str, text: str) -> Incident:
    incident = Incident(
        placement_id=placement.id,
        kind=kind,
        severity=severity,
        description=text,
        reported_by_id=placement.student_id,
        reporter_party="student",
    )
    db.session.add(incident)
    return incident
