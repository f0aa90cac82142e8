"""Applying a change to a row and describing it: what the audit log records as `changes`."""

from __future__ import annotations

from typing import Any


def jsonable(value: Any) -> Any:
    """`value` as JSON can hold it (dates as ISO text, sets as lists, the rest as text)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def changed_fields(obj, data: dict[str, Any]) -> dict[str, Any]:
    """Apply `data` to `obj` and return {field: {"from": old, "to": new}} for real changes."""
    changes: dict[str, Any] = {}
    for key, value in data.items():
        old = getattr(obj, key)
        if old != value:
            changes[key] = {"from": jsonable(old), "to": jsonable(value)}
            setattr(obj, key, value)
    return changes
