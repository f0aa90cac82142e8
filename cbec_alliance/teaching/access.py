"""Who acts for which organization: the approved universities and enterprises a user is
admin or staff of."""

from __future__ import annotations

from cbec_alliance.accounts.models import User
from cbec_alliance.organizations.models import STAFF_ROLES


def staff_org_ids(user: User, kind: str) -> list[int]:
    """Ids of the approved organizations of `kind` the user is admin or staff of."""
    if not user.is_authenticated:
        return []
    return sorted(
        m.organization_id
        for m in user.memberships
        if m.role in STAFF_ROLES
        and m.organization.kind == kind
        and m.organization.status == "approved"
    )


def is_staff_of(user: User, org_id: int) -> bool:
    """Whether the user is admin or staff of the organization."""
    return user.is_authenticated and any(
        m.organization_id == org_id and m.role in STAFF_ROLES for m in user.memberships
    )
