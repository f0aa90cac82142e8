"""Leave: the student asks for days off; both mentors decide, and it is approved only when
both approve (rejected as soon as one rejects)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, invalid, not_found
from cbec_alliance.extensions import db
from cbec_alliance.placements.records_access import seen
from cbec_alliance.placements.records_models import Leave

OPEN_STATES = ("preparing", "active")


def request_leave(user: User, placement_id: int, data: dict) -> Leave:
    """The student asks for the days `starts_on`..`ends_on` within the placement."""
    view = seen(placement_id, user)
    view.require("student")
    placement = view.placement
    if placement.state not in OPEN_STATES:
        conflict(
            _("the placement is %(state)s; leave is asked while it runs", state=placement.state)
        )
    if data["ends_on"] < data["starts_on"]:
        invalid("ends_on", "must not be before starts_on")
    if data["starts_on"] < placement.starts_on or data["ends_on"] > placement.ends_on:
        invalid(
            "starts_on",
            _(
                "must fall within the placement (%(starts_on)s to %(ends_on)s)",
                starts_on=placement.starts_on,
                ends_on=placement.ends_on,
            ),
        )
    leave = Leave(placement_id=placement.id, **data)
    db.session.add(leave)
    db.session.flush()
    audit(
        actor=user,
        obj=leave,
        action="request",
        changes=data,
        organization_id=placement.university_id,
    )
    return leave


def decide(user: User, placement_id: int, leave_id: int, decision: str) -> Leave:
    """A mentor approves or rejects (each mentor once; the leave row is locked meanwhile)."""
    view = seen(placement_id, user)
    role = view.mentor_role()
    leave = db.session.scalars(
        for_update(sa.select(Leave).where(Leave.id == leave_id)).execution_options(
            populate_existing=True
        )
    ).first()
    if leave is None or leave.placement_id != view.placement.id:
        not_found("leave")
    if leave.state != "requested":
        conflict(_("the leave is already %(state)s", state=leave.state))
    column = f"{role}_decision"
    if getattr(leave, column) is not None:
        conflict(
            _(
                "the %(role)s mentor already decided: %(getattr)s",
                role=role,
                getattr=getattr(leave, column),
            )
        )
    setattr(leave, column, decision)
    if decision == "rejected":
        leave.state = "rejected"
    elif leave.school_decision == leave.enterprise_decision == "approved":
        leave.state = "approved"
    audit(
        actor=user,
        obj=leave,
        action=decision,
        changes={"mentor": role, "state": leave.state},
        organization_id=view.placement.university_id,
    )
    return leave


def listing(user: User, placement_id: int) -> sa.Select:
    """A placement's leave requests, newest first."""
    placement = seen(placement_id, user).placement
    return sa.select(Leave).where(Leave.placement_id == placement.id).order_by(Leave.id.desc())
