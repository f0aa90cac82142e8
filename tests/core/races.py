"""Race scenarios: many requests at once against one limit, and what the rows say after.

Each scenario commits its rows, then gives the requests to fire at the same instant (each a
method, a path, a body and the bearer token of the user sending it) and a function that reads
back, from the database, how many places the rows hold and what the counter says. The same
scenarios run in threads through the test client and across gunicorn worker processes
(`tests/core/test_races.py`), and many times over in `bench/races.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.accounts import services as accounts
from cbec_alliance.applications.models import Application
from cbec_alliance.careers.models import CertificateExam, ExamRegistration
from cbec_alliance.careers.services import today
from cbec_alliance.competitions.models import TeamMember
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses.models import Course, Enrollment
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.lectures.models import Lecture, Registration
from cbec_alliance.matching.models import LIVE, MatchRound, RoundInternship
from cbec_alliance.partnerships.models import LIVE as LIVE_PARTNERSHIP
from cbec_alliance.partnerships.models import Partnership
from cbec_alliance.placements.models import MentorLoad, Placement
from cbec_alliance.policies.models import Policy, PolicyApplication
from cbec_alliance.programmes.models import CohortMember, Programme, ProgrammePartner
from cbec_alliance.surveys import services as surveys
from cbec_alliance.surveys.models import SurveyResponse
from tests import factories
from tests.applications.factories import apply_for, scene
from tests.competitions.factories import CompetitionFactory
from tests.courses.factories import CourseFactory
from tests.internships.factories import InternshipFactory
from tests.partnerships.factories import LectureFactory
from tests.students.factories import student

WAVE = 6  # requests fired at once in each scenario
# Settings every race runs with, in this process and in the gunicorn workers: a mentor may
# hold two open placements, so six assignments at once race for two places.
RACE_SETTINGS = {"PLACEMENT_MENTOR_MAX_STUDENTS": 2}


@dataclass
class Call:
    """One request of the wave."""

    method: str
    path: str
    body: dict | None
    token: str


@dataclass
class Race:
    """A committed scene: the wave of calls, the places there are, and how to read back."""

    name: str
    calls: list[Call]
    places: int  # how many of the calls may succeed
    readback: Callable[[], tuple[int, int | Decimal]]  # (rows holding a place, the counter)


def _token(user) -> str:
    _row, plain = accounts.create_token(user, "race", 1)
    return plain


def _count(stmt) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())))


def internship_slots() -> Race:
    """WAVE students holding offers accept a one-slot internship."""
    first = scene("offered", slots=1)
    students = [(first.student, first.application)]
    students += [apply_for(first.posting, "offered") for _ in range(WAVE - 1)]
    posting_id = first.posting.id
    calls = [
        Call("POST", f"/api/v1/applications/{a.id}/accept", {}, _token(u)) for u, a in students
    ]

    def readback():
        held = _count(
            sa.select(Application.id).where(
                Application.internship_id == posting_id,
                Application.status.in_(("accepted", "completed")),
            )
        )
        return held, db.session.get(Internship, posting_id).accepted_count

    return Race("internship slots (1 slot)", calls, 1, readback)


def course_places() -> Race:
    """WAVE students of the university enroll in a two-place course."""
    uni = factories.UniversityFactory()
    course = CourseFactory(university_id=uni.id, capacity=2)
    course_id = course.id
    calls = [
        Call("POST", f"/api/v1/courses/{course_id}/enrollments", None, _token(student(uni)))
        for _ in range(WAVE)
    ]

    def readback():
        held = _count(
            sa.select(Enrollment.id).where(
                Enrollment.course_id == course_id, Enrollment.status == "enrolled"
            )
        )
        return held, db.session.get(Course, course_id).enrolled_count

    return Race("course places (2 places)", calls, 2, readback)


def event_seats() -> Race:
    """WAVE students register for a two-seat lecture tomorrow."""
    uni = factories.UniversityFactory()
    starts = utcnow() + dt.timedelta(days=1)
    event = LectureFactory(
        host_organization_id=uni.id, university_id=uni.id, starts_at=starts, capacity=2
    )
    event_id = event.id
    calls = [
        Call("POST", f"/api/v1/events/{event_id}/registrations", None, _token(student(uni)))
        for _ in range(WAVE)
    ]

    def readback():
        held = _count(
            sa.select(Registration.id).where(
                Registration.event_id == event_id, Registration.status == "registered"
            )
        )
        return held, db.session.get(Lecture, event_id).registered_count

    return Race("event seats (2 seats)", calls, 2, readback)


def exam_seats() -> Race:
    """WAVE students register for a two-seat certificate exam next week."""
    uni = factories.UniversityFactory()
    exam = CertificateExam(
        certificate_code="cbec-b2b-data-operation",
        level="junior",
        exam_date=today() + dt.timedelta(days=7),
        site_organization_id=uni.id,
        capacity=2,
    )
    db.session.add(exam)
    db.session.flush()
    exam_id = exam.id
    calls = [
        Call(
            "POST", f"/api/v1/certificate-exams/{exam_id}/registrations", None, _token(student(uni))
        )
        for _ in range(WAVE)
    ]

    def readback():
        held = _count(
            sa.select(ExamRegistration.id).where(
                ExamRegistration.exam_id == exam_id, ExamRegistration.status == "registered"
            )
        )
        return held, db.session.get(CertificateExam, exam_id).registered_count

    return Race("certificate exam seats (2 seats)", calls, 2, readback)


def mentor_load() -> Race:
    """WAVE universities' staff assign the same school mentor (a member of each) at once."""
    from tests.placements.factories import world

    worlds = [world() for _ in range(WAVE)]
    for w in worlds:
        w.posting.accepted_count = 1  # the factory accepted the application without the slot
    mentor = worlds[0].school_mentor
    for w in worlds[1:]:
        factories.MembershipFactory(user=mentor, organization=w.university, role="staff")
    db.session.flush()
    mentor_id = mentor.id
    calls = [
        Call(
            "POST",
            f"/api/v1/placements/{w.placement.id}/mentors",
            {"role": "school", "mentor_id": mentor_id},
            _token(w.uni_staff),
        )
        for w in worlds
    ]

    def readback():
        held = _count(sa.select(Placement.id).where(Placement.school_mentor_id == mentor_id))
        stored = db.session.scalar(
            sa.select(MentorLoad.students).where(MentorLoad.mentor_id == mentor_id)
        )
        return held, stored

    return Race("one mentor's load (2 students)", calls, 2, readback)


