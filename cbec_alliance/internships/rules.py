"""The student internship rules a posting must keep before it may be published.

Drawn from the national rules on student internships (实习管理规定): at most 8 hours a day and
40 hours a week, no night shifts, liability insurance for the intern, and no fee or deposit
charged to the student. A draft may break them; publishing (and editing an open posting)
is refused with 409 naming every rule broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MAX_HOURS_PER_DAY = Decimal(8)
MAX_HOURS_PER_WEEK = Decimal(40)


@dataclass(frozen=True)
class Rule:
    """One broken rule: a stable code and a message in Chinese and English."""

    code: str
    message: str


def violations(
    *,
    hours_per_day: Decimal,
    hours_per_week: Decimal,
    night_shifts: bool,
    insurance_provided: bool,
    fee_charged: bool,
) -> list[Rule]:
    """Every rule the posting's terms break, in a fixed order (empty: it may be published)."""
    broken = []
    if hours_per_day > MAX_HOURS_PER_DAY:
        broken.append(
            Rule(
                "max_hours_per_day",
                f"每日实习不超过 8 小时 / at most 8 hours a day ({hours_per_day})",
            )
        )
    if hours_per_week > MAX_HOURS_PER_WEEK:
        broken.append(
            Rule(
                "max_hours_per_week",
                f"每周实习不超过 40 小时 / at most 40 hours a week ({hours_per_week})",
            )
        )
    if night_shifts:
        broken.append(Rule("no_night_shifts", "不得安排夜班 / no night shifts"))
    if not insurance_provided:
        broken.append(
            Rule("insurance_required", "须为实习生投保实习责任保险 / liability insurance required")
        )
    if fee_charged:
        broken.append(
            Rule("no_fees", "不得向学生收取任何费用或押金 / no fee or deposit from the student")
        )
    return broken


def of(posting) -> list[Rule]:
    """The rules a posting (anything with the five fields) breaks."""
    return violations(
        hours_per_day=Decimal(posting.hours_per_day),
        hours_per_week=Decimal(posting.hours_per_week),
        night_shifts=posting.night_shifts,
        insurance_provided=posting.insurance_provided,
        fee_charged=posting.fee_charged,
    )
