"""Authorization helpers shared by every domain."""

from __future__ import annotations

from cbec_alliance.accounts.auth import me
from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import forbidden


def require_coordinator() -> None:
    """403 unless the caller is a government coordinator."""
    if not me().is_coordinator:
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
