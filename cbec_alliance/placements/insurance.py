"""Internship liability insurance: policies recorded by either side, the cover they give
together, and the beat sweep that flags a cover ending before the placement does."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import conflict, invalid
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from . import access, agreements, facts, rules
from .lifecycle import FINAL, OPEN
from .models import Insurance, Placement
from .notices import audit, notify


def add(user: User, placement: Placement, data: dict) -> Insurance:
    """Record a policy (the university's or the enterprise's staff)."""
    access.require_party(user, placement, "university", "enterprise")
    if placement.state in FINAL:
        conflict(_("a %(state)s placement takes no new insurance", state=placement.state))
    if data["covers_to"] < data["covers_from"]:
        invalid("covers_to", "the cover must end on or after the day it starts")
    policy = Insurance(placement_id=placement.id, recorded_by_id=user.id, **data)
    db.session.add(policy)
    db.session.flush()
    audit(user, placement, "insure", {**data, "insurance_id": policy.id})
    agreements.refresh(placement, user)
    return policy


def coverage(placement: Placement) -> dict:
    """The placement's policies and what they cover together."""
    found = facts.policies(placement)
    spans = [(p.covers_from, p.covers_to) for p in found]
    gap = rules.first_uncovered(spans, placement.starts_on)
    return {
        "policies": found,
        "covers_placement": rules.covers(spans, placement.starts_on, placement.ends_on),
        "first_uncovered_day": gap if gap <= placement.ends_on else None,
    }


def _candidates(today: date, ahead: date) -> sa.Select:
    # Open placements under way within the week whose last covered day comes before their
    # end or the week's end (a gap in the middle of later policies is found when the
    # placement is read; the sweep looks at where cover runs out).
    last = (
        sa.select(Insurance.placement_id, sa.func.max(Insurance.covers_to).label("last"))
        .group_by(Insurance.placement_id)
        .subquery()
    )
    horizon = sa.case((Placement.ends_on < ahead, Placement.ends_on), else_=ahead)
    return (
        sa.select(Placement)
        .outerjoin(last, last.c.placement_id == Placement.id)
        .where(
            Placement.state.in_(OPEN),
            Placement.starts_on <= ahead,
            Placement.ends_on >= today,
            sa.or_(last.c.last.is_(None), last.c.last < horizon),
        )
        .order_by(Placement.id)
    )


def _flag(placement: Placement, gap: date) -> bool:
    """Tell both sides (once per gap: the event's key names it); True when told now."""
    until = (gap - timedelta(days=1)).isoformat()
    event = notify(
        "placement.insurance_ending",
        placement,
        None,
        f"保险只覆盖到 {until} / cover ends on {until}",
        dedupe_key=f"placement:{placement.id}:insurance-gap:{gap.isoformat()}",
        covered_until=until,
    )
    if event is None:
        return False
    db.session.execute(
        sa.update(Insurance)
        .where(Insurance.placement_id == placement.id, Insurance.gap_flagged_at.is_(None))
        .values(gap_flagged_at=utcnow())
    )
    return True


def flag_gaps(today: date | None = None) -> int:
    """Tell both sides of cover ending within the warning days before the placement ends;
    the number of placements flagged now."""
    today = today or facts.today()
    ahead = today + timedelta(days=current_app.config["PLACEMENT_INSURANCE_WARN_DAYS"])
    flagged = 0
    for placement in db.session.scalars(_candidates(today, ahead)).all():
        spans = [(p.covers_from, p.covers_to) for p in facts.policies(placement)]
        gap = rules.first_uncovered(spans, placement.starts_on)
        if gap <= min(placement.ends_on, ahead):
            flagged += _flag(placement, gap)
    return flagged
