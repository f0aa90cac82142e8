"""Demo certificate exams for `flask demo-data`: at the first university, a sitting ten days
ago with its results (a pass with its verified record, a fail) and one three weeks ahead
with a seat taken (idempotent: a site that has a demo sitting is left alone)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.careers.models import CertificateExam, CertificateRecord, ExamRegistration
from cbec_alliance.careers.results import new_number
from cbec_alliance.careers.services import today
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.students.services import add_verified_certificate

CODE, NAME = "cbec-b2b-data-operation", "跨境电商B2B数据运营"
LOCATION = "实训楼 A302（演示考场）"


def load(students_by_university: dict[int, list]) -> None:
    """The two demo sittings at the first university with students."""
    site_id, students = next(((u, s) for u, s in students_by_university.items() if s), (0, []))
    if not students or db.session.scalar(
        sa.select(CertificateExam.id).where(
            CertificateExam.site_organization_id == site_id, CertificateExam.location == LOCATION
        )
    ):
        return
    past = _exam(site_id, today() - timedelta(days=10), capacity=40)
    for k, (user, score) in enumerate(
        zip(students, (Decimal("86.5"), Decimal("52.0")), strict=False)
    ):
        seat = _seat(past, user, site_id)
        seat.score, seat.passed, seat.result_at = score, score >= past.pass_score, utcnow()
        if seat.passed:
            _record(past, seat, user, k)
    past.registered_count = min(len(students), 2)
    upcoming = _exam(site_id, today() + timedelta(days=21), capacity=60)
    _seat(upcoming, students[-1], site_id)
    upcoming.registered_count = 1
    db.session.flush()


def _exam(site_id: int, day, capacity: int) -> CertificateExam:
    exam = CertificateExam(
        certificate_code=CODE,
        level="intermediate",
        exam_date=day,
        site_organization_id=site_id,
        location=LOCATION,
        capacity=capacity,
        pass_score=Decimal("60.0"),
    )
    db.session.add(exam)
    db.session.flush()
    return exam


def _seat(exam: CertificateExam, user, university_id: int) -> ExamRegistration:
    seat = ExamRegistration(exam_id=exam.id, student_id=user.id, university_id=university_id)
    db.session.add(seat)
    db.session.flush()
    return seat


def _record(exam: CertificateExam, seat: ExamRegistration, user, k: int) -> None:
    record = CertificateRecord(
        number=new_number(exam.exam_date.year),
        registration_id=seat.id,
        exam_id=exam.id,
        student_id=user.id,
        holder_name=user.name,
        university_id=seat.university_id,
        certificate_code=CODE,
        level=exam.level,
        issued_on=exam.exam_date,
    )
    db.session.add(record)
    db.session.flush()
    add_verified_certificate(user.id, CODE, NAME, exam.level, record.number)
