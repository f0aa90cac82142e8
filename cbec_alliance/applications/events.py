"""Notification events of applications, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import ACTIVE
from cbec_alliance.applications.models import Application
from cbec_alliance.extensions import db
from cbec_alliance.internships.events import INTERNSHIP_PAYLOAD
from cbec_alliance.internships.models import Internship
from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    also_notify,
    id_batches,
    named_orgs,
    org_members,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

APPLICATION_PAYLOAD = {
    **INTERNSHIP_PAYLOAD,
    "application_id": ("integer", "the application"),
    "student_id": ("integer", "the student (a user id)"),
    "student_name": ("string", "the student's name"),
    "status": ("string", "the application's status after the event"),
    "university_id": ("integer", "the student's university"),
}


def enterprise_and_university(event: OutboxEvent) -> list[int]:
    """Webhooks: the internship's enterprise and the student's university, whoever acted."""
    enterprise = db.session.scalar(
        sa.select(Internship.enterprise_id).where(Internship.id == event.payload["internship_id"])
    )
    return sorted({*named_orgs(event), *([enterprise] if enterprise else [])})


def the_student(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student the application belongs to."""
    yield [event.payload["student_id"]]


def student_and_university(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student, then their university's admins and staff."""
    yield [event.payload["student_id"]]
    stmt = sa.select(Membership.user_id).where(
        Membership.organization_id == event.payload["university_id"],
        Membership.role.in_(STAFF_ROLES),
    )
    yield from id_batches(stmt, Membership.user_id, batch)


_enterprise = org_members(STAFF_ROLES)


def _spec(type_, description, recipients, zh, en, about):
    register(
        EventSpec(
            type=type_,
            description=description,
            recipients=recipients,
            title={"zh": f"{zh}：{{title}}", "en": f"{en}: {{title}}"},
            body={
                "zh": f"{{student_name}} 的实习申请「{{title}}」{zh}。",
                "en": f"{{student_name}}'s application to {{title}}: {en.lower()}.",
            },
            payload=APPLICATION_PAYLOAD,
            # Both parties hear every step: the enterprise's HR system and the university's
            # placement office follow the same application.
            org_kinds=("enterprise", "university"),
            webhook_orgs=enterprise_and_university,
            webhook_description=about,
        )
    )


_spec(
    "application.submitted",
    "A student applied to your internship",
    _enterprise,
    "收到新申请",
    "New application",
    "A student applied to an internship",
)
_spec(
    "application.shortlisted",
    "Your application was shortlisted",
    the_student,
    "已进入候选名单",
    "Shortlisted",
    "The enterprise shortlisted an application",
)
_spec(
    "application.offered",
    "You received an offer",
    the_student,
    "收到录用通知",
    "Offer",
    "The enterprise offered the internship to a student",
)
_spec(
    "application.rejected",
    "Your application was not successful",
    the_student,
    "未通过",
    "Not successful",
    "The enterprise rejected an application",
)
_spec(
    "application.completed",
    "Your internship was marked complete",
    the_student,
    "实习已完成",
    "Internship completed",
    "The enterprise marked an internship complete",
)
_spec(
    "application.accepted",
    "A student accepted your offer",
    _enterprise,
    "学生已接受录用",
    "Offer accepted",
    "A student accepted an offer",
)
_spec(
    "application.declined",
    "A student declined your offer",
    _enterprise,
    "学生已婉拒录用",
    "Offer declined",
    "A student declined an offer",
)
_spec(
    "application.withdrawn",
    "A student withdrew an application",
    _enterprise,
    "学生已撤回申请",
    "Application withdrawn",
    "A student withdrew an application",
)
_spec(
    "application.evaluated",
    "The enterprise evaluated an internship",
    student_and_university,
    "企业已提交实习评价",
    "Internship evaluated",
    "The enterprise evaluated a student's internship",
)
_spec(
    "application.hired",
    "A student was hired after the internship",
    student_and_university,
    "实习后获聘用",
    "Hired after the internship",
    "The enterprise hired a student after the internship",
)
register(
    EventSpec(
        type="internship.filled",
        description="Every slot of your internship is taken",
        recipients=_enterprise,
        title={"zh": "名额已满：{title}", "en": "All slots filled: {title}"},
        body={
            "zh": "实习「{title}」的名额已满。",
            "en": "Every slot of the internship {title} is taken.",
        },
        payload=INTERNSHIP_PAYLOAD,
        org_kinds=("enterprise",),
        webhook_audience="the posting's enterprise",
        webhook_description="Every slot of an internship is taken",
    )
)


def applicants(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: students with a live application to the event's internship."""
    stmt = sa.select(Application.student_id).where(
        Application.internship_id == event.payload["internship_id"],
        Application.status.in_(ACTIVE),
    )
    return id_batches(stmt, Application.student_id, batch)


# Internship events its applicants hear too (the internships domain knows no applications).
for _event_type in ("internship.updated", "internship.closed", "internship.taken_down"):
    also_notify(_event_type, applicants)
