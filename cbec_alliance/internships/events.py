"""Notification events of internship postings, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    nobody,
    org_members,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent, Subscription
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

# Internship events reach the webhooks of the posting's enterprise (`organization_id`).
ENTERPRISE = ("enterprise",)
AUDIENCE = "the posting's enterprise"
INTERNSHIP_PAYLOAD = {
    "internship_id": ("integer", "the internship posting"),
    "title": ("string", "its title"),
    "enterprise_name": ("string", "the enterprise's name (Chinese)"),
    "enterprise_name_en": ("string", "its English name (the Chinese one when it has none)"),
    "category": ("string", "job category code (taxonomy `job-categories`)"),
    "district": ("string", "Guangzhou district code (taxonomy `districts`)"),
    "competencies": ("array of strings", "competency codes it requires"),
    "kind": ("string", "internship, full_time, part_time or flexible"),
    "kind_zh": ("string", "the kind as a Chinese title says it (实习, 全职岗位, ...)"),
    "kind_en": ("string", "the kind in English (internship, full-time job, ...)"),
}
_REASON = {"reason": ("string", "the coordinator's reason when taken down, else empty")}


def matches(sub: Subscription, payload: dict) -> bool:
    """A subscription fits when each of its non-empty lists names something of the posting."""
    return (
        (not sub.categories or payload["category"] in sub.categories)
        and (not sub.districts or payload["district"] in sub.districts)
        and (not sub.competencies or bool(set(sub.competencies) & set(payload["competencies"])))
        # Events from before kinds existed are internships.
        and (not sub.kinds or payload.get("kind", "internship") in sub.kinds)
    )


def subscribers(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: users whose subscription fits the newly published posting (each once)."""
    last, seen, out = 0, set(), []
    enterprise_members = set(
        db.session.scalars(
            sa.select(Membership.user_id).where(Membership.organization_id == event.organization_id)
        )
    )
    while True:
        subs = db.session.scalars(
            sa.select(Subscription)
            .where(Subscription.id > last)
            .order_by(Subscription.id)
            .limit(batch)
        ).all()
        if not subs:
            break
        last = subs[-1].id
        for sub in subs:
            if sub.user_id in seen or sub.user_id in enterprise_members:
                continue
            if matches(sub, event.payload):
                seen.add(sub.user_id)
                out.append(sub.user_id)
        while len(out) >= batch:
            yield out[:batch]
            out = out[batch:]
    if out:
        yield out


register(
    EventSpec(
        type="internship.published",
        description="A new internship that fits one of your subscriptions",
        recipients=subscribers,
        title={"zh": "新{kind_zh}：{title}", "en": "New {kind_en}: {title}"},
        body={
            "zh": "「{enterprise_name}」发布了{kind_zh}「{title}」（{district}）。",
            "en": "{enterprise_name_en} posted the {kind_en} {title} ({district}).",
        },
        webhook_description="The enterprise published (or reopened) an internship",
        payload={**INTERNSHIP_PAYLOAD, **_REASON},
        org_kinds=ENTERPRISE,
        webhook_audience=AUDIENCE,
    )
)
register(
    EventSpec(
        type="internship.updated",
        description="An internship you applied to was changed",
        # Its applicants: added by the applications domain (applications/events.py).
        recipients=nobody,
        title={"zh": "实习信息已更新：{title}", "en": "Internship updated: {title}"},
        body={
            "zh": "您申请的实习「{title}」更新了：{fields}。",
            "en": "The internship {title} you applied to changed: {fields}.",
        },
        webhook_description="The enterprise changed a published internship",
        payload={
            **INTERNSHIP_PAYLOAD,
            "fields": ("string", "the changed fields, comma-separated"),
        },
        org_kinds=ENTERPRISE,
        webhook_audience=AUDIENCE,
    )
)
register(
    EventSpec(
        type="internship.closed",
        description="An internship you applied to stopped taking applications",
        recipients=nobody,  # its applicants, as above
        title={"zh": "实习已截止：{title}", "en": "Internship closed: {title}"},
        body={
            "zh": "实习「{title}」已停止接受申请。",
            "en": "The internship {title} no longer takes applications.",
        },
        webhook_description="An internship stopped taking applications",
        payload={**INTERNSHIP_PAYLOAD, **_REASON},
        org_kinds=ENTERPRISE,
        webhook_audience=AUDIENCE,
    )
)
register(
    EventSpec(
        type="internship.taken_down",
        description="A coordinator took an internship down",
        recipients=org_members(STAFF_ROLES),  # and its applicants, as above
        title={"zh": "实习已被下架：{title}", "en": "Internship taken down: {title}"},
        body={
            "zh": "协调员下架了实习「{title}」。原因：{reason}",
            "en": "A coordinator took down the internship {title}. Reason: {reason}",
        },
        payload={**INTERNSHIP_PAYLOAD, **_REASON},
        org_kinds=ENTERPRISE,
        webhook_audience=AUDIENCE,
    )
)
