"""The one catalogue of events: who hears each, on which channels, in which words.

Each later domain adds its events here, with a recipient resolver and zh/en templates, the
fields of its payload (documented for webhook receivers: `docs/webhooks.md` is generated from
them) and, when the default is not right, which organizations' webhooks it reaches.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import KINDS as ORG_KINDS
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

Batches = Iterator[list[int]]
# Organization ids, as a list or as a SELECT of one id column (for events sent to many).
OrgIds = list[int] | sa.Select
# Payload field -> (JSON type, what it holds): the documentation webhook receivers read.
PayloadDoc = Mapping[str, tuple[str, str]]

# Payload fields never delivered to a webhook (nor kept in the inbox): secrets.
SECRET_FIELDS = frozenset({"token"})
# Payload fields that name organizations: by default an event reaches the webhooks of every
# organization they name, besides its own `organization_id`.
ORG_ID_FIELDS = ("organization_id", "enterprise_id", "university_id", "host_enterprise_id")
ORG_ID_LIST_FIELDS = ("organization_ids", "enterprise_ids", "university_ids", "organizer_ids")


def named_orgs(event: OutboxEvent) -> list[int]:
    """Its `organization_id` and every organization its payload names by id."""
    ids = [event.organization_id]
    payload = event.payload or {}
    ids += [payload.get(name) for name in ORG_ID_FIELDS]
    for name in ORG_ID_LIST_FIELDS:
        ids += list(payload.get(name) or [])
    return sorted({i for i in ids if isinstance(i, int) and not isinstance(i, bool)})


@dataclass(frozen=True)
class EventSpec:
    """How one event type is delivered.

    Webhooks: an event reaches the active webhooks subscribed to it of the organizations
    `webhook_orgs` names (by default `named_orgs`: its `organization_id` and the payload's
    organization ids) whose kind is in `org_kinds`. `org_kinds` left None means any kind,
    so a new event type reaches webhooks with no code of its own; `()` means the event is
    for people only (students, coordinators), and no organization may subscribe to it.
    """

    type: str
    description: str
    recipients: Callable[[OutboxEvent, int], Batches]
    title: dict[str, str]
    body: dict[str, str]
    default_channels: tuple[str, ...] = ("in_app", "email")
    payload: PayloadDoc = field(default_factory=dict)
    org_kinds: tuple[str, ...] | None = None
    # What the event tells an organization's webhook, where `description` speaks to a person.
    webhook_description: str = ""
    # Which organizations it concerns, in words, for the docs (else `webhook_orgs`' docstring).
    webhook_audience: str = ""
    webhook_orgs: Callable[[OutboxEvent], OrgIds] | None = None
    external_emails: Callable[[OutboxEvent], list[str]] = field(default=lambda e: [])
    # Mailed at once even to users on a digest (a serious incident cannot wait for one).
    urgent: bool = False
    # Its mail carries a one-time secret (`token`), forgotten once the mail is handed over.
    secret_mail: bool = False

    @property
    def about(self) -> str:
        """The event as webhook documentation describes it."""
        return self.webhook_description or self.description

    @property
    def audience(self) -> str:
        """Which organizations the event concerns, in words (for the docs)."""
        if not self.webhook_kinds:
            return "none"
        doc = ((self.webhook_orgs or named_orgs).__doc__ or "").strip().splitlines()
        fallback = doc[0].removeprefix("Webhooks: ").rstrip(".") if doc else ""
        return self.webhook_audience or fallback

    @property
    def webhook_kinds(self) -> tuple[str, ...]:
        """The organization kinds whose webhooks this event can reach (maybe none)."""
        return ORG_KINDS if self.org_kinds is None else self.org_kinds

    def concerned_orgs(self, event: OutboxEvent) -> OrgIds:
        """The organizations whose webhooks hear this event (before the kind filter)."""
        if not self.webhook_kinds:
            return []
        return (self.webhook_orgs or named_orgs)(event)


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


ORGANIZATION_PAYLOAD: PayloadDoc = {
    "organization_id": ("integer", "the organization"),
    "organization_name": ("string", "its name (Chinese)"),
    "organization_name_en": ("string", "its English name (the Chinese one when it has none)"),
}


def _org_decision(verb_zh: str, verb_en: str) -> dict:
    return {
        "recipients": org_members(STAFF_ROLES),
        "title": {
            "zh": f"「{{organization_name}}」{verb_zh}",
            "en": f"{{organization_name_en}} was {verb_en}",
        },
        "body": {
            "zh": f"您的机构「{{organization_name}}」{verb_zh}。{{reason}}",
            "en": f"Your organization {{organization_name_en}} was {verb_en}. {{reason}}",
        },
        "payload": {
            **ORGANIZATION_PAYLOAD,
            "reason": ("string", "the coordinator's reason (may be empty)"),
        },
        "webhook_audience": "the organization",
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
        payload={
            "invitation_id": ("integer", "the invitation"),
            **ORGANIZATION_PAYLOAD,
            "role": ("string", "`admin`, `staff` or `student`"),
            "email": ("string", "the invited address"),
            "expires_at": ("string", "when the invitation expires (ISO 8601, UTC)"),
        },
        webhook_audience="the inviting organization (the token is never sent)",
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


def member_and_coordinators(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the member the payload names (`user_id`) and every active coordinator."""
    stmt = sa.select(User.id).where(
        sa.or_(
            User.id == event.payload.get("user_id"),
            (User.platform_role == "coordinator") & User.is_active,
        )
    )
    return id_batches(stmt, User.id, batch)


