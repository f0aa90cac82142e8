"""The coordinator role given through a government body (issue 21).

An admin of an approved government body may make its own members coordinators, and take
back what the body gave; a coordinator may do both for any government body's members. The
role is the account's (`accounts.services.set_platform_role` writes it); the grant row here
remembers which body gave it, so a coordinator made from the command line stays the
platform's superuser, out of every body's reach. A member who leaves the body, or is
removed from it, loses the role it gave.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.accounts.services import set_platform_role
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import insert_ignore
from cbec_alliance.core.errors import conflict, forbidden
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from . import services
from .models import STAFF_ROLES, CoordinatorGrant, Membership, Organization


def _check_actor(actor: User, org: Organization) -> None:
    if actor.is_coordinator:
        return
    m = services.membership(actor, org.id)
    if m is None or m.role != "admin" or org.kind != "government" or org.status != "approved":
        forbidden(
            "only coordinators and the admins of an approved government body (for its own "
            "members) may grant or revoke the coordinator role"
        )


def _member(actor: User, org_id: int, user_id: int) -> tuple[Organization, Membership]:
    """The body and its member, once the actor may act on them (404, 403 otherwise)."""
    org = services.get_visible(org_id, actor)
    _check_actor(actor, org)
    if org.kind != "government":
        forbidden("the coordinator role is given to the members of government bodies only")
    m = services.get_member(org, user_id)
    if m.role not in STAFF_ROLES:
        forbidden("the coordinator role is given to a body's admins and staff only")
    return org, m


def _announce(actor: User, org: Organization, m: Membership, action: str, before: str) -> None:
    after = m.user.platform_role
    audit(
        actor=actor,
        obj=m,
        action=action,
        changes={"platform_role": {"from": before, "to": after}, "user_id": m.user_id},
        organization_id=org.id,
    )
    emit(
        f"organization.{action}",
        {**services.event_names(org), "user_id": m.user_id, "user_name": m.user.name},
        organization_id=org.id,
        actor=actor,
    )


def grant(actor: User, org_id: int, user_id: int) -> Membership:
    """Make a member of an approved government body a coordinator (already one: unchanged)."""
    org, m = _member(actor, org_id, user_id)
    if org.status != "approved":
        conflict(
            _(
                "the government body is %(status)s; only an approved one's members qualify",
                status=org.status,
            )
        )
    before = set_platform_role(m.user, "coordinator")
    if before == "coordinator":
        return m
    row = {
        "user_id": m.user_id,
        "organization_id": org.id,
        "granted_by_id": actor.id,
        "granted_at": utcnow(),
    }
    insert_ignore(CoordinatorGrant, [row], ["user_id"])
    _announce(actor, org, m, "coordinator_granted", before)
    return m


def _take_back(actor: User, org: Organization, m: Membership) -> bool:
    """Remove the role (and its grant row); False when the member was no coordinator."""
    before = set_platform_role(m.user, "user")
    db.session.execute(sa.delete(CoordinatorGrant).where(CoordinatorGrant.user_id == m.user_id))
    if before != "coordinator":
        return False
    _announce(actor, org, m, "coordinator_revoked", before)
    return True


def revoke(actor: User, org_id: int, user_id: int) -> Membership:
    """Take back the coordinator role a government body gave its member: a coordinator, or
    the admins of the body that gave it (no coordinator: unchanged). A coordinator made by
    the platform (no grant) is out of reach: it stays the platform's superuser."""
    org, m = _member(actor, org_id, user_id)
    if m.user.is_coordinator:
        given = db.session.get(CoordinatorGrant, m.user_id)
        if given is None:
            forbidden("this coordinator was made by the platform, not given the role by a body")
        if not (actor.is_coordinator or given.organization_id == org.id):
            forbidden("your body did not give this member the coordinator role")
    _take_back(actor, org, m)
    return m


def remove_member(actor: User, org_id: int, user_id: int) -> None:
    """Remove a member or leave (`services.remove_member`); the coordinator role the body
    gave the member goes with the membership (in the same transaction)."""
    given = db.session.execute(
        sa.select(Organization, Membership)
        .join(Membership, Membership.organization_id == Organization.id)
        .join(CoordinatorGrant, CoordinatorGrant.user_id == Membership.user_id)
        .where(
            Organization.id == org_id,
            Membership.user_id == user_id,
            CoordinatorGrant.organization_id == org_id,
        )
    ).first()
    services.remove_member(actor, org_id, user_id)
    if given is not None:
        _take_back(actor, *given)
