"""Demo cooperation for `flask demo-data`: a joint course, a training base, a competition and
a lecture (idempotent: each found again by its natural key)."""

from __future__ import annotations

from datetime import timedelta
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
from cbec_alliance.lectures.models import Event
from cbec_alliance.organizations.models import Organization
from cbec_alliance.training_bases.models import BaseCompetency, BaseUniversity, TrainingBase


def _absent(model, **key) -> bool:
    return db.session.scalar(sa.select(model.id).filter_by(**key)) is None


def load(enterprises: list[Organization], university_ids: list[int]) -> None:
    """Add the demo cooperation between the first enterprise and the universities."""
    host, first_uni = enterprises[0], university_ids[0]
    now = utcnow()
    if _absent(Course, university_id=first_uni, code="CBEC-201"):
        db.session.add(
            Course(
                university_id=first_uni,
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
                competencies=[CourseCompetency(code=c) for c in ("content-creation", "marketing")],
                partners=[CoursePartner(enterprise_id=host.id, state="confirmed", decided_at=now)],
            )
        )
    if _absent(TrainingBase, name="天河跨境电商产教融合实践基地"):
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
                universities=[BaseUniversity(university_id=u) for u in university_ids],
                competencies=[BaseCompetency(code="platform-operation")],
            )
        )
    title = "第一届广州跨境电商直播大赛 Guangzhou live-commerce cup"
    if _absent(Competition, title=title):
        db.session.add(
            Competition(
                title=title,
                description="校企联合举办 Co-organized by the alliance.",
                registration_opens_at=now - timedelta(days=1),
                registration_closes_at=now + timedelta(days=30),
                starts_at=now + timedelta(days=40),
                ends_at=now + timedelta(days=42),
                max_team_size=4,
                organizers=[CompetitionOrganizer(organization_id=i) for i in (host.id, first_uni)],
                tracks=[
                    CompetitionTrack(name=name, position=k, competencies=[code])
                    for k, (name, code) in enumerate(
                        [("直播带货", "content-creation"), ("数据分析", "data-analysis")]
                    )
                ],
                rubric=[
                    RubricCriterion(criterion="创意", weight=Decimal("0.4"), position=0),
                    RubricCriterion(criterion="执行", weight=Decimal("0.6"), position=1),
                ],
            )
        )
    lecture = "品牌出海讲座 Taking a brand abroad"
    if _absent(Event, title=lecture):
        db.session.add(
            Event(
                kind="lecture",
                host_organization_id=host.id,
                university_id=first_uni,
                title=lecture,
                speaker="企业创始人 Founder",
                location="大学城报告厅",
                starts_at=now + timedelta(days=7),
                ends_at=now + timedelta(days=7, hours=2),
                capacity=200,
            )
        )
    db.session.flush()
