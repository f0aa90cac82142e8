"""Fan-out and delivery: inbox rows in bulk, emails and webhooks one idempotent row each.

Every step can run twice (a redelivered task, a sweep) without sending anything twice:
inbox rows are unique per (event, user), deliveries per (event, recipient, channel), and a
delivery is sent only while it is `pending`, under a row lock.
"""

from __future__ import annotations

import json
import logging
import random
import smtplib
import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts.models import User
from cbec_alliance.core.db import for_update, insert_ignore
from cbec_alliance.core.mail import send_mail
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications import webhooks
from cbec_alliance.notifications.catalogue import SECRET_FIELDS, EventSpec, render, spec_for
from cbec_alliance.notifications.models import (
    Delivery,
    DeliveryAttempt,
    Notification,
    NotificationPreference,
    OutboxBatch,
    OutboxEvent,
    Webhook,
)
from cbec_alliance.organizations.models import Organization

log = logging.getLogger(__name__)
DELIVER_TASK = "notifications.deliver"
EMAIL_TASK = "notifications.send_email"
WEBHOOK_TASK = "notifications.send_webhook"


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    """A delivery attempt failed and should be retried after `countdown` seconds."""

    def __init__(self, countdown: float):
        super().__init__(countdown)
        self.countdown = countdown


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter, capped (below the broker's visibility timeout)."""
    cfg = current_app.config
    ceiling = min(cfg["NOTIFY_RETRY_BASE"] * 2 ** max(attempt - 1, 0), cfg["NOTIFY_RETRY_MAX"])
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not a secret


def _texts(event: OutboxEvent) -> dict[str, dict[str, str]]:
    spec = spec_for(event.event_type)
    payload = {**event.payload, "event_type": event.event_type}
    payload.setdefault("organization_name_en", payload.get("organization_name", ""))
    return {
        lang: {
            "title": render(spec.title[lang], payload)[:300],
            "body": render(spec.body[lang], payload),
            "html": render(spec.body[lang], payload, as_html=True),
        }
        for lang in ("zh", "en")
    }


def _email_delivery(event: OutboxEvent, texts: dict, lang: str, *, user_id=None, email: str):
    t = texts.get(lang, texts["zh"])
    recipient = f"user:{user_id}" if user_id else f"addr:{email}"
    return {
        "key": f"{event.id}:{recipient}:email",
        "uid": str(uuid.uuid4()),
        "event_id": event.id,
        "channel": "email",
        "user_id": user_id,
        "email": email,
        "subject": t["title"],
        "body_text": t["body"],
        "body_html": f"<html><body><h2>{t['title']}</h2><p>{t['html']}</p></body></html>",
        "status": "pending",
        "attempts": 0,
        "created_at": utcnow(),
        "dispatched_at": utcnow(),
    }


def _send_pending(keys: list[str], task: str) -> None:
    # Re-send the task for every still-pending delivery, including ones a crashed run made.
    for chunk_start in range(0, len(keys), 1000):
        ids = db.session.scalars(
            sa.select(Delivery.id).where(
                Delivery.key.in_(keys[chunk_start : chunk_start + 1000]),
                Delivery.status == "pending",
            )
        ).all()
        for delivery_id in ids:
            enqueue(task, delivery_id)


def fan_out(event_id: int) -> int:
    """Resolve recipients in batches and dispatch a delivery task per batch; returns batches.

    The batches are recorded with the deliveries before any task is sent, so the sweep can
    send again whatever a lost message left undelivered (`resend_stale`).
    """
    event = db.session.get(OutboxEvent, event_id)
    if event is None:
        return 0
    spec = spec_for(event.event_type)
    batch = current_app.config["NOTIFY_BATCH_SIZE"]
    now = utcnow()
    batch_rows = [
        {"event_id": event_id, "number": n, "user_ids": ids, "dispatched_at": now}
        for n, ids in enumerate(spec.recipients(event, batch), start=1)
    ]
    texts = _texts(event)
    # Addresses without an account read Chinese, unless the event names the language.
    lang = (event.payload or {}).get("language") or "zh"
    email_rows = [
        _email_delivery(event, texts, lang, email=addr) for addr in spec.external_emails(event)
    ]
    hook_rows = _webhook_rows(event, spec)
    # A second run (a redelivered task) keeps the first run's batches and sends only what
    # is still owed.
    insert_ignore(OutboxBatch, batch_rows, ["event_id", "number"])
    insert_ignore(Delivery, email_rows + hook_rows, ["key"])
    db.session.commit()
    log.info(
        "event %s (%s): %d recipient batches, %d emails, %d webhooks",
        event_id,
        event.event_type,
        len(batch_rows),
        len(email_rows),
        len(hook_rows),
    )
    owed = db.session.scalars(
        sa.select(OutboxBatch.number)
        .where(OutboxBatch.event_id == event_id, OutboxBatch.delivered_at.is_(None))
        .order_by(OutboxBatch.number)
    ).all()
    for number in owed:
        enqueue(DELIVER_TASK, event_id, number)
    _send_pending([r["key"] for r in email_rows], EMAIL_TASK)
    _send_pending([r["key"] for r in hook_rows], WEBHOOK_TASK)
    event = db.session.get(OutboxEvent, event_id)
    assert event is not None  # read above; outbox events are never deleted
    event.status = "fanned_out"
    event.fanned_out_at = utcnow()
    db.session.commit()
    return len(batch_rows)


def _record_legacy_batch(event_id: int, user_ids: list[int]) -> int:
    # A message queued before batches were recorded (migration 0018) carries the user ids
    # themselves; record them as a batch so they are delivered, and swept if lost again.
    number = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(OutboxBatch.number)).where(OutboxBatch.event_id == event_id)
        )
        or 0
    )
    db.session.add(OutboxBatch(event_id=event_id, number=number, user_ids=user_ids))
    db.session.flush()
    return number


