"""Demo joint teaching for `flask demo-data`: the first enterprise's admin teaches as an
enterprise teacher on the first university's demo course (accepted, half the hours
delivered), and the first university's admin, a teacher of e-commerce, has a confirmed
seven-month practice stay at that enterprise, so counts as dual-qualified (idempotent: each
row found again by its natural key). Runs after demo_cooperation, which adds the course."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses.models import Course
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Membership, Organization
from cbec_alliance.teaching.models import (
    EnterpriseTeacher,
    EnterpriseTeacherField,
    PracticeStay,
    TeachingAssignment,
    UniversityTeacher,
    UniversityTeacherMajor,
)
from cbec_alliance.teaching.practice import today

COURSE_CODE = "CBEC-201"  # demo_cooperation's joint course


def _admin(org_id: int) -> int | None:
    return db.session.scalar(
        sa.select(Membership.user_id)
        .where(Membership.organization_id == org_id, Membership.role == "admin")
        .order_by(Membership.id)
        .limit(1)
    )


def load(enterprises: list[Organization], university_ids: list[int]) -> None:
    """The demo enterprise teacher with an accepted assignment and a teacher's stay."""
    if not enterprises or not university_ids:
        return
    host, university_id = enterprises[0], university_ids[0]
    teacher_id, lecturer_id = _admin(host.id), _admin(university_id)
    if teacher_id is not None:
        _enterprise_teacher(teacher_id, host, university_id)
    if lecturer_id is not None:
        _practice(lecturer_id, host, university_id)
    db.session.flush()


def _enterprise_teacher(user_id: int, host: Organization, university_id: int) -> None:
    if db.session.get(EnterpriseTeacher, user_id) is None:
        db.session.add(
            EnterpriseTeacher(
                user_id=user_id,
                enterprise_id=host.id,
                title="跨境电商运营总监 Head of cross-border operations",
                years_of_practice=9,
                bio="负责亚马逊欧洲站与TikTok Shop运营，带教实习生三十余名。",
                field_rows=[
                    EnterpriseTeacherField(code=c) for c in ("platform-operation", "data-analysis")
                ],
            )
        )
        db.session.flush()
    course = db.session.scalar(
        sa.select(Course).where(Course.university_id == university_id, Course.code == COURSE_CODE)
    )
    if course is None or db.session.scalar(
        sa.select(TeachingAssignment.id).where(
            TeachingAssignment.teacher_id == user_id, TeachingAssignment.course_id == course.id
        )
    ):
        return
    db.session.add(
        TeachingAssignment(
            teacher_id=user_id,
            enterprise_id=host.id,
            university_id=university_id,
            course_id=course.id,
            subject=course.title,
            semester=course.semester,
            hours=16,
            hours_delivered=8,
            status="accepted",
            proposed_by_id=_admin(university_id),
            decided_at=utcnow(),
        )
    )


def _practice(user_id: int, host: Organization, university_id: int) -> None:
    if db.session.get(UniversityTeacher, user_id) is None:
        db.session.add(
            UniversityTeacher(
                user_id=user_id,
                university_id=university_id,
                industry_title=None,
                major_rows=[UniversityTeacherMajor(code="e-commerce")],
            )
        )
        db.session.flush()
    if db.session.scalar(sa.select(PracticeStay.id).where(PracticeStay.teacher_id == user_id)):
        return
    ends = today() - timedelta(days=60)
    db.session.add(
        PracticeStay(
            teacher_id=user_id,
            university_id=university_id,
            enterprise_id=host.id,
            starts_on=ends - timedelta(days=209),
            ends_on=ends,
            hours=840,
            tasks="参与店铺运营、选品与数据复盘，整理《跨境电商直播运营实务》教学案例。",
            state="confirmed",
            proposed_by_id=user_id,
            decided_by_id=_admin(host.id),
            decided_at=utcnow(),
        )
    )
