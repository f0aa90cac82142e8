"""Pure rules: the agreement year, progress, health, and partner-matching scores."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.extensions import db
from cbec_alliance.partnerships import fit
from cbec_alliance.partnerships.health import agreement_year, health, progress
from cbec_alliance.taxonomy.districts import ADJACENT, nearness

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def test_the_agreement_year_runs_from_the_latest_anniversary():
    year = agreement_year(dt.date(2025, 3, 1), dt.date(2026, 11, 25))
    assert (year.start, year.end) == (dt.date(2026, 3, 1), dt.date(2027, 3, 1))
    assert round(year.elapsed, 3) == round(269 / 365, 3)
    leap = agreement_year(dt.date(2024, 2, 29), dt.date(2025, 3, 1))
    assert (leap.start, leap.end) == (dt.date(2025, 2, 28), dt.date(2026, 2, 28))
    before = agreement_year(dt.date(2027, 1, 1), dt.date(2026, 11, 25))
    assert (before.start, before.elapsed) == (dt.date(2027, 1, 1), 0.0)


def test_the_agreement_year_never_runs_off_the_calendar():
    last = agreement_year(dt.date(9999, 12, 31), dt.date(2026, 11, 25))
    assert (last.start, last.end, last.elapsed) == (dt.date(9999, 12, 31), dt.date.max, 0.0)
    inside = agreement_year(dt.date(9996, 2, 29), dt.date(9999, 3, 1))
    assert (inside.start, inside.end) == (dt.date(9999, 2, 28), dt.date.max)
    assert 0.0 <= inside.elapsed <= 1.0
    assert agreement_year(dt.date.max, dt.date.max).elapsed == 0.0
    report = progress({"courses": 1}, {}, last)
    assert health("active", NOW, NOW, report, NOW) == "active"


def test_a_demand_without_weight_scores_like_no_demand():
    u = fit.UniversitySignals(graduates=1000, supply={"marketing": 1})
    zero = fit.EnterpriseSignals(demand={"english": 0, "marketing": 2})
    assert (
        fit.internship_employment(zero, u).score
        == fit.internship_employment(fit.EnterpriseSignals(demand={"marketing": 2}), u).score
    )


def test_progress_and_health():
    year = agreement_year(dt.date(2026, 1, 1), NOW.date())  # 89% of the year gone
    report = progress({"interns_per_year": 10, "courses": 2}, {"interns_per_year": 4}, year)
    assert [(g["goal"], g["actual"], g["percent"]) for g in report["goals"]] == [
        ("courses", 0, 0.0),
        ("interns_per_year", 4, 40.0),
    ]
    recent = NOW - dt.timedelta(days=10)
    assert health("active", recent, recent, report, NOW) == "behind"
    on_track = progress({"interns_per_year": 8}, {"interns_per_year": 4}, year)
    assert health("active", recent, recent, on_track, NOW) == "active"
    old = NOW - dt.timedelta(days=181)
    assert health("active", old, old, on_track, NOW) == "quiet"
    assert health("active", None, old, on_track, NOW) == "quiet"
    # Suspended: the health its activity gives, as if active (see health's docstring).
    assert health("suspended", old, recent, on_track, NOW) == "active"  # accepted 10 days ago
    assert health("suspended", old, old, on_track, NOW) == "quiet"
    assert health("suspended", recent, recent, report, NOW) == "behind"
    assert health("ended", recent, recent, on_track, NOW) == "ended"
    assert health("declined", recent, recent, on_track, NOW) == "ended"
    assert health("proposed", recent, recent, on_track, NOW) is None
    early = progress({"courses": 4}, {}, agreement_year(dt.date(2026, 10, 1), NOW.date()))
    assert health("active", recent, recent, early, NOW) == "active"  # before mid-term


def test_past_its_last_day_a_partnership_is_ended_whatever_its_status():
    year = agreement_year(dt.date(2026, 1, 1), NOW.date())
    behind = progress({"courses": 2}, {}, year)
    recent, old = NOW - dt.timedelta(days=10), NOW - dt.timedelta(days=400)
    today = NOW.date()
    assert health("active", recent, recent, behind, NOW, ends_on=today) == "behind"  # last day
    yesterday = today - dt.timedelta(days=1)
    for status in ("active", "suspended"):
        assert health(status, recent, recent, behind, NOW, ends_on=yesterday) == "ended"
        assert health(status, old, old, behind, NOW, ends_on=yesterday) == "ended"  # not quiet
    assert health("proposed", recent, recent, behind, NOW, ends_on=yesterday) is None
    assert health("active", recent, recent, behind, NOW, ends_on=None) == "behind"


statuses = st.sampled_from(["proposed", "active", "suspended", "ended", "declined"])
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 12, 31),
    timezones=st.just(dt.UTC),
)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
goal_sets = st.dictionaries(
    st.sampled_from(["interns_per_year", "courses", "students_trained"]), st.integers(0, 50)
)


@settings(max_examples=300)
@given(
    statuses,
    st.none() | moments,
    moments,
    moments,
    dates,
    st.none() | dates,
    goal_sets,
    goal_sets,
)
def test_health_is_ended_exactly_when_ended_declined_or_expired(
    status, last, since, now, starts_on, ends_on, goals, actual
):
    report = progress(goals, actual, agreement_year(starts_on, now.date()))
    got = health(status, last, since, report, now, ends_on=ends_on)
    if status == "proposed":
        assert got is None
        return
    expired = ends_on is not None and now.date() > ends_on
    assert (got == "ended") == (status in ("ended", "declined") or expired)
    assert got in ("active", "quiet", "behind", "ended")
    if status == "suspended":
        assert got == health("active", last, since, report, now, ends_on=ends_on)


codes = st.sampled_from(["marketing", "english", "data-analysis", "ai-tools", "logistics"])
majors = st.frozensets(st.sampled_from(["e-commerce", "marketing", "foreign-languages"]))
districts = st.sampled_from(["tianhe", "panyu", "baiyun", "nansha", "conghua", "yuexiu"])
enterprises = st.builds(
    fit.EnterpriseSignals,
    district=st.none() | districts,
    majors=majors,
    demand=st.dictionaries(codes, st.integers(1, 50)),
    bases=st.lists(
        st.builds(
            fit.Base,
            district=districts,
            competencies=st.frozensets(codes),
            capacity=st.integers(1, 80),
            in_use=st.floats(0, 80),
        ),
        max_size=3,
    ).map(tuple),
    lectures=st.integers(0, 12),
    teachers=st.integers(0, 6),
    teacher_fields=st.frozensets(codes),
    jobs=st.integers(0, 40),
    employees=st.none() | st.integers(0, 5000),
    modes=st.integers(0, 6),
)
universities = st.builds(
    fit.UniversitySignals,
    district=districts,
    majors=majors,
    graduates=st.integers(0, 5000),
    major_graduates=st.dictionaries(
        st.sampled_from(["e-commerce", "marketing", "foreign-languages"]), st.integers(0, 300)
    ),
    supply=st.dictionaries(codes, st.integers(0, 100)),
    taught=st.frozensets(codes),
    base_competencies=st.frozensets(codes),
    track_competencies=st.frozensets(codes),
)


@settings(max_examples=200)
@given(enterprises, universities)
def test_every_score_is_in_0_1_and_the_weighted_sum_of_its_reasons(e, u):
    for scorer in fit.SCORERS.values():
        result = scorer(e, u)
        assert 0.0 <= result.score <= 1.0
        total = sum(r["weight"] * r["value"] for r in result.reasons)
        assert abs(total - result.score) < 1e-3
        assert all(r["detail"] for r in result.reasons)


@settings(max_examples=200)
@given(enterprises, universities, codes, st.integers(1, 100))
def test_more_students_never_lower_the_internship_fit(e, u, code, more):
    better = fit.UniversitySignals(
        **{**u.__dict__, "supply": {**u.supply, code: u.supply.get(code, 0) + more}}
    )
    assert fit.internship_employment(e, better).score >= fit.internship_employment(e, u).score


@settings(max_examples=200)
@given(enterprises, universities, codes)
def test_teaching_a_competency_never_raises_the_course_fit(e, u, code):
    teaches_more = fit.UniversitySignals(**{**u.__dict__, "taught": u.taught | {code}})
    assert fit.co_developed_courses(e, teaches_more).score <= fit.co_developed_courses(e, u).score


def test_examples_of_each_mode():
    e = fit.EnterpriseSignals(
        district="tianhe",
        majors=frozenset({"e-commerce", "marketing"}),
        demand={"english": 3, "data-analysis": 1},
        bases=(fit.Base("tianhe", frozenset({"english", "ai-tools"}), capacity=30),),
    )
    u = fit.UniversitySignals(
        district="tianhe",
        majors=frozenset({"e-commerce"}),
        graduates=500,
        supply={"english": 3},
        taught=frozenset({"english"}),
        base_competencies=frozenset({"english"}),
        track_competencies=frozenset({"data-analysis", "marketing"}),
    )
    # 0.4 * 1/2 + 0.4 * (3 * 1 + 1 * 0) / 4 + 0.2 * 0.5
    assert fit.internship_employment(e, u).score == 0.6
    # 0.7 * 1/4 + 0.3 * 1/2
    assert fit.co_developed_courses(e, u).score == 0.325
    # 0.4 * 1 (same district) + 0.4 * 1/2 (ai-tools is new) + 0.2 * 30/30 (room)
    assert fit.joint_training_bases(e, u).score == 0.8
    assert fit.joint_competitions(e, u).score == 0.5
    assert fit.joint_training_bases(fit.EnterpriseSignals(), u).score == 0.0
    assert fit.joint_competitions(e, fit.UniversitySignals()).score == 0.0


def test_the_district_table_is_symmetric_connected_and_real(ctx):
    from cbec_alliance.taxonomy.models import TaxonomyItem

    districts = set(
        db.session.scalars(
            sa.select(TaxonomyItem.code).where(TaxonomyItem.vocabulary == "districts")
        )
    )
    assert set(ADJACENT) == districts  # the borders of exactly the vocabulary's codes
    assert len(districts) == 11
    for d, around in ADJACENT.items():
        assert around
        assert d not in around
        assert all(d in ADJACENT[n] for n in around)
    seen, todo = set(), ["yuexiu"]
    while todo:
        d = todo.pop()
        if d not in seen:
            seen.add(d)
            todo.extend(ADJACENT[d])
    assert seen == districts
    assert ADJACENT["yuexiu"] == {"liwan", "haizhu", "tianhe", "baiyun"}
    assert ADJACENT["tianhe"] == {"yuexiu", "haizhu", "baiyun", "huangpu"}
    assert ADJACENT["haizhu"] == {"yuexiu", "liwan", "tianhe", "huangpu", "panyu"}
    assert ADJACENT["panyu"] == {"liwan", "haizhu", "huangpu", "nansha"}
    assert ADJACENT["nansha"] == {"panyu"}
    assert ADJACENT["huadu"] == {"baiyun", "conghua"}
    assert ADJACENT["zengcheng"] == {"huangpu", "conghua"}
    assert nearness("tianhe", "tianhe") == "same district"
    assert nearness("tianhe", "huangpu") == "adjacent"
    assert nearness("tianhe", "panyu") == "farther"
    assert nearness("tianhe", None) == nearness("shenzhen", "tianhe") == "unknown"


def _bases_fit(district: str, *bases: fit.Base) -> fit.Fit:
    return fit.joint_training_bases(
        fit.EnterpriseSignals(bases=bases), fit.UniversitySignals(district=district)
    )


def test_a_base_scores_by_place_novelty_and_spare_room():
    base = lambda d, **kw: fit.Base(d, frozenset({"english"}), **({"capacity": 30} | kw))  # noqa: E731
    same = _bases_fit("tianhe", base("tianhe"))
    near = _bases_fit("tianhe", base("huangpu"))
    far = _bases_fit("tianhe", base("panyu"))
    unknown = fit.joint_training_bases(
        fit.EnterpriseSignals(bases=(base("panyu"),)), fit.UniversitySignals()
    )
    # 0.4 place + 0.4 novelty (english is new) + 0.2 room (30 spare places)
    assert (same.score, near.score, far.score, unknown.score) == (1.0, 0.8, 0.6, 0.6)
    place = {r["factor"]: r["detail"] for r in near.reasons}["place"]
    assert place == "base in huangpu, university in tianhe: adjacent districts"
    assert "not adjacent" in {r["factor"]: r["detail"] for r in far.reasons}["place"]
    # 12.5 students on a typical day of a 20-place base: 7 spare places.
    busy = fit.Base("tianhe", frozenset({"english"}), capacity=20, in_use=12.5)
    assert busy.spare == 7
    room = {r["factor"]: r for r in _bases_fit("tianhe", busy).reasons}["room"]
    assert (room["value"], room["detail"]) == (
        round(7 / 30, 4),
        "7 of 20 places free on a typical day of use (12.5 taken)",
    )
    assert "no session in the last year" in {r["factor"]: r["detail"] for r in same.reasons}["room"]


def test_a_base_without_a_spare_place_scores_nothing():
    full = fit.Base("tianhe", frozenset({"english"}), capacity=20, in_use=20)
    over = fit.Base("tianhe", frozenset({"english"}), capacity=20, in_use=25)
    assert full.spare == over.spare == 0
    got = _bases_fit("tianhe", full, over)
    assert got.score == 0.0
    assert got.reasons == [
        {
            "factor": "base",
            "weight": 1.0,
            "value": 0.0,
            "detail": "no spare place at its 2 approved base(s)",
        }
    ]
    far = fit.Base("conghua", frozenset({"english"}), capacity=5)
    assert _bases_fit("tianhe", full, far) == _bases_fit("tianhe", far)  # the full one is ignored


some_bases = st.builds(
    fit.Base,
    district=districts,
    competencies=st.frozensets(codes),
    capacity=st.integers(1, 80),
    in_use=st.floats(0, 80),
)


@settings(max_examples=200)
@given(universities, some_bases, st.lists(some_bases, max_size=2))
def test_a_closer_or_roomier_base_never_lowers_the_base_fit(u, base, others):
    def score(b):
        return fit.joint_training_bases(fit.EnterpriseSignals(bases=(b, *others)), u).score

    here = fit.Base(u.district, base.competencies, base.capacity, base.in_use)
    assert score(here) >= score(base)
    emptier = fit.Base(base.district, base.competencies, base.capacity, 0.0)
    assert score(emptier) >= score(base)
    full = fit.Base(base.district, base.competencies, base.capacity, base.capacity)
    alone = fit.joint_training_bases(fit.EnterpriseSignals(bases=tuple(others)), u).score
    assert score(full) == alone
