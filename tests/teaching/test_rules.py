"""The dual-qualified rule as a pure function: examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.teaching.rules import (
    DAYS_PER_MONTH,
    Rule,
    is_dual_qualified,
    practice_days,
    practice_months,
    window_start,
)

TODAY = date(2027, 6, 7)
RULE = Rule(months=6, years=5, by_title=True)


def test_six_months_of_practice_within_five_years_count():
    stay = (date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=179))
    assert practice_days([stay], TODAY, 5) == 180
    assert practice_months([stay], TODAY, 5) == 6.0
    assert is_dual_qualified([stay], None, TODAY, RULE)
    one_short = (stay[0], stay[1] - timedelta(days=1))
    assert not is_dual_qualified([one_short], None, TODAY, RULE)


def test_only_days_inside_the_window_and_not_after_today_count():
    old = (date(2021, 1, 1), date(2022, 12, 31))  # window opens 2022-06-07
    assert practice_days([old], TODAY, 5) == (date(2022, 12, 31) - date(2022, 6, 7)).days + 1
    future = (date(2027, 6, 1), date(2027, 12, 31))
    assert practice_days([future], TODAY, 5) == 7
    assert practice_days([(date(2028, 1, 1), date(2028, 6, 1))], TODAY, 5) == 0


def test_overlapping_stays_count_each_day_once():
    a = (date(2026, 1, 1), date(2026, 3, 31))
    b = (date(2026, 3, 1), date(2026, 5, 31))
    assert practice_days([a, b], TODAY, 5) == (date(2026, 5, 31) - date(2026, 1, 1)).days + 1


def test_an_industry_title_counts_when_the_rule_says_so():
    assert is_dual_qualified([], "高级电子商务师", TODAY, RULE)
    assert not is_dual_qualified([], "  ", TODAY, RULE)
    assert not is_dual_qualified([], "高级电子商务师", TODAY, Rule(6, 5, by_title=False))


def test_the_window_of_a_leap_day():
    assert window_start(date(2028, 2, 29), 5) == date(2023, 2, 28)
    assert window_start(date(2028, 2, 29), 4) == date(2024, 2, 29)


days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
spans = st.tuples(days, st.integers(min_value=0, max_value=400)).map(
    lambda t: (t[0], t[0] + timedelta(days=t[1]))
)
rules = st.builds(
    Rule,
    st.integers(min_value=0, max_value=24),
    st.integers(min_value=1, max_value=10),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=6), spans, days, rules)
def test_more_practice_never_takes_the_status_away(stays, extra, today, rule):
    if is_dual_qualified(stays, None, today, rule):
        assert is_dual_qualified([*stays, extra], None, today, rule)
    assert practice_days([*stays, extra], today, rule.years) >= practice_days(
        stays, today, rule.years
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=6), days, st.integers(min_value=1, max_value=10))
def test_days_are_order_free_duplicate_free_and_bounded_by_the_window(stays, today, years):
    counted = practice_days(stays, today, years)
    assert counted == practice_days(list(reversed(stays)), today, years)
    assert counted == practice_days(stays + stays, today, years)
    assert 0 <= counted <= (today - window_start(today, years)).days + 1
    assert counted <= sum((end - start).days + 1 for start, end in stays)


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=6), days, rules, st.text(min_size=1, max_size=10))
def test_a_title_qualifies_exactly_when_titles_count(stays, today, rule, title):
    with_title = is_dual_qualified(stays, title, today, rule)
    without = is_dual_qualified(stays, None, today, rule)
    if rule.by_title and title.strip():
        assert with_title
    else:
        assert with_title == without


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=6), days, rules)
def test_practice_qualifies_exactly_when_its_days_reach_the_months(stays, today, rule):
    # The rule first compares the stays' whole lengths with the months (a shortcut): the
    # answer is still the counted days' alone.
    needed = rule.months * DAYS_PER_MONTH
    assert is_dual_qualified(stays, None, today, rule) == (
        practice_days(stays, today, rule.years) >= needed
    )
