"""Who a user is to a placement: the student, a side's staff, a mentor, or an overseer."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import forbidden, not_found
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES
from cbec_alliance.organizations.services import membership

from .models import Placement


def is_staff(user: User, org_id: int) -> bool:
    """True when the user is an admin or staff member of the organization."""
    found = membership(user, org_id)
    return found is not None and found.role in STAFF_ROLES


def parties(user: User, placement: Placement) -> set[str]:
    """The sides the user speaks for: student, university, enterprise (none: a stranger)."""
    sides = set()
    if user.id == placement.student_id:
        sides.add("student")
    if is_staff(user, placement.university_id):
        sides.add("university")
    if is_staff(user, placement.enterprise_id):
        sides.add("enterprise")
    return sides


def sees(user: User, placement: Placement) -> bool:
    """True when the user may read the placement (parties, its mentors, overseers)."""
    if parties(user, placement):
        return True
    if user.id in (placement.school_mentor_id, placement.enterprise_mentor_id):
        return True
    return sees_all(user)


def get_visible(placement_id: int, user: User) -> Placement:
    """The placement if the user may see it; 404 otherwise (nothing revealed)."""
    placement = db.session.get(Placement, placement_id)
    if placement is None or not sees(user, placement):
        not_found("placement")
    return placement


def require_party(user: User, placement: Placement, *sides: str) -> str:
    """The first of `sides` the user speaks for; 403 when none (the user can see it)."""
    mine = parties(user, placement)
    for side in sides:
        if side in mine:
            return side
    forbidden(_("only the %(sides)s side may do this", sides=" or ".join(sides)))


def get_for_update(placement_id: int, user: User) -> Placement:
    """The placement, row-locked for a change, if the user may see it; 404 otherwise."""
    placement = db.session.scalars(
        for_update(sa.select(Placement).where(Placement.id == placement_id)).execution_options(
            populate_existing=True
        )
    ).first()
    if placement is None or not sees(user, placement):
        not_found("placement")
    return placement