def cohort_places() -> Race:
    """An order class's enterprise selects WAVE applicants the university already selected,
    at once, for a cohort of two."""
    uni = factories.UniversityFactory()
    ent = factories.OrganizationFactory()
    programme = Programme(
        kind="order_class",
        university_id=uni.id,
        name="跨境电商订单班",
        major="e-commerce",
        intake_year=2027,
        cohort_size=2,
        state="confirmed",
        partners=[ProgrammePartner(enterprise_id=ent.id, state="confirmed", committed_positions=2)],
    )
    db.session.add(programme)
    db.session.flush()
    students = [student(uni) for _ in range(WAVE)]
    for user in students:
        db.session.add(
            CohortMember(
                programme_id=programme.id,
                student_id=user.id,
                university_id=uni.id,
                university_selected=True,
            )
        )
    db.session.flush()
    programme_id, token = programme.id, _token(factories.member(ent, "staff"))
    calls = [
        Call(
            "POST",
            f"/api/v1/programmes/{programme_id}/members/{user.id}/selection",
            {"selected": True},
            token,
        )
        for user in students
    ]

    def readback():
        held = _count(
            sa.select(CohortMember.id).where(
                CohortMember.programme_id == programme_id, CohortMember.state == "admitted"
            )
        )
        return held, db.session.get(Programme, programme_id).admitted_count

    return Race("an order class's cohort (2 places)", calls, 2, readback)


def policy_budget() -> Race:
    """The issuing government's reviewers approve WAVE applications of 333.33 yuan at once
    against a budget of 1000.00: three fit (999.99), exactly, in fen."""
    gov = factories.OrganizationFactory(kind="government", uscc=None, size=None, platforms=None)
    now = utcnow()
    amount = Decimal("333.33")
    policy = Policy(
        kind="subsidy",
        issuer_id=gov.id,
        title="跨境电商发展专项资金",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        budget=Decimal("1000.00"),
        max_per_applicant=Decimal("500.00"),
        granted=Decimal(0),
        status="published",
    )
    db.session.add(policy)
    db.session.flush()
    apps = [
        PolicyApplication(
            policy_id=policy.id,
            organization_id=factories.OrganizationFactory().id,
            amount_requested=amount,
        )
        for _ in range(WAVE)
    ]
    db.session.add_all(apps)
    db.session.flush()
    policy_id = policy.id
    calls = [
        Call(
            "POST",
            f"/api/v1/policy-applications/{app.id}/approve",
            {"amount": str(amount)},
            _token(factories.member(gov, "staff")),
        )
        for app in apps
    ]

    def readback():
        held = _count(
            sa.select(PolicyApplication.id).where(
                PolicyApplication.policy_id == policy_id, PolicyApplication.state == "approved"
            )
        )
        granted = db.session.get(Policy, policy_id).granted
        # In applications' worth: exactly 3 when the total is 999.99, never a fraction.
        return held, granted / amount

    return Race("a policy's budget (1000.00 yuan, 333.33 each)", calls, 3, readback)


