"""The student internship rules, as a pure function."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.internships.rules import violations

hours = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(168), places=1)


@given(per_day=hours, per_week=hours, night=st.booleans(), insured=st.booleans(), fee=st.booleans())
def test_a_posting_passes_exactly_when_it_keeps_every_rule(per_day, per_week, night, insured, fee):
    broken = violations(
        hours_per_day=per_day,
        hours_per_week=per_week,
        night_shifts=night,
        insurance_provided=insured,
        fee_charged=fee,
    )
    keeps = per_day <= 8 and per_week <= 40 and not night and insured and not fee
    assert (broken == []) is keeps
    codes = [r.code for r in broken]
    assert ("max_hours_per_day" in codes) is (per_day > 8)
    assert ("max_hours_per_week" in codes) is (per_week > 40)
    assert ("no_night_shifts" in codes) is night
    assert ("insurance_required" in codes) is (not insured)
    assert ("no_fees" in codes) is fee


def test_the_limits_themselves_are_allowed():
    ok = violations(
        hours_per_day=Decimal(8),
        hours_per_week=Decimal(40),
        night_shifts=False,
        insurance_provided=True,
        fee_charged=False,
    )
    assert ok == []
    over = violations(
        hours_per_day=Decimal("8.1"),
        hours_per_week=Decimal("40.5"),
        night_shifts=False,
        insurance_provided=True,
        fee_charged=False,
    )
    assert [r.code for r in over] == ["max_hours_per_day", "max_hours_per_week"]
