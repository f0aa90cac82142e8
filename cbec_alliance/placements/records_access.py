"""Who a caller is to a placement, for the records kept while it runs (attendance, logs,
incidents): the student, a mentor, the university's or the enterprise's staff, a coordinator.

Anyone else gets 404 (never revealing that the placement exists).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import forbidden, not_found
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES
from cbec_alliance.placements.models import Placement

ROLE_TEXT = {
    "student": "the placement's student",
    "school_mentor": "the placement's school mentor",
    "enterprise_mentor": "the placement's enterprise mentor",
    "university": "the university's admins and staff",
    "enterprise": "the enterprise's admins and staff",
    "coordinator": "a coordinator",
    "overseer": "an industry association",
}


# Roles read from the placement row alone: the student checking in is known without loading
# their memberships (the morning check-in is the busiest write of the platform).
PERSONAL = ("student", "school_mentor", "enterprise_mentor")


@dataclass
class Seen:
    """A placement and the caller's roles in it (never empty)."""

    placement: Placement
    user: User
    _roles: frozenset[str] | None = None

    @property
    def roles(self) -> frozenset[str]:
        """Every role of the caller (memberships read once, when first needed)."""
        if self._roles is None:
            self._roles = roles_of(self.placement, self.user)
        return self._roles

    def require(self, *roles: str) -> str:
        """The first of `roles` the caller holds; 403 naming who may act otherwise."""
        personal = personal_roles(self.placement, self.user)
        for role in roles:
            if role in personal or (role not in PERSONAL and role in self.roles):
                return role
        forbidden(_("only %(value)s may do this", value=" or ".join(ROLE_TEXT[r] for r in roles)))
        raise AssertionError  # forbidden() raises

    def mentor_role(self) -> str:
        """`school` or `enterprise`: which of the placement's mentors the caller is (403 if
        neither)."""
        return self.require("school_mentor", "enterprise_mentor").removesuffix("_mentor")


def personal_roles(placement: Placement, user: User) -> set[str]:
    """The roles the placement row names the caller in: student, school or enterprise mentor."""
    ids = (placement.student_id, placement.school_mentor_id, placement.enterprise_mentor_id)
    return {role for role, person in zip(PERSONAL, ids, strict=True) if person == user.id}


def roles_of(placement: Placement, user: User) -> frozenset[str]:
    """The caller's roles in the placement (empty for a stranger)."""
    if not user.is_authenticated:
        return frozenset()
    roles = personal_roles(placement, user)
    for m in user.memberships:
        if m.role not in STAFF_ROLES:
            continue
        if m.organization_id == placement.university_id:
            roles.add("university")
        if m.organization_id == placement.enterprise_id:
            roles.add("enterprise")
    if user.is_coordinator:
        roles.add("coordinator")
    elif sees_all(user):  # government bodies and associations read, as coordinators do
        roles.add("overseer")
    return frozenset(roles)


def seen(placement_id: int, user: User, *, lock: bool = False) -> Seen:
    """The placement and the caller's roles; 404 when the caller has none. `lock`: the row is
    locked until the transaction ends (PostgreSQL), for a change that reads its state."""
    stmt = sa.select(Placement).where(Placement.id == placement_id)
    if lock:
        stmt = for_update(stmt).execution_options(populate_existing=True)
    placement = db.session.scalars(stmt).first()
    if placement is None:
        not_found("placement")
    view = Seen(placement, user)
    if not (personal_roles(placement, user) or view.roles):
        not_found("placement")
    return view
