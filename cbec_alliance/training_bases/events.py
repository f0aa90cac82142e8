"""Notification events of training bases, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    coordinators,
    id_batches,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import Membership


def host_and_universities(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: admins and staff of the host enterprise and of the base's universities."""
    orgs = [event.organization_id, *event.payload["university_ids"]]
    stmt = (
        sa.select(Membership.user_id)
        .where(Membership.organization_id.in_(orgs), Membership.role.in_(("admin", "staff")))
        .distinct()
    )
    return id_batches(stmt, Membership.user_id, batch)


def _spec(kind: str, description: str, title: dict, body: dict, recipients=host_and_universities):
    register(
        EventSpec(
            type=f"training_base.{kind}",
            description=description,
            recipients=recipients,
            title=title,
            body=body,
        )
    )


_spec(
    "applied",
    "A joint training base awaits approval",
    {"zh": "实践基地待审批：{name}", "en": "Training base to approve: {name}"},
    {"zh": "实践基地「{name}」提交了申请，请审批。", "en": "The training base {name} applied."},
    recipients=coordinators,
)
_spec(
    "approved",
    "Your joint training base was approved",
    {"zh": "实践基地已获批：{name}", "en": "Training base approved: {name}"},
    {
        "zh": "实践基地「{name}」已获批（级别：{level}）。",
        "en": "The training base {name} was approved ({level} level).",
    },
)
_spec(
    "rejected",
    "Your joint training base was rejected",
    {"zh": "实践基地未获批：{name}", "en": "Training base rejected: {name}"},
    {
        "zh": "实践基地「{name}」未获批。原因：{reason}",
        "en": "The training base {name} was rejected. Reason: {reason}",
    },
)
_spec(
    "reviewed",
    "Your joint training base was reviewed",
    {"zh": "实践基地年度评估：{name}", "en": "Training base reviewed: {name}"},
    {
        "zh": "实践基地「{name}」{year} 年度评估：{rating} 分。",
        "en": "The training base {name} was reviewed for {year}: {rating} of 5.",
    },
)
