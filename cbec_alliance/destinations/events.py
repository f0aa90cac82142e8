"""Notification events of destinations, registered in the catalogue.

The employer's staff are asked to confirm (one event per destination, or one per enterprise
and import with `count`); a dispute is told to the student and their university's staff.
"""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import Batches, EventSpec, id_batches, register
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

PAYLOAD = {
    "destination_id": ("integer", "the destination (null for an import's batch)"),
    "student_id": ("integer", "the graduate (a user id; null for an import's batch)"),
    "student_name": ("string", "the graduate's name (empty for an import's batch)"),
    "university_id": ("integer", "the graduate's university"),
    "enterprise_id": ("integer", "the employer (an alliance enterprise)"),
    "enterprise_name": ("string", "the employer's name"),
    "graduation_year": ("integer", "the year of graduation"),
    "outcome": ("string", "the outcome code"),
    "outcome_zh": ("string", "the outcome in Chinese"),
}


def _staff_of(org_id: int, batch: int) -> Batches:
    stmt = sa.select(Membership.user_id).where(
        Membership.organization_id == org_id, Membership.role.in_(STAFF_ROLES)
    )
    return id_batches(stmt, Membership.user_id, batch)


def the_employer(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the employer's admins and staff."""
    return _staff_of(event.payload["enterprise_id"], batch)


def student_and_university(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the graduate, then their university's admins and staff."""
    yield [event.payload["student_id"]]
    yield from _staff_of(event.payload["university_id"], batch)


register(
    EventSpec(
        type="destination.confirmation_requested",
        description="A graduate's destination names your enterprise: confirm or dispute it",
        recipients=the_employer,
        title={
            "zh": "请核实毕业生去向：{count} 条",
            "en": "Graduate destinations to confirm: {count}",
        },
        body={
            "zh": "{graduation_year} 届毕业生 {student_name} 等 {count} 人的去向登记为贵单位"
            "（{outcome_zh}），请在待核实列表中确认或提出异议。",
            "en": "{count} graduate destination(s) of {graduation_year} ({student_name}) name "
            "your enterprise; confirm or dispute them in your pending confirmations.",
        },
        payload={**PAYLOAD, "count": ("integer", "how many destinations wait")},
        org_kinds=("enterprise",),
    )
)

register(
    EventSpec(
        type="destination.disputed",
        description="The employer disputed a graduate's destination",
        recipients=student_and_university,
        title={
            "zh": "去向被用人单位提出异议：{student_name}",
            "en": "Destination disputed: {student_name}",
        },
        body={
            "zh": "{enterprise_name} 对 {student_name}（{graduation_year} 届）的去向登记提出异议："
            "{reason}",
            "en": "{enterprise_name} disputed the destination of {student_name} "
            "({graduation_year}): {reason}",
        },
        payload={**PAYLOAD, "reason": ("string", "why the employer disputes it")},
        org_kinds=("university",),
    )
)