def _data(event: OutboxEvent) -> dict:
    """The payload as receivers get it (webhook and inbox `data`): without secrets."""
    return {k: v for k, v in event.payload.items() if k not in SECRET_FIELDS}


def _warn_undocumented(event: OutboxEvent, spec: EventSpec) -> None:
    # Webhook receivers code against docs/webhooks.md, generated from the catalogue: a field
    # added to a payload without being documented there is a contract nobody wrote down.
    undocumented = sorted(set(_data(event)) - set(spec.payload))
    if undocumented and spec.webhook_kinds:
        log.warning(
            "event %s carries payload fields its EventSpec does not document: %s",
            event.event_type,
            ", ".join(undocumented),
        )


def webhook_body(event: OutboxEvent, organization_id: int, delivery_uid: str) -> str:
    """The JSON a webhook receives: a stable envelope around the event's payload."""
    return json.dumps(
        {
            "id": delivery_uid,  # also the X-Alliance-Delivery header: the same on retries
            "type": event.event_type,
            "occurred_at": iso_z(event.created_at),
            "organization_id": organization_id,  # the receiving organization
            "data": _data(event),
            # The envelope's first fields, kept for receivers written against them.
            "event_id": event.id,
            "created_at": iso_z(event.created_at),
        },
        ensure_ascii=False,
    )


def _webhook_rows(event: OutboxEvent, spec: EventSpec) -> list[dict]:
    try:
        org_ids = spec.concerned_orgs(event)
    except Exception:
        # A broken resolver must not keep people's notifications from being delivered.
        if current_app.testing:
            raise
        log.exception("could not resolve the webhooks of event %s", event.id)
        return []
    if isinstance(org_ids, list) and not org_ids:
        return []
    _warn_undocumented(event, spec)
    hooks = db.session.scalars(
        sa.select(Webhook)
        .join(Organization, Organization.id == Webhook.organization_id)
        .where(
            Webhook.organization_id.in_(org_ids),
            Webhook.active,
            # The same rule that refuses such a subscription (422) when it is created.
            Organization.kind.in_(spec.webhook_kinds),
        )
        .order_by(Webhook.id)
    ).all()
    rows = []
    for hook in hooks:
        if event.event_type not in (hook.events or []):
            continue
        uid = str(uuid.uuid4())
        rows.append(
            {
                "key": f"{event.id}:webhook:{hook.id}:webhook",
                "uid": uid,
                "event_id": event.id,
                "channel": "webhook",
                "webhook_id": hook.id,
                "body_text": webhook_body(event, hook.organization_id, uid),
                "status": "pending",
                "attempts": 0,
                "created_at": utcnow(),
                "dispatched_at": utcnow(),
            }
        )
    return rows


