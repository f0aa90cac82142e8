"""Progress against goals and health: pure rules, no database.

- The agreement year is the year from `starts_on` (or its latest anniversary) that contains
  today; goals are per agreement year.
- `quiet`: nothing shared for 180 days (nor since the acceptance).
- `behind`: past the middle of the agreement year with some goal under half reached.
- `ended`: ended or declined, or past its last day (`ends_on`, inclusive; today is the UTC
  date of `now`, as for the agreement year) whatever the stored status says: an agreement
  that ran out is no longer live activity, so the detail, the stored column and monitoring
  all report it as ended until someone extends `ends_on` (the status is left as it was).
- A proposal has no health yet (None), even past its end date: it never started.
- A suspended partnership keeps the health its activity gives (`active`, `quiet` or
  `behind`, exactly as if it were active), unless it is ended or expired. Health describes
  what the two sides do; `status` says the agreement is paused, and lists and monitoring
  group by both, so "suspended and quiet" and "suspended but still active" stay apart
  (the contract's four values are kept: no fifth value for suspended).
- Quiet wins over behind: nothing happening at all is the stronger signal for a coordinator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

QUIET_AFTER = dt.timedelta(days=180)


@dataclass(frozen=True)
class Year:
    """An agreement year [start, end) and how much of it has passed (0..1)."""

    start: dt.date
    end: dt.date
    elapsed: float


def _anniversary(start: dt.date, years: int) -> dt.date:
    """`start` moved by whole years; past the calendar's ends it stops at date.min or max
    (stored dates are never allowed to break the rules)."""
    year = start.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February in a common year
        return start.replace(year=year, day=28)


def agreement_year(starts_on: dt.date, today: dt.date) -> Year:
    """The agreement year containing `today` (the first one before the start)."""
    years = 0
    if today >= starts_on:
        years = today.year - starts_on.year
        if _anniversary(starts_on, years) > today:
            years -= 1
    start = _anniversary(starts_on, years)
    end = _anniversary(starts_on, years + 1)
    span = (end - start).days
    elapsed = (today - start).days / span if today >= start and span > 0 else 0.0
    return Year(start, end, min(max(elapsed, 0.0), 1.0))


def progress(goals: dict, actual: dict, year: Year) -> dict:
    """`{year_start, year_end, elapsed, goals: [{goal, target, actual, percent}]}`."""
    items = []
    for goal, target in sorted(goals.items()):
        if target is None:
            continue
        done = actual.get(goal, 0)
        percent = round(100 * done / target, 2) if target else 100.0
        items.append({"goal": goal, "target": target, "actual": done, "percent": percent})
    return {
        "year_start": year.start,
        "year_end": year.end,
        "elapsed": round(year.elapsed, 4),
        "goals": items,
    }


def expired(ends_on: dt.date | None, today: dt.date) -> bool:
    """Whether an agreement's last day (`ends_on`, inclusive) has passed."""
    return ends_on is not None and today > ends_on


def health(
    status: str,
    last_activity: dt.datetime | None,
    since: dt.datetime,
    report: dict,
    now: dt.datetime,
    ends_on: dt.date | None = None,
) -> str | None:
    """The health of a partnership (see the module docstring): `ended` iff it is ended or
    declined or, once accepted, past `ends_on`; None for a proposal; else from activity
    and goals, the same for a suspended partnership as for an active one."""
    if status == "proposed":
        return None
    if status in ("ended", "declined") or expired(ends_on, now.date()):
        return "ended"
    latest = max(since, last_activity) if last_activity else since
    if now - latest > QUIET_AFTER:
        return "quiet"
    if report["elapsed"] > 0.5 and any(
        g["target"] and g["actual"] * 2 < g["target"] for g in report["goals"]
    ):
        return "behind"
    return "active"
