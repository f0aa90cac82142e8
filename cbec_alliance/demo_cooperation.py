"""Demo cooperation for `flask demo-data`: a joint course, a training base, a competition, a
lecture, a match round collecting preferences, an active partnership, last year's closed
talent-demand survey answered by every demo enterprise and this year's open one with one
response (idempotent: each found again by its natural key)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.competitions.models import (
    Competition,
    CompetitionOrganizer,
    CompetitionTrack,
    RubricCriterion,
)
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses.models import Course, CourseCompetency, CoursePartner
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.lectures.models import Lecture
from cbec_alliance.matching.models import MatchRound, RoundInternship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from cbec_alliance.surveys import services as survey_services
from cbec_alliance.surveys import template
from cbec_alliance.surveys.models import Survey
from cbec_alliance.training_bases.models import BaseCompetency, BaseUniversity, TrainingBase


def _absent(model, **key) -> bool:
    return db.session.scalar(sa.select(model.id).filter_by(**key)) is None


def load(enterprises: list[Organization], university_ids: list[int]) -> None:
    """Add the demo cooperation between the first enterprise and the universities."""
    host, first_university = enterprises[0], university_ids[0]
    now = utcnow()
    _course(host, first_university, now)
    _training_base(host, university_ids, now)
    _competition(host, first_university, now)
    _lecture(host, first_university, now)
    db.session.flush()
    _match_round(enterprises)
    _partnership(host, first_university)
    _survey(host, enterprises)
    db.session.flush()


def _course(host: Organization, university_id: int, now: datetime) -> None:
    if not _absent(Course, university_id=university_id, code="CBEC-201"):
        return
    db.session.add(
        Course(
            university_id=university_id,
            code="CBEC-201",
            title="跨境电商直播运营实务 Live commerce in practice",
            description="与企业共建：真实直播间实训。Co-developed with a live-commerce studio.",
            credits=Decimal("2.0"),
            hours=32,
            semester="2026-fall",
            language="zh",
            capacity=40,
            status="published",
            published_at=now,
            competencies=[
                CourseCompetency(code=code) for code in ("content-creation", "marketing")
            ],
            partners=[CoursePartner(enterprise_id=host.id, state="confirmed", decided_at=now)],
        )
    )


def _training_base(host: Organization, university_ids: list[int], now: datetime) -> None:
    if not _absent(TrainingBase, name="天河跨境电商产教融合实践基地"):
        return
    db.session.add(
        TrainingBase(
            name="天河跨境电商产教融合实践基地",
            host_enterprise_id=host.id,
            district=host.district,
            address="广州市天河区",
            capacity=30,
            status="approved",
            level="municipal",
            decided_at=now,
            universities=[BaseUniversity(university_id=uid) for uid in university_ids],
            competencies=[BaseCompetency(code="platform-operation")],
        )
    )


def _competition(host: Organization, university_id: int, now: datetime) -> None:
    title = "第一届广州跨境电商直播大赛 Guangzhou live-commerce cup"
    if not _absent(Competition, title=title):
        return
    db.session.add(
        Competition(
            title=title,
            description="校企联合举办 Co-organized by the alliance.",
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=30),
            starts_at=now + timedelta(days=40),
            ends_at=now + timedelta(days=42),
            max_team_size=4,
            organizers=[
                CompetitionOrganizer(organization_id=org_id) for org_id in (host.id, university_id)
            ],
            tracks=[
                CompetitionTrack(name=name, position=position, competencies=[code])
                for position, (name, code) in enumerate(
                    [("直播带货", "content-creation"), ("数据分析", "data-analysis")]
                )
            ],
            rubric=[
                RubricCriterion(criterion="创意", weight=Decimal("0.4"), position=0),
                RubricCriterion(criterion="执行", weight=Decimal("0.6"), position=1),
            ],
        )
    )


def _lecture(host: Organization, university_id: int, now: datetime) -> None:
    title = "品牌出海讲座 Taking a brand abroad"
    if not _absent(Lecture, title=title):
        return
    db.session.add(
        Lecture(
            kind="lecture",
            host_organization_id=host.id,
            university_id=university_id,
            title=title,
            speaker="企业创始人 Founder",
            location="大学城报告厅",
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=2),
            capacity=200,
        )
    )


def _partnership(host: Organization, university_id: int) -> None:
    if not _absent(Partnership, enterprise_id=host.id, university_id=university_id):
        return
    now = utcnow()
    db.session.add(
        Partnership(
            enterprise_id=host.id,
            university_id=university_id,
            starts_on=now.date() - timedelta(days=60),
            ends_on=now.date() + timedelta(days=3 * 365),
            goals={"interns_per_year": 10, "courses": 1, "students_trained": 40},
            status="active",
            proposed_by_org_id=host.id,
            accepted_at=now - timedelta(days=55),
            modes=[
                PartnershipMode(mode=mode)
                for mode in (
                    "internship-employment",
                    "co-developed-courses",
                    "joint-training-bases",
                )
            ],
        )
    )


# Last year's survey is closed, so monitoring has a survey weight and this year's report
# something to compare with; each demo enterprise answered it.
_LAST_YEAR_ANSWERS = (
    {
        "job_category": "marketing",
        "majors": ["e-commerce", "international-business"],
        "competencies": ["platform-operation", "marketing", "english"],
        "cooperation_modes": ["internship-employment", "lectures"],
    },
    {
        "job_category": "technical",
        "majors": ["e-commerce", "computer-science"],
        "competencies": ["data-analysis", "ai-tools", "platform-operation"],
        "cooperation_modes": ["co-developed-courses", "joint-training-bases"],
    },
    {
        "job_category": "management",
        "majors": ["foreign-languages"],
        "competencies": ["minor-languages", "cross-cultural-communication"],
        "cooperation_modes": ["internship-employment", "joint-competitions"],
    },
)


def _survey(host: Organization, enterprises: list[Organization]) -> None:
    year = utcnow().year
    last = _one_survey(year - 1, distributed=150)
    if last is not None:
        for position, enterprise in enumerate(enterprises):
            answers = _LAST_YEAR_ANSWERS[position % len(_LAST_YEAR_ANSWERS)]
            survey_services.add_response(last, enterprise.id, answers)
        last.status = "closed"
        last.closed_at = utcnow()
    this = _one_survey(year, distributed=170)
    if this is not None:
        answers = {
            "job_category": "marketing",
            "majors": ["e-commerce", "foreign-languages"],
            "competencies": ["platform-operation", "english", "data-analysis"],
            "cooperation_modes": ["internship-employment", "co-developed-courses"],
        }
        survey_services.add_response(this, host.id, answers)


def _one_survey(year: int, *, distributed: int) -> Survey | None:
    """An open talent-demand survey for `year`, or None when the demo already has it."""
    title = f"{year} 广州跨境电商人才需求调查 Talent-demand survey"
    if not _absent(Survey, title=title):
        return None
    survey = Survey(
        title=title,
        year=year,
        template=template.TALENT_DEMAND,
        distributed=distributed,
        status="open",
        opened_at=utcnow(),
        questions=survey_services.question_rows(template.questions()),
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def _match_round(enterprises: list[Organization]) -> None:
    name = "2027 春季实习匹配 Spring 2027 internship match"
    if not _absent(MatchRound, name=name):
        return
    postings = db.session.scalars(
        sa.select(Internship)
        .where(
            Internship.enterprise_id.in_([enterprise.id for enterprise in enterprises]),
            Internship.status == "open",
            Internship.slots > Internship.accepted_count,
        )
        .order_by(Internship.id)
    ).all()
    if postings:
        db.session.add(
            MatchRound(
                name=name,
                preferences_close_at=utcnow() + timedelta(days=7),
                seed=20270301,
                internships=[
                    RoundInternship(
                        internship_id=posting.id,
                        enterprise_id=posting.enterprise_id,
                        slots=posting.slots - posting.accepted_count,
                    )
                    for posting in postings
                ],
            )
        )
