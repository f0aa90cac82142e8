"""Domain events: a domain says what happened; the notifications domain records and delivers.

Every domain emits events, and the notifications domain, which records them in its outbox
and resolves who hears them, reads organizations and users; so the recorder is a hook that
notifications provides (`notifications/outbox.py`), and no domain imports notifications to
emit.
"""

from __future__ import annotations

from typing import Any

from cbec_alliance.core.hooks import Hook

record: Hook[..., Any] = Hook("record a domain event")
record_many: Hook[..., Any] = Hook("record many domain events of one type at once")


def emit(
    event_type: str,
    payload: dict[str, Any],
    *,
    organization_id: int | None = None,
    actor: Any = None,
    dedupe_key: str | None = None,
) -> Any:
    """Record an event in the current transaction; it is delivered after the commit.

    With a `dedupe_key` an event already recorded is not recorded again (None).
    """
    return record(
        event_type,
        payload,
        organization_id=organization_id,
        actor=actor,
        dedupe_key=dedupe_key,
    )


def emit_many(
    event_type: str, payloads: list[dict[str, Any]], *, organization_id: int | None, actor: Any
) -> None:
    """Record one event per payload in the current transaction, with set-based inserts (a
    roster of thousands); they are delivered after the commit like any other."""
    record_many(event_type, payloads, organization_id=organization_id, actor=actor)