def deliver_batch(event_id: int, number: int | list[int]) -> int:
    """Inbox rows for one recorded batch of users (one bulk insert) and their emails."""
    if isinstance(number, list):
        number = _record_legacy_batch(event_id, number)
    event = db.session.get(OutboxEvent, event_id)
    batch = db.session.get(OutboxBatch, (event_id, number))
    if event is None or batch is None or batch.delivered_at is not None:
        return 0
    user_ids = batch.user_ids
    spec = spec_for(event.event_type)
    texts = _texts(event)
    users = db.session.execute(
        sa.select(
            User.id,
            User.email,
            User.language,
            NotificationPreference.channels,
            NotificationPreference.digest,
        )
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(User.id.in_(user_ids), User.is_active)
    ).all()
    now = utcnow()
    inbox, emails = [], []
    data = _data(event)
    for uid, email, lang, channels, digest in users:
        wanted = (channels or {}).get(event.event_type, spec.default_channels)
        t = texts.get(lang, texts["zh"])
        if "in_app" in wanted:
            inbox.append(
                {
                    "event_id": event_id,
                    "user_id": uid,
                    "event_type": event.event_type,
                    "title": t["title"],
                    "body": t["body"],
                    "data": data,
                    "created_at": now,
                }
            )
        # Users on a digest get one summary mail instead of single mails (urgent events
        # are mailed at once all the same).
        if "email" in wanted and (spec.urgent or (digest or "off") == "off"):
            emails.append(_email_delivery(event, texts, lang, user_id=uid, email=email))
    insert_ignore(Notification, inbox, ["event_id", "user_id"])
    insert_ignore(Delivery, emails, ["key"])
    batch.delivered_at = now
    db.session.commit()
    _send_pending([r["key"] for r in emails], EMAIL_TASK)
    return len(inbox)


def _attempt(delivery: Delivery, ok: bool, status_code=None, error=None, ms: int = 0) -> None:
    delivery.attempts += 1
    db.session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            number=delivery.attempts,
            ok=ok,
            status_code=status_code,
            error=error,
            duration_ms=ms,
        )
    )


def _finish(delivery: Delivery, error: str | None) -> str:
    if error is None:
        delivery.status = "sent"
        delivery.sent_at = utcnow()
        delivery.last_error = None
        db.session.commit()
        return "sent"
    delivery.last_error = error
    if delivery.attempts >= current_app.config["NOTIFY_MAX_ATTEMPTS"]:
        # Exhausted: kept, marked failed and visible in the deliveries log; never dropped.
        delivery.status = "failed"
        db.session.commit()
        return "failed"
    countdown = backoff(delivery.attempts)
    # The retry is due then; only a retry message lost after that is the sweep's business.
    delivery.dispatched_at = utcnow() + timedelta(seconds=countdown)
    db.session.commit()
    raise RetryLater(countdown)


def _locked_pending(delivery_id: int) -> Delivery | None:
    delivery = db.session.scalar(for_update(sa.select(Delivery).where(Delivery.id == delivery_id)))
    if delivery is None or delivery.status != "pending":
        db.session.rollback()
        return None
    return delivery


def send_email(delivery_id: int) -> str:
    """Send one email delivery (once); raises RetryLater on a transient SMTP failure."""
    delivery = _locked_pending(delivery_id)
    if delivery is None:
        return "skipped"
    assert delivery.email is not None  # every email delivery is made with its address
    try:
        send_mail(
            delivery.email,
            delivery.subject or "",
            delivery.body_text or "",
            delivery.body_html,
            message_id=delivery.uid,
        )
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        _attempt(delivery, False, error=error)
        return _finish(delivery, error)
    log.info("email delivery %s sent", delivery_id)
    _attempt(delivery, True)
    _forget_secret(delivery)
    return _finish(delivery, None)


def _forget_secret(delivery: Delivery) -> None:
    """A sent mail of a `secret_mail` event keeps no copy of its token: not in the mail's
    row, not in the event (a fan-out run again makes no second mail: its key exists)."""
    event = db.session.get(OutboxEvent, delivery.event_id) if delivery.event_id else None
    if event is None or not spec_for(event.event_type).secret_mail:
        return
    secret = (event.payload or {}).get("token")
    if not secret:
        return
    delivery.body_text = (delivery.body_text or "").replace(secret, "[sent]")
    delivery.body_html = (delivery.body_html or "").replace(secret, "[sent]")
    event.payload = {k: v for k, v in event.payload.items() if k != "token"}


def send_webhook(delivery_id: int) -> str:
    """POST one webhook delivery (once); raises RetryLater on failure until exhausted."""
    delivery = _locked_pending(delivery_id)
    if delivery is None:
        return "skipped"
    hook = db.session.get(Webhook, delivery.webhook_id)
    if hook is None or not hook.active:
        delivery.status = "failed"
        delivery.last_error = "webhook deleted"
        db.session.commit()
        return "failed"
    event_type = json.loads(delivery.body_text or "{}").get("type", "")
    code, error, ms = webhooks.post(
        hook.url, hook.secret, (delivery.body_text or "").encode(), delivery.uid, event_type
    )
    _attempt(delivery, error is None, status_code=code, error=error, ms=ms)
    if error and error.startswith("refused:"):
        delivery.attempts = max(delivery.attempts, current_app.config["NOTIFY_MAX_ATTEMPTS"])
    return _finish(delivery, error)
