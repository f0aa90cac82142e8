"""Authorization helpers shared by every domain.

They read only what every user object carries (`is_coordinator`, `memberships`), so core
imports no domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import current_user

from cbec_alliance.core.errors import forbidden

if TYPE_CHECKING:
    from cbec_alliance.accounts.models import User


def require_coordinator() -> None:
    """403 unless the caller is a government coordinator."""
    if not current_user.is_coordinator:
        forbidden("only coordinators may do this")


def sees_all(user: User) -> bool:
    """Coordinators and members of an approved industry association: they oversee the whole
    alliance (every partnership, the monitoring summaries, every survey)."""
    if user.is_coordinator:
        return True
    return any(
        m.organization.kind == "association" and m.organization.status == "approved"
        for m in user.memberships
    )


def require_monitor(user: User) -> None:
    """403 unless the caller is a coordinator or a member of an approved association."""
    if not sees_all(user):
        forbidden("monitoring is for coordinators and industry associations")
