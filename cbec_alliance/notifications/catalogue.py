"""The one catalogue of events: who hears each, on which channels, in which words.

Each later domain adds its events here, with a recipient resolver and zh/en templates.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import Membership

Batches = Iterator[list[int]]


@dataclass(frozen=True)
class EventSpec:
    """How one event type is delivered."""

    type: str
    description: str
    recipients: Callable[[OutboxEvent, int], Batches]
    title: dict[str, str]
    body: dict[str, str]
    default_channels: tuple[str, ...] = ("in_app", "email")
    webhook_orgs: Callable[[OutboxEvent], list[int]] = field(default=lambda e: [])
    external_emails: Callable[[OutboxEvent], list[str]] = field(default=lambda e: [])


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, payload: dict, *, as_html: bool = False) -> str:
    """Fill a template with payload values (escaped for HTML when asked)."""
    values = {
        k: html.escape(str(v)) if as_html else ("" if v is None else str(v))
        for k, v in payload.items()
    }
    return template.format_map(_Blank(values))


def id_batches(stmt: sa.Select, id_col, batch: int) -> Batches:
    """Yield user ids from `stmt` (selecting one id column) in keyset-ordered batches."""
    last = 0
    while True:
        ids = list(
            db.session.scalars(stmt.where(id_col > last).order_by(id_col).limit(batch)).all()
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def org_members(roles: tuple[str, ...] | None = None):
    """Resolver: members of the event's organization (optionally only some roles)."""

    def resolve(event: OutboxEvent, batch: int) -> Batches:
        stmt = sa.select(Membership.user_id).where(
            Membership.organization_id == event.organization_id
        )
        if roles:
            stmt = stmt.where(Membership.role.in_(roles))
        return id_batches(stmt, Membership.user_id, batch)

    return resolve


def coordinators(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: every active coordinator."""
    stmt = sa.select(User.id).where(User.platform_role == "coordinator", User.is_active)
    return id_batches(stmt, User.id, batch)


def invited_user(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the invited person, if they already have an account."""
    stmt = sa.select(User.id).where(User.email == event.payload.get("email"))
    return id_batches(stmt, User.id, batch)


def _invited_outsider(event: OutboxEvent) -> list[str]:
    email = event.payload.get("email")
    exists = db.session.scalar(sa.select(User.id).where(User.email == email))
    return [] if exists or not email else [email]


def _own_org(event: OutboxEvent) -> list[int]:
    return [event.organization_id] if event.organization_id else []


def _org_decision(verb_zh: str, verb_en: str) -> dict:
    return {
        "recipients": org_members(("admin", "staff")),
        "title": {
            "zh": f"「{{organization_name}}」{verb_zh}",
            "en": f"{{organization_name_en}} was {verb_en}",
        },
        "body": {
            "zh": f"您的机构「{{organization_name}}」{verb_zh}。{{reason}}",
            "en": f"Your organization {{organization_name_en}} was {verb_en}. {{reason}}",
        },
        "webhook_orgs": _own_org,
    }


SPECS: dict[str, EventSpec] = {}


def register(spec: EventSpec) -> EventSpec:
    """Add an event type to the catalogue."""
    SPECS[spec.type] = spec
    return spec


register(
    EventSpec(
        type="invitation.created",
        description="Someone was invited to join an organization",
        recipients=invited_user,
        external_emails=_invited_outsider,
        title={
            "zh": "邀请您加入「{organization_name}」",
            "en": "Invitation to join {organization_name_en}",
        },
        body={
            "zh": "您被邀请以 {role} 身份加入「{organization_name}」。"
            "接受邀请：POST /api/v1/invitations/{token}/accept（{expires_at} 前有效）",
            "en": "You are invited to join {organization_name_en} as {role}. "
            "Accept: POST /api/v1/invitations/{token}/accept (valid until {expires_at})",
        },
    )
)
register(
    EventSpec(
        type="organization.approved",
        description="A coordinator approved an organization",
        **_org_decision("已通过审核", "approved"),
    )
)
register(
    EventSpec(
        type="organization.rejected",
        description="A coordinator rejected an organization",
        **_org_decision("未通过审核", "rejected"),
    )
)
register(
    EventSpec(
        type="organization.suspended",
        description="A coordinator suspended an organization",
        **_org_decision("已被暂停", "suspended"),
    )
)
register(
    EventSpec(
        type="approval.overdue",
        description="Coordinator escalation: something has waited for approval over 5 days",
        recipients=coordinators,
        title={
            "zh": "待审核超过 {waiting_days} 天：{name}",
            "en": "Waiting for approval over {waiting_days} days: {name}",
        },
        body={
            "zh": "{object_label_zh}「{name}」已等待审核 {waiting_days} 天，请尽快处理。",
            "en": "{object_label_en} {name} has waited {waiting_days} days for approval.",
        },
    )
)


def spec_for(event_type: str) -> EventSpec:
    """The catalogue entry for an event type (KeyError for an unknown one)."""
    return SPECS[event_type]


def user_event_types() -> list[str]:
    """Event types a user may set preferences for."""
    return sorted(SPECS)
