"""Members and invitations in bulk (a university's roster), with set-based inserts, and the
invitation that gives an account made in bulk its first password."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts.models import User
from cbec_alliance.accounts.services import (
    get_user_by_email,
    has_password,
    set_first_password,
    sha256,
)
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import insert_rows
from cbec_alliance.core.errors import conflict, not_found
from cbec_alliance.core.events import emit_many
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Invitation, Membership, Organization
from cbec_alliance.organizations.services import accept_invitation, event_names, membership

CHUNK = 5_000  # rows per IN list and per multi-row INSERT


def members_among(org_id: int, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` who are members of the organization (in any role)."""
    out: set[int] = set()
    for start in range(0, len(user_ids), CHUNK):
        out.update(
            db.session.scalars(
                sa.select(Membership.user_id).where(
                    Membership.organization_id == org_id,
                    Membership.user_id.in_(user_ids[start : start + CHUNK]),
                )
            )
        )
    return out


def add_members(org_id: int, user_ids: list[int], role: str) -> None:
    """Make these users (none of them a member yet) members with `role`, set-based."""
    now = utcnow()
    rows = [
        {"user_id": uid, "organization_id": org_id, "role": role, "created_at": now}
        for uid in user_ids
    ]
    insert_rows(Membership, rows)


def pending_for(org_id: int, emails: list[str]) -> set[str]:
    """Those of `emails` with a pending invitation to the organization."""
    out: set[str] = set()
    now = utcnow()
    for start in range(0, len(emails), CHUNK):
        out.update(
            db.session.scalars(
                sa.select(Invitation.email).where(
                    Invitation.organization_id == org_id,
                    Invitation.email.in_(emails[start : start + CHUNK]),
                    Invitation.accepted_at.is_(None),
                    Invitation.revoked_at.is_(None),
                    Invitation.expires_at > now,
                )
            )
        )
    return out


def invite_many(
    actor: User | None, org: Organization, emails: list[str], role: str, event_type: str
) -> None:
    """Invite each email with `role`, set-based: the invitations and one `event_type` event
    each (its email carries the token; only the token's hash is stored)."""
    if not emails:
        return
    now = utcnow()
    expires = now + timedelta(days=current_app.config["INVITATION_DAYS"])
    tokens = {email: secrets.token_urlsafe(32) for email in emails}
    rows = [
        {
            "organization_id": org.id,
            "email": email,
            "role": role,
            "token_hash": sha256(token),
            "invited_by_id": getattr(actor, "id", None),
            "created_at": now,
            "expires_at": expires,
        }
        for email, token in tokens.items()
    ]
    ids = dict(insert_rows(Invitation, rows, returning=("email", "id")))
    names = event_names(org)
    emit_many(
        event_type,
        [
            {
                "invitation_id": ids[email],
                **names,
                "role": role,
                "email": email,
                "token": token,
                "expires_at": iso_z(expires),
            }
            for email, token in tokens.items()
        ],
        organization_id=org.id,
        actor=actor,
    )


def accept_with_password(token: str, password: str) -> Membership:
    """Accept an invitation to an account made without a password: set its first password
    and join (a roster's students); 409 for an account with a password (log in and accept)."""
    inv = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == sha256(token)))
    if inv is None or inv.revoked_at is not None:
        not_found("invitation")
    if inv.accepted_at is not None:
        conflict("this invitation has already been accepted")
    if as_utc(inv.expires_at) <= utcnow():
        conflict("this invitation has expired; ask for a new one")
    user = get_user_by_email(inv.email)
    if user is None or has_password(user):
        conflict("this account has a password: log in, then accept the invitation")
    set_first_password(user, password)
    m = membership(user, inv.organization_id)
    if m is None:  # removed since the import: the invitation still lets them in
        return accept_invitation(user, token)
    inv.accepted_at = utcnow()
    audit(
        actor=user,
        obj=m,
        action="accept_invitation",
        changes={"role": m.role, "invitation_id": inv.id, "password": "set"},
        organization_id=inv.organization_id,
    )
    return m
