"""Notification events of surveys, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import Batches, EventSpec, id_batches, register
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization


def enterprise_staff(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the admins and staff of every approved enterprise."""
    stmt = (
        sa.select(Membership.user_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Organization.kind == "enterprise",
            Organization.status == "approved",
            Membership.role.in_(STAFF_ROLES),
        )
        .distinct()
    )
    return id_batches(stmt, Membership.user_id, batch)


def approved_enterprises(event: OutboxEvent) -> sa.Select:
    """Webhooks: every approved enterprise."""
    # A query, not a list: there may be thousands.
    return sa.select(Organization.id).where(
        Organization.kind == "enterprise", Organization.status == "approved"
    )


register(
    EventSpec(
        type="survey.opened",
        description="A talent-demand survey is open for your answers",
        recipients=enterprise_staff,
        title={"zh": "人才需求调查：{title}", "en": "Talent-demand survey: {title}"},
        body={
            "zh": "{year} 年跨境电商人才需求调查「{title}」已开放，请贵企业填写。",
            "en": "The {year} cross-border e-commerce talent-demand survey {title} is open: "
            "please answer for your enterprise.",
        },
        payload={
            "survey_id": ("integer", "the survey"),
            "title": ("string", "its title"),
            "year": ("integer", "the year it surveys"),
        },
        org_kinds=("enterprise",),
        webhook_orgs=approved_enterprises,
        webhook_description="A coordinator opened a talent-demand survey for enterprises",
    )
)
