"""Notification events of programmes and their cohorts, registered in the catalogue."""

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
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

PAYLOAD = {
    "programme_id": ("integer", "the programme"),
    "name": ("string", "its name"),
    "kind": ("string", "order_class, apprenticeship or industry_college"),
    "university_id": ("integer", "its university"),
}
KINDS = ("university", "enterprise")


def asked_staff(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: admins and staff of the partner enterprises asked to confirm."""
    stmt = (
        sa.select(Membership.user_id)
        .where(
            Membership.organization_id.in_(event.payload["enterprise_ids"]),
            Membership.role.in_(STAFF_ROLES),
        )
        .distinct()
    )
    return id_batches(stmt, Membership.user_id, batch)


def the_student(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student the decision is about."""
    yield [event.payload["student_id"]]


def nobody(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: no one (the event is for webhooks only)."""
    return iter(())


register(
    EventSpec(
        type="programme.proposed",
        description="A university asks your enterprise to partner in a programme",
        recipients=asked_staff,
        title={"zh": "合作项目邀请：{name}", "en": "Programme proposed: {name}"},
        body={
            "zh": "高校邀请贵企业参与「{name}」，请确认或说明原因后拒绝。",
            "en": "A university asks your enterprise to partner in {name}: confirm or decline.",
        },
        payload={**PAYLOAD, "enterprise_ids": ("list of integers", "the partners asked")},
        org_kinds=KINDS,
    )
)
for verb, zh, en in (("confirmed", "已确认", "confirmed"), ("declined", "已拒绝", "declined")):
    register(
        EventSpec(
            type=f"programme.{verb}",
            description=f"A partner enterprise {en} a programme of your university",
            recipients=org_members(STAFF_ROLES),
            title={"zh": f"合作企业{zh}：{{name}}", "en": f"Partner {en}: {{name}}"},
            body={
                "zh": f"合作企业{zh}项目「{{name}}」。{{reason}}",
                "en": f"A partner enterprise {en} {{name}}. {{reason}}",
            },
            payload={
                **PAYLOAD,
                "enterprise_id": ("integer", "the partner that answered"),
                "reason": ("string", "its reason for declining (empty on a confirmation)"),
            },
            org_kinds=KINDS,
        )
    )
register(
    EventSpec(
        type="programme.applied",
        description="A student applied to a programme (webhooks of the university only)",
        recipients=nobody,
        default_channels=(),
        title={"zh": "新的项目申请：{name}", "en": "New application: {name}"},
        body={"zh": "有学生申请加入「{name}」。", "en": "A student applied to {name}."},
        payload={**PAYLOAD, "student_id": ("integer", "the applicant")},
        org_kinds=("university",),
    )
)
for verb, zh, en in (
    ("admitted", "已录取", "admitted to"),
    ("rejected", "未入选", "not selected for"),
):
    register(
        EventSpec(
            type=f"programme.{verb}",
            description=f"You were {en} a programme",
            recipients=the_student,
            title={"zh": f"{zh}：{{name}}", "en": f"You were {en} {{name}}"},
            body={
                "zh": f"您申请的「{{name}}」：{zh}。{{reason}}",
                "en": f"Your application to {{name}}: {en}. {{reason}}",
            },
            payload={
                **PAYLOAD,
                "student_id": ("integer", "the student"),
                "reason": ("string", "the reason given when not selected"),
            },
            org_kinds=(),
        )
    )
