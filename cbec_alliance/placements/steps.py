"""Taking one step of the placement lifecycle: the state, its time, the audit entry, the
event, and the mentors' places given back when the placement ends."""

from __future__ import annotations

from flask_babel import gettext as _

from cbec_alliance.core.errors import conflict
from cbec_alliance.core.timeutil import utcnow

from . import mentors, rules
from .lifecycle import FINAL, LIFECYCLE
from .models import Placement
from .notices import audit, notify


def move(placement: Placement, verb: str, actor, detail: str = "", **changes) -> Placement:
    """Take `verb` (409 naming the allowed steps when the state does not allow it)."""
    target = LIFECYCLE.target(placement.state, verb)
    before = placement.state
    placement.state = target
    placement.state_changed_at = now = utcnow()
    if target == "active" and placement.activated_at is None:
        placement.activated_at = now
    if target in FINAL:
        placement.ended_at = now
        mentors.release(placement)
    for name, value in changes.items():
        setattr(placement, name, value)
    audit(actor, placement, verb, {"state": {"from": before, "to": target}, **changes})
    notify(f"placement.{target}", placement, actor, detail)
    return placement


def refuse(detail: str, findings: list[rules.Finding]) -> None:
    """409 naming every finding that refuses a step (each with its clause)."""
    listed = "; ".join(
        f"{f.clause.code} ({f.detail})" if f.detail else f.clause.code for f in findings
    )
    conflict(
        _("%(detail)s: %(listed)s", detail=detail, listed=listed),
        rules=[f.as_dict() for f in findings],
    )
