"""Certificate exam sittings as all-day calendar entries."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.careers.models import CertificateExam, ExamRegistration
from cbec_alliance.core.ics import Entry
from cbec_alliance.extensions import db
from cbec_alliance.organizations.services import staffed_by
from cbec_alliance.taxonomy.services import label

LEVEL_ZH = {"junior": "初级", "intermediate": "中级", "senior": "高级"}


def entry(exam: CertificateExam) -> Entry:
    """One sitting: a whole day at its site (its time is set by the site's notice)."""
    name = label("certificates", exam.certificate_code)
    return Entry(
        uid=f"certificate-exam-{exam.id}",
        summary=f"[考试 Exam] {name}（{LEVEL_ZH.get(exam.level, exam.level)}）",
        starts=exam.exam_date,
        location=exam.location,
        url=f"/api/v1/certificate-exams/{exam.id}",
        cancelled=exam.state == "cancelled",
    )


def entries_for(user_id: int) -> list[Entry]:
    """Sittings the user is registered for, and those their organizations run."""
    seat = sa.select(ExamRegistration.exam_id).where(
        ExamRegistration.student_id == user_id, ExamRegistration.status == "registered"
    )
    site = staffed_by(user_id)
    exams = db.session.scalars(
        sa.select(CertificateExam)
        .where(sa.or_(CertificateExam.id.in_(seat), CertificateExam.site_organization_id.in_(site)))
        .order_by(CertificateExam.exam_date, CertificateExam.id)
    )
    return [entry(exam) for exam in exams]
