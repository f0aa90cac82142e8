"""Working time and place, as pure functions: distances, local days and weeks, and the hours
rules of the internship provisions (职业学校学生实习管理规定, 2021 revision).

Art. 16 (第十六条): an intern works at most 8 hours a day and 40 hours a week, never overtime
and never at night (夜班: 22:00-06:00 here). Attendance counts minutes between a check-in and
its check-out; a breach of any limit is a compliance alert (`breaches`).

Guangzhou keeps UTC+8 all year (no daylight saving), so the working day is the UTC+8 date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

LOCAL = timezone(timedelta(hours=8), "Asia/Shanghai")
EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
DAY_LIMIT_MINUTES = 8 * 60  # Art. 16: at most 8 hours a day
WEEK_LIMIT_MINUTES = 40 * 60  # Art. 16: at most 40 hours a week
NIGHT_STARTS = time(22)  # Art. 16: no night shifts
NIGHT_ENDS = time(6)

# The kinds of compliance alert, each with the clause it comes from.
KINDS = {
    "day_over_8h": "Art. 16: at most 8 hours a day (每日不超过8小时)",
    "week_over_40h": "Art. 16: at most 40 hours a week (每周不超过40小时)",
    "night_work": "Art. 16: no night shifts, 22:00-06:00 (不得安排夜班)",
}


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlng = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlng / 2) ** 2
    # min(): rounding can push `a` a hair past 1 for antipodal points.
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def local_day(at: datetime) -> date:
    """The working day (Guangzhou's date) of an instant."""
    return at.astimezone(LOCAL).date()


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end` (0 when `end` is not after `start`)."""
    return max(0, int((end - start).total_seconds() // 60))


def night_minutes(start: datetime, end: datetime) -> int:
    """Minutes of [start, end) that fall between 22:00 and 06:00 Guangzhou time."""
    if end <= start:
        return 0
    came, left = start.astimezone(LOCAL), end.astimezone(LOCAL)
    if came.date() == left.date() and came.time() >= NIGHT_ENDS and left.time() <= NIGHT_STARTS:
        return 0  # a day shift: the common case, answered without the loop below
    first = local_day(start) - timedelta(days=1)
    total = 0.0
    day = first
    while True:
        night_from = datetime.combine(day, NIGHT_STARTS, LOCAL)
        if night_from >= end:
            break
        night_to = datetime.combine(day + timedelta(days=1), NIGHT_ENDS, LOCAL)
        overlap = (min(end, night_to) - max(start, night_from)).total_seconds()
        total += max(0.0, overlap)
        day += timedelta(days=1)
    return int(total // 60)


def at_night(at: datetime) -> bool:
    """Whether an instant falls between 22:00 and 06:00 Guangzhou time."""
    clock = at.astimezone(LOCAL).time()
    return clock >= NIGHT_STARTS or clock < NIGHT_ENDS


@dataclass(frozen=True)
class Breach:
    """One broken limit: its kind, the period it is counted in (a day, or a week's Monday)
    and the minutes that broke it."""

    kind: str
    period: date
    minutes: int

    @property
    def clause(self) -> str:
        """The clause the limit comes from."""
        return KINDS[self.kind]


def breaches(day: date, day_minutes: int, week_minutes: int, night: int) -> list[Breach]:
    """The limits a day breaks: over 8 hours that day, over 40 that week (up to and including
    the day), or any minute at night."""
    found = []
    if day_minutes > DAY_LIMIT_MINUTES:
        found.append(Breach("day_over_8h", day, day_minutes))
    if week_minutes > WEEK_LIMIT_MINUTES:
        found.append(Breach("week_over_40h", week_start(day), week_minutes))
    if night > 0:
        found.append(Breach("night_work", day, night))
    return found
