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

# The organizations whose members oversee the alliance, and the roles that do: an
# association's members (any role), a government body's admins and staff. Government and
# association organizations have no other roles; the tuples say so should one be added.
OVERSEER_ROLES = {"association": ("admin", "staff"), "government": ("admin", "staff")}


def oversees(user: User) -> bool:
    """True for a member (admin or staff) of an approved government body or industry
    association: they read what coordinators read, and change nothing coordinators do."""
    return any(
        m.role in OVERSEER_ROLES.get(m.organization.kind, ())
        and m.organization.status == "approved"
        for m in user.memberships
    )


def require_coordinator() -> None:
    """403 unless the caller is a government coordinator."""
    if not current_user.is_coordinator:
        forbidden("only coordinators may do this")


def sees_all(user: User) -> bool:
    """Coordinators, and the members of an approved government body or industry association
    (`oversees`): they read the whole alliance (every partnership, the monitoring summaries,
    every survey and its report)."""
    return user.is_coordinator or oversees(user)


def require_monitor(user: User) -> None:
    """403 unless the caller is a coordinator or oversees the alliance (`oversees`)."""
    if not sees_all(user):
        forbidden("monitoring is for coordinators, government bodies and industry associations")
