"""Recording and reading the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.core.changes import jsonable
from cbec_alliance.core.errors import forbidden
from cbec_alliance.extensions import db

_SECRET_FIELDS = {"password", "password_hash", "token", "token_hash", "secret"}


def record(
    *,
    actor,
    obj,
    action: str,
    changes: dict[str, Any] | None = None,
    organization_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with the change)."""
    if getattr(obj, "id", None) is None:
        db.session.flush()
    clean = {k: ("***" if k in _SECRET_FIELDS else jsonable(v)) for k, v in (changes or {}).items()}
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        organization_id=organization_id,
        object_type=obj.__tablename__,
        object_id=str(obj.id),
        action=action,
        changes=clean,
    )
    db.session.add(entry)
    return entry


def query(*, organization_ids: list[int] | None, filters: dict[str, Any]) -> sa.Select:
    """Entries newest first; `organization_ids` None means all (coordinators)."""
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if organization_ids is not None:
        stmt = stmt.where(AuditEntry.organization_id.in_(organization_ids))
    for name in ("organization_id", "object_type", "object_id", "action", "actor_id"):
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(AuditEntry, name) == filters[name])
    return stmt


def visible(user, filters: dict[str, Any]) -> sa.Select:
    """The entries `user` may read: coordinators everything, organization admins their own
    organizations' (403 for anyone else, or for an organization they do not administer)."""
    org_ids = None
    if not user.is_coordinator:
        org_ids = [m.organization_id for m in user.memberships if m.role == "admin"]
        if not org_ids:
            forbidden("only coordinators and organization admins may read the audit log")
        wanted = filters.get("organization_id")
        if wanted is not None and wanted not in org_ids:
            forbidden("you are not an admin of that organization")
    return query(organization_ids=org_ids, filters=filters)
