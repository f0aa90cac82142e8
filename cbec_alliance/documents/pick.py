"""Picking one's own upload for a domain's object of some kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import kinds, services
from .models import Document

if TYPE_CHECKING:
    from cbec_alliance.accounts.models import User


def own_of_kind(
    user: User, document_id: int, kind_name: str, field: str = "document_id"
) -> Document:
    """The caller's own upload of a type the kind takes; 422 naming `field` otherwise (a
    domain's service then attaches it with `services.attach_as`)."""
    document = services.own_upload(user, document_id, field)
    kind = kinds.get(kind_name)
    if kind is None:
        raise LookupError(f"attachment kind {kind_name!r} is not registered")
    services.check_type(kind, document, field)
    return document
