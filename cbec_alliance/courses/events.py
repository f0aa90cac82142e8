"""Notification events of joint courses, registered in the catalogue."""

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

from .models import CoursePartner


def partner_staff(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: admins and staff of the course's partner enterprises still to answer."""
    partners = sa.select(CoursePartner.enterprise_id).where(
        CoursePartner.course_id == event.payload["course_id"], CoursePartner.state == "pending"
    )
    stmt = (
        sa.select(Membership.user_id)
        .where(Membership.organization_id.in_(partners), Membership.role.in_(("admin", "staff")))
        .distinct()
    )
    return id_batches(stmt, Membership.user_id, batch)


register(
    EventSpec(
        type="course.confirmation_requested",
        description="A university asks your enterprise to confirm a joint course",
        recipients=partner_staff,
        title={"zh": "请确认合作课程：{title}", "en": "Please confirm the joint course {title}"},
        body={
            "zh": "「{university_name}」请贵单位确认合作课程"
            "「{title}」（{code}，第 {version} 版）。",
            "en": "{university_name_en} asks you to confirm the joint course {title} ({code}, "
            "version {version}).",
        },
    )
)
register(
    EventSpec(
        type="course.confirmed",
        description="A partner confirmed your joint course",
        recipients=org_members(("admin", "staff")),
        title={"zh": "合作方已确认课程：{title}", "en": "A partner confirmed {title}"},
        body={
            "zh": "合作企业已确认课程「{title}」（{code}）。",
            "en": "A partner enterprise confirmed the course {title} ({code}).",
        },
    )
)
register(
    EventSpec(
        type="course.declined",
        description="A partner declined your joint course",
        recipients=org_members(("admin", "staff")),
        title={"zh": "合作方未确认课程：{title}", "en": "A partner declined {title}"},
        body={
            "zh": "合作企业未确认课程「{title}」（{code}）。原因：{reason}",
            "en": "A partner enterprise declined the course {title} ({code}). Reason: {reason}",
        },
    )
)
