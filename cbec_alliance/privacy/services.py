"""Export and erasure of one user's personal data (PIPL articles 45 and 47).

Erasure keeps the user's row and every row that counts something (memberships,
applications, placements, registrations, audits): the alliance's figures and its audit trail
stay whole. What identifies the person goes: name and email become a pseudonym, personal
fields are emptied, credentials, login addresses, the inbox and the calendar feed are deleted,
and the account can never log in again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts import services as accounts
from cbec_alliance.accounts.models import User
from cbec_alliance.accounts.services import authenticate
from cbec_alliance.applications import services as applications
from cbec_alliance.audit.services import record as audit
from cbec_alliance.calendar import services as calendar
from cbec_alliance.conversations import retention as conversations
from cbec_alliance.core.errors import conflict, invalid
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents import uploads as documents
from cbec_alliance.extensions import db
from cbec_alliance.notifications import services as notifications
from cbec_alliance.organizations.models import Membership, Organization
from cbec_alliance.privacy import export
from cbec_alliance.privacy.models import PrivacyRequest
from cbec_alliance.students import services as students

# Each domain empties what it holds about the person (only a domain writes its tables).
ERASERS: tuple[Callable[[int], None], ...] = (
    students.erase_personal,
    applications.erase_personal,
    notifications.erase_personal,
    calendar.erase_personal,
    # Before documents: a message's attachments go with its text, so its uploads are left
    # attached to nothing and erased with the person's other uploads.
    conversations.erase_personal,
    # Uploads attached to nothing or only to the person's own objects (a résumé) go; those
    # attached to a shared object (an agreement, a course material) stay, without uploader.
    documents.erase_personal,
)


def export_for(user: User) -> dict:
    """Everything held about `user`, recorded as an export request."""
    data = export.collect(user.id)
    db.session.add(PrivacyRequest(user_id=user.id, kind="export", completed_at=utcnow()))
    return data


def _last_admin_of(user: User) -> list[Organization]:
    mine = sa.select(Membership.organization_id).where(
        Membership.user_id == user.id, Membership.role == "admin"
    )
    admins = (
        sa.select(Membership.organization_id)
        .where(Membership.organization_id.in_(mine), Membership.role == "admin")
        .group_by(Membership.organization_id)
        .having(sa.func.count() == 1)
    )
    return list(db.session.scalars(sa.select(Organization).where(Organization.id.in_(admins))))


def _last_coordinator(user: User) -> bool:
    if not user.is_coordinator:
        return False
    others = db.session.scalar(
        sa.select(sa.func.count()).where(
            User.platform_role == user.platform_role, User.is_active, User.id != user.id
        )
    )
    return not others


def erase(user: User, password: str) -> PrivacyRequest:
    """Erase the caller's personal data after checking their password; 409 when an
    organization would be left without an admin or the alliance without a coordinator."""
    if authenticate(user.email, password) is None:
        invalid("password", "does not match")
    orphaned = _last_admin_of(user)
    if orphaned:
        names = ", ".join(f"{org.name} ({org.id})" for org in orphaned)
        conflict(
            _("you are the only admin of %(names)s; make another member admin first", names=names),
            organizations=[org.id for org in orphaned],
        )
    if _last_coordinator(user):
        conflict("you are the last active coordinator; grant the role to someone first")
    pseudonym = "U" + secrets.token_hex(5)
    for erase_in_domain in ERASERS:
        erase_in_domain(user.id)
    accounts.erase_identity(user, pseudonym)
    request = PrivacyRequest(
        user_id=user.id, kind="deletion", pseudonym=pseudonym, completed_at=utcnow()
    )
    db.session.add(request)
    # The audit names the pseudonym only: the row it is about no longer says who it was.
    audit(actor=user, obj=user, action="erase", changes={"pseudonym": pseudonym})
    db.session.flush()
    return request


def requests(kind: str | None) -> sa.Select:
    """Every export and deletion, newest first (for coordinators)."""
    stmt = sa.select(PrivacyRequest).order_by(PrivacyRequest.id.desc())
    if kind:
        stmt = stmt.where(PrivacyRequest.kind == kind)
    return stmt