def _coordinator_role(verb_zh: str, verb_en: str) -> dict:
    return {
        "recipients": member_and_coordinators,
        "title": {
            "zh": f"{{user_name}}{verb_zh}",
            "en": f"{{user_name}} {verb_en} the coordinator role",
        },
        "body": {
            "zh": f"「{{organization_name}}」的成员 {{user_name}}{verb_zh}。",
            "en": f"{{user_name}} of {{organization_name_en}} {verb_en} the platform's "
            "coordinator role.",
        },
        "payload": {
            **ORGANIZATION_PAYLOAD,
            "user_id": ("integer", "the member"),
            "user_name": ("string", "the member's name"),
        },
        "org_kinds": ("government",),
        "webhook_audience": "the government body",
    }


register(
    EventSpec(
        type="organization.coordinator_granted",
        description="A government body's member was made a coordinator",
        **_coordinator_role("获得了平台协调员角色", "was given"),
    )
)
register(
    EventSpec(
        type="organization.coordinator_revoked",
        description="A government body's member lost the coordinator role",
        **_coordinator_role("的平台协调员角色已被收回", "lost"),
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
        payload={
            "object_type": ("string", "what waits: `organization`"),
            "object_id": ("integer", "its id"),
            "object_label_zh": ("string", "its kind, in Chinese"),
            "object_label_en": ("string", "its kind, in English"),
            "name": ("string", "its name"),
            "waiting_days": ("integer", "days it has waited"),
        },
        org_kinds=(),  # for coordinators only
    )
)


def nobody(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: no one (a domain above may add recipients with `also_notify`)."""
    return iter(())


def also_notify(event_type: str, resolver: Callable[[OutboxEvent, int], Batches]) -> None:
    """Add recipients to another domain's event: a domain above the one that emits it knows
    who else hears it (the applicants of an internship are the applications domain's)."""
    spec = SPECS[event_type]
    before = spec.recipients

    def both(event: OutboxEvent, batch: int) -> Batches:
        yield from before(event, batch)
        yield from resolver(event, batch)

    SPECS[event_type] = dataclasses.replace(spec, recipients=both)


def spec_for(event_type: str) -> EventSpec:
    """The catalogue entry for an event type (KeyError for an unknown one)."""
    return SPECS[event_type]


def webhook_specs(kind: str | None = None) -> list[EventSpec]:
    """Catalogue entries an organization of `kind` (of some kind when None) may subscribe to."""
    return [
        spec
        for _type, spec in sorted(SPECS.items())
        if spec.webhook_kinds and (kind is None or kind in spec.webhook_kinds)
    ]


def unreachable(event_type: str, kind: str) -> str | None:
    """Why an organization of `kind` can never receive `event_type` by webhook, or None."""
    kinds = spec_for(event_type).webhook_kinds
    if not kinds:
        return _(
            "%(event_type)s is for people only (students or coordinators), never webhooks",
            event_type=event_type,
        )
    if kind not in kinds:
        return _(
            "%(event_type)s only reaches %(kinds)s webhooks, not %(kind)s ones",
            event_type=event_type,
            kinds=" and ".join(kinds),
            kind=kind,
        )
    return None
