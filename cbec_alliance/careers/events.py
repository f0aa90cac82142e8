"""Notification events of certificate exams, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import Batches, EventSpec, id_batches, register
from cbec_alliance.notifications.models import OutboxEvent

from .models import CertificateExam, ExamRegistration

EXAM_PAYLOAD = {
    "exam_id": ("integer", "the sitting"),
    "certificate_code": ("string", "the catalogue code of the certificate"),
    "certificate": ("string", "its Chinese name"),
    "level": ("string", "junior, intermediate or senior"),
    "exam_date": ("string", "the exam day (YYYY-MM-DD, Guangzhou)"),
}


def site(event: OutboxEvent) -> list[int]:
    """Webhooks: the organization running the sitting."""
    org = db.session.scalar(
        sa.select(CertificateExam.site_organization_id).where(
            CertificateExam.id == event.payload["exam_id"]
        )
    )
    return [org] if org is not None else []


def registrants(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: every student holding a seat at the sitting."""
    stmt = sa.select(ExamRegistration.student_id).where(
        ExamRegistration.exam_id == event.payload["exam_id"],
        ExamRegistration.status == "registered",
    )
    return id_batches(stmt, ExamRegistration.student_id, batch)


def the_student(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student whose result it is."""
    yield [event.payload["student_id"]]


register(
    EventSpec(
        type="certificate_exam.cancelled",
        description="A certificate exam you registered for was cancelled",
        recipients=registrants,
        title={"zh": "考试取消：{certificate}（{level}）", "en": "Exam cancelled: {certificate}"},
        body={
            "zh": "您报名的{certificate}考试（{exam_date}）已取消。原因：{reason}",
            "en": "The {certificate} exam on {exam_date} you registered for was cancelled. "
            "Reason: {reason}",
        },
        payload={**EXAM_PAYLOAD, "reason": ("string", "the site's reason")},
        webhook_orgs=site,
        webhook_description="An exam site cancelled a certificate exam",
    )
)
register(
    EventSpec(
        type="certificate_exam.result",
        description="Your certificate exam result is out",
        recipients=the_student,
        title={"zh": "考试成绩：{certificate}", "en": "Exam result: {certificate}"},
        body={
            "zh": "您参加的{certificate}（{level}）考试成绩已公布，请登录查看。",
            "en": "Your result in the {certificate} ({level}) exam is out.",
        },
        payload={
            **EXAM_PAYLOAD,
            "student_id": ("integer", "the student"),
            "passed": ("boolean", "whether a certificate was issued"),
        },
        org_kinds=(),  # a person's result: no organization subscribes to it
    )
)
