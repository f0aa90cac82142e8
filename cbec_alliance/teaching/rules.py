"""The dual-qualified (双师型) rule: pure functions of a teacher's confirmed stays and title.

A teacher counts as dual-qualified when their confirmed practice in enterprises within the
last `years` years (the window ends today; days after today do not count yet) adds up to at
least `months` months of 30 days, overlapping stays counted once; or, when `by_title`, when
they hold an industry title. The settings DUAL_QUALIFIED_PRACTICE_MONTHS,
DUAL_QUALIFIED_YEARS and DUAL_QUALIFIED_BY_INDUSTRY_TITLE (config/settings.py) choose the
figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Rule:
    """The figures of the rule."""

    months: int = 6
    years: int = 5
    by_title: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Rule:
        """The rule the app's settings define."""
        return cls(
            months=int(config["DUAL_QUALIFIED_PRACTICE_MONTHS"]),
            years=int(config["DUAL_QUALIFIED_YEARS"]),
            by_title=bool(config["DUAL_QUALIFIED_BY_INDUSTRY_TITLE"]),
        )

    def describe(self) -> dict:
        """The rule as the API documents it."""
        return {
            "practice_months": self.months,
            "within_years": self.years,
            "industry_title_counts": self.by_title,
            "days_per_month": DAYS_PER_MONTH,
        }


def window_start(today: date, years: int) -> date:
    """The first day counted: the same day `years` years back (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def practice_days(stays: Iterable[tuple[date, date]], today: date, years: int) -> int:
    """Days of the stays (first and last day included) inside the window, each day once."""
    first = window_start(today, years)
    spans = sorted(
        (max(start, first), min(end, today))
        for start, end in stays
        if max(start, first) <= min(end, today)
    )
    days, reached = 0, first - timedelta(days=1)
    for start, end in spans:
        start = max(start, reached + timedelta(days=1))
        if end >= start:
            days += (end - start).days + 1
            reached = end
    return days


def practice_months(stays: Iterable[tuple[date, date]], today: date, years: int) -> float:
    """The counted days in months of 30 days, to one decimal."""
    return round(practice_days(stays, today, years) / DAYS_PER_MONTH, 1)


def is_dual_qualified(
    stays: Iterable[tuple[date, date]], industry_title: str | None, today: date, rule: Rule
) -> bool:
    """Whether the teacher counts as dual-qualified under `rule` on `today`."""
    if rule.by_title and industry_title and industry_title.strip():
        return True
    needed = rule.months * DAYS_PER_MONTH
    stays = list(stays)
    # The stays' whole lengths bound the days counted: most teachers fall short of it
    # without the overlaps and the window being worked out.
    if sum((end - start).days + 1 for start, end in stays) < needed:
        return False
    return practice_days(stays, today, rule.years) >= needed
