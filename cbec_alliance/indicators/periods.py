"""Periods of an indicator and regions it may describe.

A period is one of (case-insensitive in, upper-case out):
- `2019`: the year;
- `2020-H1`, `2020-H2`: a half year;
- `2020-Q3`: a quarter;
- `2020-06`: a month;
- `2020-YTD10`: January through October, cumulative (官方统计的"1-10月累计").

Every period lies in one year (2000..2100), which is what a report of that year reads. A
region is a GB/T 2260 code the destinations know (provinces, Guangdong's cities, Guangzhou's
districts) or `CN`, the whole country.
"""

from __future__ import annotations

import datetime as dt
import re

from cbec_alliance.destinations.regions import REGIONS

NATIONAL = "CN"
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]|YTD(?:0?[1-9]|1[0-2])))?$")


def region_names(code: str) -> tuple[str, str] | None:
    """(zh, en) of a region code, or None when it is not one."""
    if code == NATIONAL:
        return ("全国", "China")
    return REGIONS.get(code)


def parse_period(value: object) -> tuple[str, int]:
    """(canonical period, its year); ValueError naming the forms for anything else. A
    spreadsheet's whole number (2019, 2019.0) is a year; a date cell is its month."""
    if isinstance(value, dt.datetime | dt.date):
        value = f"{value.year:04d}-{value.month:02d}"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("a period is YYYY, YYYY-H1, YYYY-Q1, YYYY-MM or YYYY-YTDn")
    text = str(value).strip().upper()
    match = _PERIOD.match(text)
    if match is None:
        raise ValueError("a period is YYYY, YYYY-H1, YYYY-Q1, YYYY-MM or YYYY-YTDn")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError("the year must be between 2000 and 2100")
    part = match.group(2)
    if part and part.startswith("YTD"):
        part = f"YTD{int(part[3:])}"
    return (f"{year}-{part}" if part else str(year)), year


def sort_key(period: str) -> tuple[int, int, int]:
    """Periods in time order within a year: months, then quarters, halves, year-to-date,
    and the whole year last (each by the month it ends)."""
    year, _, part = period.partition("-")
    if not part:
        return int(year), 12, 9
    if part.startswith("YTD"):
        return int(year), int(part[3:]), 8
    if part[0] == "H":
        return int(year), 6 * int(part[1]), 7
    if part[0] == "Q":
        return int(year), 3 * int(part[1]), 6
    return int(year), int(part), 0
