"""Organization rules: creation, approval lifecycle, members and invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from cbec_alliance.accounts.email_tokens import require_verified, verified_by_invitation
from cbec_alliance.accounts.models import User
from cbec_alliance.accounts.services import normalise_email, sha256
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.changes import changed_fields
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import (
    Waiting,
    conflict,
    forbidden,
    invalid,
    not_found,
    waiting_on,
)
from cbec_alliance.core.events import emit
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.codes import school_code_error, uscc_error
from cbec_alliance.organizations.models import (
    LIFECYCLE,
    STAFF_ROLES,
    Invitation,
    Membership,
    Organization,
    OrganizationMajor,
)
from cbec_alliance.taxonomy import services as taxonomy

ENTERPRISE_ONLY = ("uscc", "size", "platforms", "employee_count")
UNIVERSITY_ONLY = ("school_code", "level", "majors")


def membership(user: User | None, org_id: int) -> Membership | None:
    """The user's membership in the organization, if any."""
    if user is None or not user.is_authenticated:
        return None
    return next((m for m in user.memberships if m.organization_id == org_id), None)


def get_visible(org_id: int, user: User | None) -> Organization:
    """The organization if the caller may see it: approved, or a member, or a coordinator."""
    org = db.session.get(Organization, org_id)
    if org is None:
        not_found("organization")
    if org.status == "approved":
        return org
    if (
        user is not None
        and user.is_authenticated
        and (user.is_coordinator or membership(user, org_id) is not None)
    ):
        return org
    not_found("organization")


def get_for_member(org_id: int, user: User, *, roles: tuple[str, ...] | None = None):
    """The organization for a member (optionally with one of `roles`); 404 or 403 otherwise."""
    org = get_visible(org_id, user)
    m = membership(user, org_id)
    if m is None:
        if user.is_coordinator and roles is None:
            return org
        forbidden("you are not a member of this organization")
    if roles is not None and m.role not in roles:
        forbidden(_("this needs one of the roles: %(roles)s", roles=", ".join(roles)))
    return org


def listing(args: dict, user: User | None) -> sa.Select:
    """Organizations of one `status` (approved unless asked; other statuses for
    coordinators only, 403 for others), with the list filters, oldest first."""
    status = args.get("status", "approved")
    if status != "approved" and not (
        user is not None and user.is_authenticated and user.is_coordinator
    ):
        forbidden("only coordinators may list organizations that are not approved")
    stmt = sa.select(Organization).where(Organization.status == status)
    if "kind" in args:
        stmt = stmt.where(Organization.kind == args["kind"])
    if "district" in args:
        stmt = stmt.where(Organization.district == args["district"])
    if args.get("q"):
        stmt = stmt.where(
            sa.or_(
                contains(Organization.name, args["q"]),
                contains(Organization.name_en, args["q"]),
            )
        )
    return stmt.order_by(Organization.id)


def require_approved(org: Organization) -> None:
    """409 unless the organization is approved (only approved organizations may act)."""
    if org.status == "pending":
        waiting_on(
            _(
                "organization %(name)s is pending; only approved organizations may do this",
                name=org.name,
            ),
            [Waiting("coordinator", "approve the organization")],
            "none until then",
        )
    if org.status != "approved":
        conflict(
            _(
                "organization is %(status)s; only approved organizations may do this",
                status=org.status,
            )
        )


def _check_kind_fields(kind: str, data: dict) -> None:
    wrong: tuple[str, ...] = ENTERPRISE_ONLY if kind != "enterprise" else ()
    wrong += UNIVERSITY_ONLY if kind != "university" else ()
    for field in wrong:
        if data.get(field) is not None:
            invalid(field, _("not allowed for kind %(kind)s", kind=kind))
    taxonomy.check("districts", "district", data.get("district"))
    taxonomy.check("platforms", "platforms", data.get("platforms"))
    if data.get("platforms") is not None and len(set(data["platforms"])) != len(data["platforms"]):
        invalid("platforms", "each platform may appear once")
    taxonomy.check("enterprise-sizes", "size", data.get("size"))
    taxonomy.check("university-levels", "level", data.get("level"))
    if data.get("majors") is not None:
        codes = [m["code"] for m in data["majors"]]
        taxonomy.check("majors", "majors", codes)
        if len(set(codes)) != len(codes):
            invalid("majors", "each major may appear once")
    if data.get("uscc") is not None and (err := uscc_error(data["uscc"])):
        invalid("uscc", err)
    if data.get("school_code") is not None and (err := school_code_error(data["school_code"])):
        invalid("school_code", err)