def competition_teams() -> Race:
    """WAVE students each register a team that includes the same shared student."""
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    shared = student(uni)
    calls = []
    for k in range(WAVE):
        captain = student(uni)
        body = {
            "name": f"第{k}队",
            "track": "data",
            "member_ids": [captain.id, shared.id],
            "advisor_name": "张老师",
        }
        path = f"/api/v1/competitions/{competition.id}/teams"
        calls.append(Call("POST", path, body, _token(captain)))
    competition_id, shared_id = competition.id, shared.id

    def readback():
        held = _count(
            sa.select(TeamMember.user_id).where(
                TeamMember.competition_id == competition_id, TeamMember.user_id == shared_id
            )
        )
        return held, held  # a uniqueness rule: the rows are the count

    return Race("one team per student", calls, 1, readback)


def partnership_proposals() -> Race:
    """WAVE staff of one enterprise propose a partnership to the same university."""
    ent = factories.OrganizationFactory()
    uni = factories.UniversityFactory()
    body = {
        "enterprise_id": ent.id,
        "university_id": uni.id,
        "modes": ["internship-employment"],
        "starts_on": dt.date.today().isoformat(),
        "ends_on": (dt.date.today() + dt.timedelta(days=365)).isoformat(),
        "goals": {"interns_per_year": 2},
    }
    calls = [
        Call("POST", "/api/v1/partnerships", body, _token(factories.member(ent, "staff")))
        for _ in range(WAVE)
    ]
    pair = ent.id, uni.id

    def readback():
        held = _count(
            sa.select(Partnership.id).where(
                Partnership.enterprise_id == pair[0],
                Partnership.university_id == pair[1],
                Partnership.status.in_(LIVE_PARTNERSHIP),
            )
        )
        return held, held

    return Race("one live partnership per pair", calls, 1, readback)


def survey_responses() -> Race:
    """WAVE staff of one enterprise answer the same open survey."""
    coordinator = factories.CoordinatorFactory()
    survey = surveys.create(
        coordinator,
        {
            "title": "2026 跨境电商人才需求调查",
            "year": 2026,
            "template": "talent-demand",
            "distributed": 170,
        },
    )
    survey.status = "open"
    ent = factories.OrganizationFactory()
    body = {"enterprise_id": ent.id, "answers": {"job_category": "marketing"}}
    path = f"/api/v1/surveys/{survey.id}/responses"
    calls = [Call("POST", path, body, _token(factories.member(ent, "staff"))) for _ in range(WAVE)]
    survey_id, ent_id = survey.id, ent.id

    def readback():
        held = _count(
            sa.select(SurveyResponse.id).where(
                SurveyResponse.survey_id == survey_id, SurveyResponse.enterprise_id == ent_id
            )
        )
        return held, held

    return Race("one survey response per enterprise", calls, 1, readback)


def match_rounds() -> Race:
    """WAVE coordinators open a round over the same internship at once."""
    posting = InternshipFactory(enterprise_id=factories.OrganizationFactory().id, slots=2)
    body = {
        "name": "2027 春季实习匹配",
        "internship_ids": [posting.id],
        "preferences_close_at": (utcnow() + dt.timedelta(days=1)).isoformat(),
    }
    calls = [
        Call("POST", "/api/v1/match-rounds", body, _token(factories.CoordinatorFactory()))
        for _ in range(WAVE)
    ]
    posting_id = posting.id

    def readback():
        held = _count(
            sa.select(RoundInternship.round_id)
            .join(MatchRound, MatchRound.id == RoundInternship.round_id)
            .where(RoundInternship.internship_id == posting_id, MatchRound.status.in_(LIVE))
        )
        return held, held

    return Race("an internship in one unpublished round", calls, 1, readback)


SCENARIOS: dict[str, Callable[[], Race]] = {
    "slots": internship_slots,
    "course": course_places,
    "event": event_seats,
    "exam": exam_seats,
    "mentor": mentor_load,
    "cohort": cohort_places,
    "budget": policy_budget,
    "team": competition_teams,
    "partnership": partnership_proposals,
    "survey": survey_responses,
    "round": match_rounds,
}
