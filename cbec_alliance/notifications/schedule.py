"""Periodic work run by Celery beat: escalations of overdue approvals and digests."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts.models import User
from cbec_alliance.core.db import commit, insert_ignore
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.delivery import EMAIL_TASK
from cbec_alliance.notifications.models import Delivery, Notification, NotificationPreference
from cbec_alliance.notifications.outbox import emit
from cbec_alliance.organizations.models import Organization

DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def escalate_overdue() -> int:
    """Emit one `approval.overdue` per organization pending longer than the allowed days.

    Later domains (training bases) add their own overdue scans here.
    """
    days = current_app.config["APPROVAL_ESCALATION_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    orgs = db.session.scalars(
        sa.select(Organization).where(
            Organization.status == "pending", Organization.status_changed_at < cutoff
        )
    ).all()
    emitted = 0
    for org in orgs:
        waited = (utcnow() - as_utc(org.status_changed_at)).days
        event = emit(
            "approval.overdue",
            {
                "object_type": "organization",
                "object_id": org.id,
                "object_label_zh": "机构",
                "object_label_en": "Organization",
                "name": org.name,
                "waiting_days": waited,
            },
            organization_id=org.id,
            # Once per pending period: a resubmitted organization escalates again.
            dedupe_key=f"overdue:organization:{org.id}:{iso_z(org.status_changed_at)}",
        )
        emitted += event is not None
    commit()  # and relay what was emitted
    return emitted


def send_digests(period: str) -> int:
    """One summary email per user on this digest period with inbox items since the last one."""
    span = DIGEST_PERIODS[period]
    now = utcnow()
    prefs = db.session.execute(
        sa.select(NotificationPreference, User)
        .join(User, User.id == NotificationPreference.user_id)
        .where(NotificationPreference.digest == period, User.is_active)
    ).all()
    keys = []
    for pref, user in prefs:
        since = as_utc(pref.last_digest_at) or (now - span)
        items = db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.created_at > since)
            .order_by(Notification.id)
            .limit(200)
        ).all()
        pref.last_digest_at = now
        if not items:
            continue
        zh = user.language != "en"
        subject = (
            f"跨境电商教育联盟{'每日' if period == 'daily' else '每周'}摘要（{len(items)} 条）"
            if zh
            else f"CBEC Alliance {period} digest ({len(items)})"
        )
        lines = [f"- {n.title}: {n.body}" for n in items]
        key = f"digest:{period}:{user.id}:{now.date().isoformat()}"
        keys.append(key)
        insert_ignore(
            Delivery,
            [
                {
                    "key": key,
                    "uid": str(uuid.uuid4()),
                    "channel": "email",
                    "user_id": user.id,
                    "email": user.email,
                    "subject": subject,
                    "body_text": "\n".join(lines),
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
            ],
            ["key"],
        )
    db.session.commit()
    ids = (
        db.session.scalars(
            sa.select(Delivery.id).where(Delivery.key.in_(keys), Delivery.status == "pending")
        ).all()
        if keys
        else []
    )
    for delivery_id in ids:
        enqueue(EMAIL_TASK, delivery_id)
    return len(ids)
