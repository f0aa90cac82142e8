"""The kinds of object a document may be attached to, each registered by its own domain.

`documents` sits below every domain that attaches files, so it cannot ask them who may see
what; each domain registers a `Kind` (in its `attachments.py`, imported with the package)
whose functions answer for one of its objects by id. A document is visible to a user when
any object it is attached to is (`services.visible`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cbec_alliance.accounts.models import User

ANY_TYPE = frozenset({"pdf", "image", "office", "zip", "text"})


@dataclass(frozen=True)
class Kind:
    """One kind of attachment: who may read and who may attach, for a target by id.

    `can_view(user, target_id)` and `can_attach(user, target_id)` are False for a target
    that does not exist. `public(target_id)` says whether anyone, signed in or not, may read
    (a competition entry after publication, when its team allows); None means never.
    `personal`: each object belongs to one person, who alone attaches to it (a résumé). When
    that person's data is erased, a document of theirs attached only to personal objects is
    deleted; one attached to any shared object (an agreement, a course material) is kept
    without its uploader (`uploads.erase_personal`).
    """

    name: str
    can_view: Callable[[User, int], bool]
    can_attach: Callable[[User, int], bool]
    types: frozenset[str] = field(default=ANY_TYPE)
    public: Callable[[int], bool] | None = None
    personal: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (a domain does this once, at import); registering a name twice replaces."""
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    """The kind of that name, or None."""
    return KINDS.get(name)


def unregister(name: str) -> None:
    """Remove a kind (tests that register one of their own)."""
    KINDS.pop(name, None)
