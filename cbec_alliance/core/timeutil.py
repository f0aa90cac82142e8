"""UTC time helpers (SQLite hands back naive datetimes; they are UTC too)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

# The instants the API accepts. Python's datetime stops at years 1 and 9999, and a client's
# offset can carry a valid local time past either end (9999-12-31T23:00-14:00); a window
# well inside them also keeps the arithmetic done on a time (a day before a start, Guangzhou
# local time, a year later) from overflowing.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
RANGE_TEXT = "between 1900-01-01T00:00:00Z and 2999-12-31T23:59:59Z"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...


@overload
def as_utc(value: None) -> None: ...


def as_utc(value: datetime | None) -> datetime | None:
    """Treat a naive datetime as UTC; convert an aware one to UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def bounded_utc(value: datetime) -> datetime:
    """`value` in UTC; ValueError unless it falls between EARLIEST and LATEST."""
    try:
        utc = as_utc(value)
    except OverflowError as exc:  # its UTC form leaves datetime's years 1..9999
        raise ValueError(f"must be {RANGE_TEXT}") from exc
    if not EARLIEST <= utc <= LATEST:
        raise ValueError(f"must be {RANGE_TEXT}")
    return utc


def parse_utc(text: str) -> datetime:
    """An ISO 8601 string as an aware UTC datetime within range; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError("not an ISO 8601 string")
    return bounded_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def iso_z(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a trailing Z."""
    value = as_utc(value)
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")
