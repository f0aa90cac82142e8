"""Recording and reading the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db

_SECRET_FIELDS = {"password", "password_hash", "token", "token_hash", "secret"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


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
    clean = {
        k: ("***" if k in _SECRET_FIELDS else _jsonable(v)) for k, v in (changes or {}).items()
    }
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


def changed_fields(obj, data: dict[str, Any]) -> dict[str, Any]:
    """Apply `data` to `obj` and return {field: {"from": old, "to": new}} for real changes."""
    changes: dict[str, Any] = {}
    for key, value in data.items():
        old = getattr(obj, key)
        if old != value:
            changes[key] = {"from": _jsonable(old), "to": _jsonable(value)}
            setattr(obj, key, value)
    return changes