def _check_unique(org: Organization | None, data: dict) -> None:
    for field in ("uscc", "school_code"):
        value = data.get(field)
        if value is None:
            continue
        col = getattr(Organization, field)
        stmt = sa.select(Organization.id).where(col == value)
        if org is not None:
            stmt = stmt.where(Organization.id != org.id)
        if db.session.scalar(stmt) is not None:
            conflict(_("an organization with this %(field)s already exists", field=field))


def _set_majors(org: Organization, majors: list[dict]) -> None:
    org.majors = [
        OrganizationMajor(code=m["code"], yearly_graduates=m["yearly_graduates"]) for m in majors
    ]


def create(user: User, data: dict) -> Organization:
    """Create a pending organization with the creator as its admin (who must have verified
    their email address: 403 naming `email_verified`)."""
    require_verified(user)
    kind = data["kind"]
    _check_kind_fields(kind, data)
    if kind == "enterprise":
        for field in ("uscc", "size"):
            if data.get(field) is None:
                invalid(field, "required for enterprises")
    if kind == "university":
        for field in ("school_code", "level"):
            if data.get(field) is None:
                invalid(field, "required for universities")
    _check_unique(None, data)
    majors = data.pop("majors", None)
    org = Organization(**data)
    if majors:
        _set_majors(org, majors)
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organization_id=org.id, role="admin"))
    db.session.flush()
    db.session.expire(user, ["memberships"])
    changes = dict(data)
    if majors:
        changes["majors"] = {m["code"]: m["yearly_graduates"] for m in majors}
    audit(actor=user, obj=org, action="create", changes=changes, organization_id=org.id)
    return org


def update(user: User, org: Organization, data: dict) -> Organization:
    """Change an organization's fields (its admins)."""
    _check_kind_fields(org.kind, data)
    for field in ("uscc", "school_code", "size", "level"):
        if field in data and data[field] is None and getattr(org, field) is not None:
            invalid(field, "cannot be removed")
    # The identifier is what a coordinator verified: once approved it is fixed.
    for field in ("uscc", "school_code"):
        if org.status != "pending" and data.get(field) not in (None, getattr(org, field)):
            conflict(_("%(field)s cannot change after review; ask a coordinator", field=field))
    _check_unique(org, data)
    majors = data.pop("majors", None)
    changes = changed_fields(org, data)
    if majors is not None:
        before = {m.code: m.yearly_graduates for m in org.majors}
        after = {m["code"]: m["yearly_graduates"] for m in majors}
        if before != after:
            _set_majors(org, majors)
            changes["majors"] = {"from": before, "to": after}
    if changes:
        audit(actor=user, obj=org, action="update", changes=changes, organization_id=org.id)
    return org


def transition(user: User, org: Organization, action: str, reason: str | None) -> Organization:
    """Approve, reject or suspend (coordinators); 409 naming the allowed steps otherwise."""
    target = LIFECYCLE.target(org.status, action)
    before = org.status
    org.status = target
    org.status_reason = reason
    org.status_changed_at = utcnow()
    audit(
        actor=user,
        obj=org,
        action=action,
        changes={"status": {"from": before, "to": target}, "reason": reason},
        organization_id=org.id,
    )
    emit(
        f"organization.{target}",
        {**event_names(org), "reason": reason or ""},
        organization_id=org.id,
        actor=user,
    )
    return org


def event_names(org: Organization) -> dict:
    """The organization's id and names as its events carry them (English falls back)."""
    return {
        "organization_id": org.id,
        "organization_name": org.name,
        "organization_name_en": org.name_en or org.name,
    }


def members(org: Organization) -> sa.Select:
    """Memberships of an organization, oldest first."""
    return sa.select(Membership).where(Membership.organization_id == org.id).order_by(Membership.id)


def _check_role(org: Organization, role: str) -> None:
    if role == "student" and org.kind != "university":
        invalid("role", "students can only be members of universities")


def _admin_count(org_id: int) -> int:
    """How many admins the organization has, counted under a lock on its row.

    The lock serialises concurrent demotions and removals in one organization, so two
    admins demoting each other at the same moment cannot leave it without an admin.
    """
    db.session.execute(for_update(sa.select(Organization.id).where(Organization.id == org_id)))
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.organization_id == org_id, Membership.role == "admin")
        )
        or 0
    )


def get_member(org: Organization, user_id: int) -> Membership:
    """The organization's member `user_id` (404 when not one)."""
    m = db.session.scalar(
        sa.select(Membership).where(
            Membership.organization_id == org.id, Membership.user_id == user_id
        )
    )
    if m is None:
        not_found("member")
    return m


