"""Errors raised by services and views; the Api renders them as problem+json."""

from __future__ import annotations

from collections.abc import Iterable

from flask_smorest import abort


def not_found(what: str = "resource") -> None:
    """404: missing, or not visible to the caller (never reveal which)."""
    abort(404, message=f"{what} not found")


def forbidden(detail: str = "You are not allowed to do this.") -> None:
    """403: logged in but not allowed."""
    abort(403, message=detail)


def conflict(detail: str, **extra) -> None:
    """409: a state conflict such as a duplicate or a full capacity (`extra`: extra members)."""
    if extra:
        abort(409, message=detail, extra=extra)
    abort(409, message=detail)


def wrong_step(action: str, state: str, allowed: Iterable[str]) -> None:
    """409 for a lifecycle action not allowed in `state`, naming the allowed next steps."""
    steps = sorted(allowed)
    allowed_txt = ", ".join(steps) if steps else "none"
    abort(409, message=f"cannot {action} while {state}; allowed next steps: {allowed_txt}")


def invalid(field: str, message: str) -> None:
    """422 naming one field."""
    abort(422, message=f"Validation failed for: {field}", errors={field: [message]})
