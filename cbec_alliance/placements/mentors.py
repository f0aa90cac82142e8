"""Mentors: a school mentor (university staff) and an enterprise mentor (enterprise staff)
for every placement, each assigned by their own organization's staff, each holding at most
`PLACEMENT_MENTOR_MAX_STUDENTS` open placements (a `core.capacity` counter, atomic on both
databases)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core import capacity
from cbec_alliance.core.errors import conflict, invalid
from cbec_alliance.core.links import envelope
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from . import access, agreements
from .lifecycle import FINAL
from .models import MENTOR_LOAD, MentorAssignment, MentorLoad, Placement
from .notices import audit, notify

# The organization each kind of mentor belongs to, and the side that assigns them.
SIDES = {"school": "university", "enterprise": "enterprise"}
COLUMNS = {"school": "school_mentor_id", "enterprise": "enterprise_mentor_id"}


def _org_of(placement: Placement, role: str) -> int:
    return placement.university_id if role == "school" else placement.enterprise_id


def _take(mentor_id: int) -> None:
    key = {"mentor_id": mentor_id}
    capacity.ensure(MENTOR_LOAD, key)
    if capacity.take(MENTOR_LOAD, key) is None:
        limit = current_app.config["PLACEMENT_MENTOR_MAX_STUDENTS"]
        conflict(
            _("this mentor already has %(limit)s students (the limit)", limit=limit),
            mentor_id=mentor_id,
        )


def _end_current(placement: Placement, role: str) -> None:
    current = db.session.scalars(
        sa.select(MentorAssignment).where(
            MentorAssignment.placement_id == placement.id,
            MentorAssignment.role == role,
            MentorAssignment.ended_at.is_(None),
        )
    ).all()
    for assignment in current:
        assignment.ended_at = utcnow()
        capacity.give_back(MENTOR_LOAD, {"mentor_id": assignment.mentor_id})


def assign(user: User, placement: Placement, role: str, mentor_id: int) -> Placement:
    """Make `mentor_id` the placement's `role` mentor (by that side's staff)."""
    access.require_party(user, placement, SIDES[role])
    if placement.state in FINAL:
        conflict(_("a %(state)s placement takes no mentor", state=placement.state))
    mentor = db.session.get(User, mentor_id)
    if mentor is None or not access.is_staff(mentor, _org_of(placement, role)):
        invalid(
            "mentor_id",
            _(
                "a %(role)s mentor must be a staff member of the %(value)s",
                role=role,
                value=SIDES[role],
            ),
        )
    if getattr(placement, COLUMNS[role]) == mentor_id:
        return placement
    _end_current(placement, role)
    _take(mentor_id)
    setattr(placement, COLUMNS[role], mentor_id)
    db.session.add(
        MentorAssignment(
            placement_id=placement.id, role=role, mentor_id=mentor_id, assigned_by_id=user.id
        )
    )
    audit(user, placement, "assign_mentor", {"role": role, "mentor_id": mentor_id})
    notify("placement.mentor_assigned", placement, user, "", mentor_id=mentor_id, role=role)
    agreements.refresh(placement, user)
    return placement


def release(placement: Placement) -> None:
    """Give both mentors' places back (the placement ended)."""
    for role in COLUMNS:
        _end_current(placement, role)


def role_of(user: User, placement: Placement) -> str | None:
    """`school` or `enterprise` when the user is that mentor of the placement."""
    for role, column in COLUMNS.items():
        if getattr(placement, column) == user.id:
            return role
    return None


def my_placements(user: User, args: dict) -> sa.Select:
    """The placements the user mentors (either role), optionally of one state."""
    stmt = sa.select(Placement).where(
        sa.or_(Placement.school_mentor_id == user.id, Placement.enterprise_mentor_id == user.id)
    )
    if args.get("state"):
        stmt = stmt.where(Placement.state == args["state"])
    return stmt.order_by(Placement.starts_on, Placement.id)


def mentoring_page(user: User, args: dict) -> dict:
    """One page of `my_placements` in the list envelope, read in one statement: the total is
    counted beside the rows by a window (a mentor's list is read every morning, and each
    statement is a round trip). Only a page past the end, which has no row to carry the
    total, counts it apart."""
    page, per_page = args["page"], args["per_page"]
    stmt = my_placements(user, args).add_columns(sa.func.count().over().label("total"))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(my_placements(user, args).subquery())
        )
    return envelope([row.Placement for row in rows], total or 0, page, per_page)


def load(mentor_id: int) -> int:
    """How many open placements the mentor holds."""
    held = db.session.scalar(
        sa.select(MentorLoad.students).where(MentorLoad.mentor_id == mentor_id)
    )
    return held or 0
