"""Demo programmes for `flask demo-data`: an order class running with its cohort, an
apprenticeship confirmed and open for applications, an industry college still proposed
(idempotent: a university that has a demo programme is left alone)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.programmes.models import CohortMember, Programme, ProgrammePartner

SPECS = [
    # (kind, name, state, months_per_year, committed positions)
    ("order_class", "跨境电商运营订单班（演示）", "running", None, 4),
    ("apprenticeship", "跨境电商客服现代学徒制（演示）", "confirmed", 6, 0),
    ("industry_college", "数字贸易产业学院（演示）", "proposed", None, 0),
]


def load(enterprises: list[Organization], students_by_university: dict[int, list]) -> None:
    """The three demo programmes at the first university, with the first enterprise."""
    if not enterprises or not students_by_university:
        return
    university_id, students = next(iter(students_by_university.items()))
    if db.session.scalar(
        sa.select(Programme.id).where(
            Programme.university_id == university_id, Programme.name.like("%（演示）")
        )
    ):
        return
    enterprise = enterprises[0]
    year = utcnow().year
    for kind, name, state, months, positions in SPECS:
        programme = Programme(
            kind=kind,
            university_id=university_id,
            name=name,
            description="校企联合培养项目（演示数据）",
            major="e-commerce",
            intake_year=year,
            cohort_size=20,
            months_per_year=months,
            state=state,
            partners=[
                ProgrammePartner(
                    enterprise_id=enterprise.id,
                    state="pending" if state == "proposed" else "confirmed",
                    decided_at=None if state == "proposed" else utcnow() - timedelta(days=30),
                    committed_positions=positions,
                    offered_positions=2 if state == "running" else 0,
                )
            ],
        )
        db.session.add(programme)
        db.session.flush()
        if state == "running":
            for k, user in enumerate(students[:2]):
                db.session.add(
                    CohortMember(
                        programme_id=programme.id,
                        student_id=user.id,
                        university_id=university_id,
                        state="admitted",
                        university_selected=True,
                        enterprise_selected=True,
                        enterprise_id=enterprise.id,
                        admitted_at=utcnow() - timedelta(days=20),
                        completed=None,
                        hired_by_id=enterprise.id if k == 0 else None,
                    )
                )
            programme.admitted_count = min(len(students), 2)
    db.session.flush()
