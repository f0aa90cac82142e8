"""Notification events of joint courses, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    id_batches,
    named_orgs,
    org_members,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

from .models import CoursePartner

# Course events reach the university's webhooks (`organization_id`) and the partners'.
UNIVERSITY_AND_PARTNERS = ("university", "enterprise")
COURSE_PAYLOAD = {
    "course_id": ("integer", "the joint course"),
    "code": ("string", "its course code"),
    "title": ("string", "its title"),
    "university_name": ("string", "the university's name (Chinese)"),
    "university_name_en": ("string", "its English name (the Chinese one when it has none)"),
    "version": ("integer", "the version of the course's content the event is about"),
}
ANSWER_PAYLOAD = {
    **COURSE_PAYLOAD,
    "enterprise_id": ("integer", "the partner enterprise that answered"),
    "reason": ("string", "its reason for declining (empty on a confirmation)"),
}


def _pending_partners(event: OutboxEvent) -> sa.Select:
    return sa.select(CoursePartner.enterprise_id).where(
        CoursePartner.course_id == event.payload["course_id"], CoursePartner.state == "pending"
    )


def university_and_asked(event: OutboxEvent) -> list[int]:
    """Webhooks: the university and every partner asked to confirm (those still to answer)."""
    asked = db.session.scalars(_pending_partners(event)).all()
    return sorted({*named_orgs(event), *asked})


def partner_staff(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: admins and staff of the course's partner enterprises still to answer."""
    stmt = (
        sa.select(Membership.user_id)
        .where(
            Membership.organization_id.in_(_pending_partners(event)),
            Membership.role.in_(STAFF_ROLES),
        )
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
        payload=COURSE_PAYLOAD,
        org_kinds=UNIVERSITY_AND_PARTNERS,
        webhook_orgs=university_and_asked,
        webhook_description="A university proposed a joint course (or a new version of it) "
        "and asks its partner enterprises to confirm",
    )
)
register(
    EventSpec(
        type="course.confirmed",
        description="A partner confirmed your joint course",
        recipients=org_members(STAFF_ROLES),
        title={"zh": "合作方已确认课程：{title}", "en": "A partner confirmed {title}"},
        body={
            "zh": "合作企业已确认课程「{title}」（{code}）。",
            "en": "A partner enterprise confirmed the course {title} ({code}).",
        },
        payload=ANSWER_PAYLOAD,
        org_kinds=UNIVERSITY_AND_PARTNERS,
        webhook_audience="the university and the partner that answered",
        webhook_description="A partner enterprise confirmed a joint course",
    )
)
register(
    EventSpec(
        type="course.declined",
        description="A partner declined your joint course",
        recipients=org_members(STAFF_ROLES),
        title={"zh": "合作方未确认课程：{title}", "en": "A partner declined {title}"},
        body={
            "zh": "合作企业未确认课程「{title}」（{code}）。原因：{reason}",
            "en": "A partner enterprise declined the course {title} ({code}). Reason: {reason}",
        },
        payload=ANSWER_PAYLOAD,
        org_kinds=UNIVERSITY_AND_PARTNERS,
        webhook_audience="the university and the partner that answered",
        webhook_description="A partner enterprise declined a joint course",
    )
)
