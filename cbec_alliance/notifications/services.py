"""Inbox, preferences, subscriptions and webhook management."""

from __future__ import annotations

import secrets
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import forbidden, invalid, not_found
from cbec_alliance.core.links import envelope
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications import webhooks
from cbec_alliance.notifications.catalogue import SPECS, unreachable, webhook_specs
from cbec_alliance.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    Subscription,
    Webhook,
)
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy import services as taxonomy


def inbox(user: User, unread: bool | None) -> sa.Select:
    """The user's notifications, newest first."""
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if unread is True:
        stmt = stmt.where(Notification.read_at.is_(None))
    elif unread is False:
        stmt = stmt.where(Notification.read_at.is_not(None))
    return stmt.order_by(Notification.id.desc())


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (404 for anyone else's)."""
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != user.id:
        not_found("notification")
    if n.read_at is None:
        n.read_at = utcnow()
    return n


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    # An UPDATE's result is a CursorResult (with rowcount); Session.execute is typed Result.
    result = cast(
        sa.CursorResult,
        db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
        ),
    )
    return result.rowcount or 0


def preferences(user: User) -> dict:
    """Effective channels per event type (catalogue defaults where unset) and digest."""
    pref = db.session.get(NotificationPreference, user.id)
    chosen = pref.channels if pref else {}
    return {
        "channels": {t: list(chosen.get(t, spec.default_channels)) for t, spec in SPECS.items()},
        "digest": pref.digest if pref else "off",
        "event_types": [{"type": t, "description": s.description} for t, s in SPECS.items()],
    }


def set_preferences(user: User, data: dict) -> dict:
    """Replace the user's channels per event type and digest."""
    unknown = sorted(set(data["channels"]) - set(SPECS))
    if unknown:
        invalid("channels", _("unknown event type(s): %(unknown)s", unknown=", ".join(unknown)))
    pref = db.session.get(NotificationPreference, user.id)
    if pref is None:
        pref = NotificationPreference(user_id=user.id)
        db.session.add(pref)
    pref.channels = {t: sorted(set(c)) for t, c in data["channels"].items()}
    pref.digest = data["digest"]
    audit(actor=user, obj=user, action="set_notification_preferences", changes=data)
    return preferences(user)


def _check_subscriber(user: User) -> None:
    if not any(m.organization.kind == "university" for m in user.memberships):
        forbidden("subscriptions are for university staff and students")


def subscriptions(user: User) -> sa.Select:
    """The user's subscriptions."""
    return sa.select(Subscription).where(Subscription.user_id == user.id).order_by(Subscription.id)


def subscribe(user: User, data: dict) -> Subscription:
    """Create a subscription after checking every code against the taxonomy."""
    _check_subscriber(user)
    taxonomy.check("job-categories", "categories", data["categories"])
    taxonomy.check("competencies", "competencies", data["competencies"])
    taxonomy.check("districts", "districts", data["districts"])
    if not (data["categories"] or data["competencies"] or data["districts"] or data["kinds"]):
        invalid("categories", "give at least one category, competency, district or kind")
    sub = Subscription(user_id=user.id, **{k: sorted(set(v)) for k, v in data.items()})
    db.session.add(sub)
    db.session.flush()
    return sub


def unsubscribe(user: User, subscription_id: int) -> None:
    """Delete one of the user's subscriptions."""
    sub = db.session.get(Subscription, subscription_id)
    if sub is None or sub.user_id != user.id:
        not_found("subscription")
    db.session.delete(sub)


def webhooks_of(org: Organization) -> sa.Select:
    """An organization's active webhooks."""
    return (
        sa.select(Webhook)
        .where(Webhook.organization_id == org.id, Webhook.active)
        .order_by(Webhook.id)
    )


def create_webhook(user: User, org: Organization, data: dict) -> tuple[Webhook, str]:
    """Register a webhook; the signing secret is returned this once."""
    try:
        webhooks.check_url(data["url"])
    except webhooks.UnsafeURL as exc:
        invalid("url", str(exc))
    unknown = sorted(set(data["events"]) - set(SPECS))
    if unknown:
        invalid("events", _("unknown event type(s): %(unknown)s", unknown=", ".join(unknown)))
    # A subscription that could never fire is a mistake the admin should hear of now.
    never = [why for t in sorted(set(data["events"])) if (why := unreachable(t, org.kind))]
    if never:
        invalid("events", "; ".join(never))
    secret = data.get("secret") or secrets.token_urlsafe(32)
    hook = Webhook(
        organization_id=org.id,
        url=data["url"],
        events=sorted(set(data["events"])),
        secret=secret,
        created_by_id=user.id,
    )
    db.session.add(hook)
    db.session.flush()
    audit(
        actor=user,
        obj=hook,
        action="create",
        changes={"url": hook.url, "events": hook.events, "secret": "set"},
        organization_id=org.id,
    )
    return hook, secret


def webhook_events(kind: str | None, page: int, per_page: int) -> dict:
    """A page of the event types webhooks can receive (of an organization `kind`), each
    with its payload's fields."""
    specs = webhook_specs(kind)
    items = [
        {
            "type": spec.type,
            "description": spec.about,
            "organization_kinds": list(spec.webhook_kinds),
            "organizations": spec.audience,
            "payload": [
                {"name": name, "type": json_type, "description": meaning}
                for name, (json_type, meaning) in spec.payload.items()
            ],
        }
        for spec in specs[(page - 1) * per_page : page * per_page]
    ]
    return envelope(items, len(specs), page, per_page)


def get_webhook(org: Organization, webhook_id: int) -> Webhook:
    """One of the organization's active webhooks (404 otherwise)."""
    hook = db.session.get(Webhook, webhook_id)
    if hook is None or hook.organization_id != org.id or not hook.active:
        not_found("webhook")
    return hook


def delete_webhook(user: User, org: Organization, webhook_id: int) -> None:
    """Deactivate a webhook (its delivery log stays readable to the audit)."""
    hook = get_webhook(org, webhook_id)
    hook.active = False
    audit(actor=user, obj=hook, action="delete", changes={"url": hook.url}, organization_id=org.id)


def deliveries(hook: Webhook) -> sa.Select:
    """A webhook's deliveries with their attempts, newest first."""
    return sa.select(Delivery).where(Delivery.webhook_id == hook.id).order_by(Delivery.id.desc())


def erase_personal(user_id: int) -> None:
    """Delete a user's inbox and preferences, and the addresses and texts of their emails
    (the deliveries stay as counts in the delivery log)."""
    db.session.execute(sa.delete(Notification).where(Notification.user_id == user_id))
    db.session.execute(
        sa.delete(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )
    db.session.execute(
        sa.update(Delivery)
        .where(Delivery.user_id == user_id)
        .values(email=None, subject=None, body_text=None, body_html=None)
    )
