"""The working-time rules and distances, as pure functions (unit and property tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.placements.hours import (
    DAY_LIMIT_MINUTES,
    LOCAL,
    WEEK_LIMIT_MINUTES,
    at_night,
    breaches,
    haversine_m,
    local_day,
    minutes_between,
    night_minutes,
    week_start,
)

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lngs = st.floats(min_value=-180, max_value=180, allow_nan=False)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
HALF_EQUATOR = 20_015_115  # metres, the longest great-circle distance (mean radius)


@given(lats, lngs, lats, lngs)
def test_distance_is_symmetric_non_negative_and_bounded(lat1, lng1, lat2, lng2):
    there = haversine_m(lat1, lng1, lat2, lng2)
    assert (
        there == haversine_m(lat2, lng2, lat1, lng1)
        or abs(there - haversine_m(lat2, lng2, lat1, lng1)) < 1e-6
    )
    assert 0 <= there <= HALF_EQUATOR + 1


@given(lats, lngs)
def test_a_point_is_zero_metres_from_itself(lat, lng):
    assert haversine_m(lat, lng, lat, lng) < 1e-6


@given(lats, lngs, lats, lngs, lats, lngs)
def test_distance_keeps_the_triangle_inequality(a1, a2, b1, b2, c1, c2):
    assert (
        haversine_m(a1, a2, c1, c2)
        <= haversine_m(a1, a2, b1, b2) + haversine_m(b1, b2, c1, c2) + 1e-6
    )


def test_known_distances():
    # Guangzhou Tower to Canton Tower's north (0.01 degree of latitude is about 1,112 m).
    assert round(haversine_m(23.1291, 113.2644, 23.1391, 113.2644)) == 1112
    # Guangzhou to Beijing, about 1,890 km.
    assert 1_880_000 < haversine_m(23.1291, 113.2644, 39.9042, 116.4074) < 1_900_000


@given(instants, st.integers(min_value=0, max_value=24 * 60))
def test_night_minutes_never_exceed_the_span_and_add_up(start, length):
    end = start + timedelta(minutes=length)
    night = night_minutes(start, end)
    assert 0 <= night <= minutes_between(start, end)
    middle = start + timedelta(minutes=length // 2)
    # Split at a minute boundary of the start: the parts add up (within rounding).
    assert abs(night_minutes(start, middle) + night_minutes(middle, end) - night) <= 1


@given(instants)
def test_a_minute_at_night_counts_exactly_when_it_is_night(start):
    start = start.replace(second=0, microsecond=0)
    assert (night_minutes(start, start + timedelta(minutes=1)) == 1) is at_night(start)


def test_night_is_22_to_6_guangzhou_time():
    day = date(2027, 3, 1)
    at = lambda h, m=0: datetime(2027, 3, 1, h, m, tzinfo=LOCAL)  # noqa: E731
    assert night_minutes(at(9), at(17)) == 0
    assert night_minutes(at(21), at(23)) == 60
    assert night_minutes(at(5), at(7)) == 60
    assert night_minutes(at(21), at(21) + timedelta(hours=10)) == 8 * 60
    assert local_day(at(0, 30)) == day
    assert local_day(datetime(2027, 2, 28, 16, 30, tzinfo=UTC)) == day  # 00:30 in Guangzhou


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_week_start_is_the_monday_on_or_before(day):
    monday = week_start(day)
    assert monday.weekday() == 0
    assert 0 <= (day - monday).days < 7


@given(
    st.integers(min_value=0, max_value=24 * 60),
    st.integers(min_value=0, max_value=7 * 24 * 60),
    st.integers(min_value=0, max_value=8 * 60),
)
def test_a_day_breaks_exactly_the_limits_it_passes(day_minutes, week_minutes, night):
    day = date(2027, 3, 3)
    kinds = {b.kind: b for b in breaches(day, day_minutes, week_minutes, night)}
    assert ("day_over_8h" in kinds) is (day_minutes > DAY_LIMIT_MINUTES)
    assert ("week_over_40h" in kinds) is (week_minutes > WEEK_LIMIT_MINUTES)
    assert ("night_work" in kinds) is (night > 0)
    if "week_over_40h" in kinds:
        assert kinds["week_over_40h"].period == date(2027, 3, 1)
    for breach in kinds.values():
        assert "Art. 16" in breach.clause


def test_the_limits_themselves_are_allowed():
    assert breaches(date(2027, 3, 1), 480, 2400, 0) == []
