"""Notification events of applications, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    id_batches,
    org_members,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import Membership


def the_student(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student the application belongs to."""
    yield [event.payload["student_id"]]


def student_and_university(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student, then their university's admins and staff."""
    yield [event.payload["student_id"]]
    stmt = sa.select(Membership.user_id).where(
        Membership.organization_id == event.payload["university_id"],
        Membership.role.in_(("admin", "staff")),
    )
    yield from id_batches(stmt, Membership.user_id, batch)


_enterprise = org_members(("admin", "staff"))


def _spec(type_, description, recipients, zh, en):
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
        )
    )


_spec(
    "application.submitted",
    "A student applied to your internship",
    _enterprise,
    "收到新申请",
    "New application",
)
_spec(
    "application.shortlisted",
    "Your application was shortlisted",
    the_student,
    "已进入候选名单",
    "Shortlisted",
)
_spec("application.offered", "You received an offer", the_student, "收到录用通知", "Offer")
_spec(
    "application.rejected",
    "Your application was not successful",
    the_student,
    "未通过",
    "Not successful",
)
_spec(
    "application.completed",
    "Your internship was marked complete",
    the_student,
    "实习已完成",
    "Internship completed",
)
_spec(
    "application.accepted",
    "A student accepted your offer",
    _enterprise,
    "学生已接受录用",
    "Offer accepted",
)
_spec(
    "application.declined",
    "A student declined your offer",
    _enterprise,
    "学生已婉拒录用",
    "Offer declined",
)
_spec(
    "application.withdrawn",
    "A student withdrew an application",
    _enterprise,
    "学生已撤回申请",
    "Application withdrawn",
)
_spec(
    "application.evaluated",
    "The enterprise evaluated an internship",
    student_and_university,
    "企业已提交实习评价",
    "Internship evaluated",
)
_spec(
    "application.hired",
    "A student was hired after the internship",
    student_and_university,
    "实习后获聘用",
    "Hired after the internship",
)
_spec(
    "internship.filled",
    "Every slot of your internship is taken",
    _enterprise,
    "名额已满",
    "All slots filled",
)