def change_role(actor: User, org: Organization, user_id: int, role: str) -> Membership:
    """Change a member's role; the last admin cannot be demoted (409)."""
    _check_role(org, role)
    m = get_member(org, user_id)
    if m.role == "admin" and role != "admin" and _admin_count(org.id) <= 1:
        conflict("the last admin cannot be demoted; make another member admin first")
    if m.role != role:
        audit(
            actor=actor,
            obj=m,
            action="change_role",
            changes={"role": {"from": m.role, "to": role}, "user_id": user_id},
            organization_id=org.id,
        )
        m.role = role
    return m


def remove_member(actor: User, org_id: int, user_id: int) -> None:
    """Remove a member (its admins) or leave (oneself, a member); the last admin cannot
    leave (409)."""
    org = get_for_member(org_id, actor, roles=None if user_id == actor.id else ("admin",))
    if membership(actor, org_id) is None:  # a coordinator sees members but is not one
        forbidden("you are not a member of this organization")
    m = get_member(org, user_id)
    if m.role == "admin" and _admin_count(org.id) <= 1:
        conflict("the last admin cannot leave; make another member admin first")
    audit(
        actor=actor,
        obj=m,
        action="remove" if actor.id != user_id else "leave",
        changes={"user_id": user_id, "role": m.role},
        organization_id=org.id,
    )
    db.session.delete(m)


def invite(actor: User, org: Organization, email: str, role: str) -> Invitation:
    """Create an invitation and email it after commit; returns the row with its plain
    `token` attached (shown this once; only its hash is stored)."""
    _check_role(org, role)
    email = normalise_email(email)
    already = db.session.scalar(
        sa.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organization_id == org.id, User.email == email)
    )
    if already:
        conflict("this person is already a member")
    plain = secrets.token_urlsafe(32)
    inv = Invitation(
        organization=org,
        email=email,
        role=role,
        token_hash=sha256(plain),
        invited_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(inv)
    db.session.flush()
    audit(
        actor=actor,
        obj=inv,
        action="invite",
        changes={"email": email, "role": role},
        organization_id=org.id,
    )
    # The email goes out through the notifications outbox, after the commit.
    emit(
        "invitation.created",
        {
            "invitation_id": inv.id,
            **event_names(org),
            "role": role,
            "email": email,
            "token": plain,
            "expires_at": iso_z(inv.expires_at),
        },
        organization_id=org.id,
        actor=actor,
    )
    inv.token = plain
    return inv


def pending_invitations(org: Organization) -> sa.Select:
    """Invitations not yet accepted, revoked or expired."""
    return (
        sa.select(Invitation)
        .where(
            Invitation.organization_id == org.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id.desc())
    )


def revoke_invitation(actor: User, org: Organization, invitation_id: int) -> None:
    """Revoke a pending invitation."""
    inv = db.session.get(Invitation, invitation_id)
    if inv is None or inv.organization_id != org.id or inv.revoked_at or inv.accepted_at:
        not_found("invitation")
    inv.revoked_at = utcnow()
    audit(actor=actor, obj=inv, action="revoke", changes={}, organization_id=org.id)


def accept_invitation(user: User, token: str) -> Membership:
    """Join the organization; the logged-in user's email must match the invitation."""
    inv = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == sha256(token)))
    if inv is None or inv.revoked_at is not None:
        not_found("invitation")
    if inv.email != user.email:
        forbidden("this invitation is for another email address")
    if inv.accepted_at is not None:
        conflict("this invitation has already been accepted")
    if as_utc(inv.expires_at) <= utcnow():
        conflict("this invitation has expired; ask for a new one")
    if membership(user, inv.organization_id) is not None:
        conflict("you are already a member of this organization")
    # The invitation was mailed to this address: accepting it proves the address.
    verified_by_invitation(user, inv.email)
    inv.accepted_at = utcnow()
    m = Membership(user_id=user.id, organization_id=inv.organization_id, role=inv.role)
    db.session.add(m)
    db.session.flush()
    db.session.expire(user, ["memberships"])
    audit(
        actor=user,
        obj=m,
        action="accept_invitation",
        changes={"role": inv.role, "invitation_id": inv.id},
        organization_id=inv.organization_id,
    )
    return m


def staffed_by(user_id: int) -> sa.Select:
    """The ids of the organizations where `user_id` is an admin or staff (a subquery)."""
    return sa.select(Membership.organization_id).where(
        Membership.user_id == user_id, Membership.role.in_(STAFF_ROLES)
    )
