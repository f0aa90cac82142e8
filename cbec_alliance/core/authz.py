"""Authorization helpers shared by every domain."""

from __future__ import annotations

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.errors import forbidden


def require_coordinator() -> None:
    """403 unless the caller is a government coordinator."""
    if not me().is_coordinator:
        forbidden("only coordinators may do this")
