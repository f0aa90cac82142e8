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
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

# Reaches the webhooks of the host enterprise (`organization_id`) and of the base's
# universities (`university_ids`), which `named_orgs` reads by default.
HOST_AND_UNIVERSITIES = ("enterprise", "university")
BASE_PAYLOAD = {
    "base_id": ("integer", "the joint training base"),
    "name": ("string", "its name"),
    "university_ids": ("array of integers", "the universities that use it"),
}


def host_and_universities(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: admins and staff of the host enterprise and of the base's universities."""
    orgs = [event.organization_id, *event.payload["university_ids"]]
    stmt = (
        sa.select(Membership.user_id)
        .where(Membership.organization_id.in_(orgs), Membership.role.in_(STAFF_ROLES))
        .distinct()
    )
    return id_batches(stmt, Membership.user_id, batch)


def _spec(
    kind: str,
    description: str,
    title: dict,
    body: dict,
    recipients=host_and_universities,
    payload=None,
    about: str = "",
):
    register(
        EventSpec(
            type=f"training_base.{kind}",
            description=description,
            recipients=recipients,
            title=title,
            body=body,
            payload={**BASE_PAYLOAD, **(payload or {})},
            org_kinds=HOST_AND_UNIVERSITIES,
            webhook_audience="the host enterprise and the base's universities",
            webhook_description=about,
        )
    )


_DECISION = {
    "level": ("string", "`municipal`, `provincial` or `national` when approved, else empty"),
    "reason": ("string", "the coordinator's reason when rejected, else empty"),
}


_spec(
    "applied",
    "A joint training base awaits approval",
    {"zh": "实践基地待审批：{name}", "en": "Training base to approve: {name}"},
    {"zh": "实践基地「{name}」提交了申请，请审批。", "en": "The training base {name} applied."},
    recipients=coordinators,
    about="The host or one of its universities applied for a joint training base",
)
_spec(
    "approved",
    "Your joint training base was approved",
    {"zh": "实践基地已获批：{name}", "en": "Training base approved: {name}"},
    {
        "zh": "实践基地「{name}」已获批（级别：{level}）。",
        "en": "The training base {name} was approved ({level} level).",
    },
    payload=_DECISION,
    about="A coordinator approved a joint training base",
)
_spec(
    "rejected",
    "Your joint training base was rejected",
    {"zh": "实践基地未获批：{name}", "en": "Training base rejected: {name}"},
    {
        "zh": "实践基地「{name}」未获批。原因：{reason}",
        "en": "The training base {name} was rejected. Reason: {reason}",
    },
    payload=_DECISION,
    about="A coordinator rejected a joint training base",
)
_spec(
    "reviewed",
    "Your joint training base was reviewed",
    {"zh": "实践基地年度评估：{name}", "en": "Training base reviewed: {name}"},
    {
        "zh": "实践基地「{name}」{year} 年度评估：{rating} 分。",
        "en": "The training base {name} was reviewed for {year}: {rating} of 5.",
    },
    payload={
        "year": ("integer", "the year reviewed"),
        "rating": ("integer", "the coordinators' rating, 1 to 5"),
    },
    about="A coordinator reviewed a joint training base for a year",
)
