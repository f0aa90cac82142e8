"""Demo graduate destinations for `flask demo-data`: this year's class of every demo
university, each outcome at least once, confirmed, pending, disputed and declared ones, and
a hire by the enterprise the student interned with (idempotent).

Rows are written directly (the demo is data, not a user's action); a student who already
has a destination for the year is left alone, so running the command twice changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import PLACED
from cbec_alliance.applications.models import Application
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.destinations.models import Destination
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.codes import uscc_check_char
from cbec_alliance.organizations.models import Organization
from cbec_alliance.placements.hours import local_day
from cbec_alliance.students.models import StudentProfile

# (outcome, location, industry, CBEC-related, related to the major, salary band, employer:
# "interned" (where they interned, else the first enterprise), "outside" (name and code) or
# None, and the employer's word)
PLAN = [
    (
        "employed-contract",
        "440106",
        "跨境电商平台运营",
        True,
        True,
        "6000-8000",
        "interned",
        "confirmed",
    ),
    (
        "employed-contract",
        "440113",
        "跨境电商独立站",
        True,
        True,
        "8000-10000",
        "interned",
        "pending",
    ),
    ("flexible", "440105", "直播电商主播", True, False, "4000-6000", "outside", None),
    (
        "self-employed",
        "440111",
        "跨境电商创业（速卖通店铺）",
        True,
        True,
        "4000-6000",
        "outside",
        None,
    ),
    ("employed-contract", "440300", "跨境物流", True, False, "10000-15000", "interned", "disputed"),
    ("further-study", "440100", None, False, True, None, None, None),
    ("study-abroad", None, None, False, True, None, None, None),
    ("military", None, None, False, False, None, None, None),
    ("not-employed", None, None, False, False, None, None, None),
    ("other", "440000", "外贸服务", False, False, "below-4000", None, None),
]
OUTSIDE = ("广州番禺小微电商工作室", "92440113MA5D7K8L1")


def _interned_at(student_id: int) -> int | None:
    return db.session.scalar(
        sa.select(Internship.enterprise_id)
        .join(Application, Application.internship_id == Internship.id)
        .where(Application.student_id == student_id, Application.status.in_(PLACED))
        .limit(1)
    )


def load(enterprises: list[Organization], students_by_university: dict[int, list]) -> None:
    """This year's destinations of the demo students (those without one yet)."""
    year = local_day(utcnow()).year
    students = [
        (university_id, user)
        for university_id, users in students_by_university.items()
        for user in users
    ]
    for k, (university_id, user) in enumerate(students):
        taken = db.session.scalar(
            sa.select(Destination.id).where(
                Destination.student_id == user.id, Destination.graduation_year == year
            )
        )
        if taken or not enterprises:
            continue
        outcome, location, industry, cbec, major_fit, band, employer, word = PLAN[k % len(PLAN)]
        employer_id = name = uscc = None
        if employer == "interned":
            employer_id = _interned_at(user.id) or enterprises[k % len(enterprises)].id
        elif employer == "outside":
            name, body = OUTSIDE[0], OUTSIDE[1][:17]
            uscc = body + uscc_check_char(body)
        profile = db.session.get(StudentProfile, user.id)
        db.session.add(
            Destination(
                student_id=user.id,
                university_id=university_id,
                major=profile.major if profile else None,
                graduation_year=year,
                outcome=outcome,
                employer_id=employer_id,
                employer_name=name,
                employer_uscc=uscc,
                location_code=location,
                industry=industry,
                cbec_related=cbec,
                related_to_major=major_fit,
                salary_band=band,
                source="staff" if k % 3 else "student",
                reported_by_id=user.id,
                confirmation=word or "not_required",
                confirmed_at=utcnow() if word in ("confirmed", "disputed") else None,
                dispute_reason="该生仅完成面试，未签约入职。" if word == "disputed" else None,
            )
        )
    db.session.flush()
