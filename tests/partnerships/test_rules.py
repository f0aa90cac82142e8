"""Pure rules: the agreement year, progress, health, and partner-matching scores."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.partnerships import fit
from cbec_alliance.partnerships.health import agreement_year, health, progress

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
    assert health("suspended", old, recent, on_track, NOW) == "active"  # accepted 10 days ago
    assert health("ended", recent, recent, on_track, NOW) == "ended"
    assert health("declined", recent, recent, on_track, NOW) == "ended"
    assert health("proposed", recent, recent, on_track, NOW) is None
    early = progress({"courses": 4}, {}, agreement_year(dt.date(2026, 10, 1), NOW.date()))
    assert health("active", recent, recent, early, NOW) == "active"  # before mid-term


codes = st.sampled_from(["marketing", "english", "data-analysis", "ai-tools", "logistics"])
majors = st.frozensets(st.sampled_from(["e-commerce", "marketing", "foreign-languages"]))
districts = st.sampled_from(["tianhe", "panyu", "baiyun"])
enterprises = st.builds(
    fit.EnterpriseSignals,
    district=districts,
    majors=majors,
    demand=st.dictionaries(codes, st.integers(1, 50)),
    bases=st.lists(
        st.builds(fit.Base, district=districts, competencies=st.frozensets(codes)), max_size=3
    ).map(tuple),
)
universities = st.builds(
    fit.UniversitySignals,
    district=districts,
    majors=majors,
    graduates=st.integers(0, 5000),
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
        bases=(fit.Base("tianhe", frozenset({"english", "ai-tools"})),),
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
    # 0.5 * 1 + 0.5 * 1/2
    assert fit.joint_training_bases(e, u).score == 0.75
    assert fit.joint_competitions(e, u).score == 0.5
    assert fit.joint_training_bases(fit.EnterpriseSignals(), u).score == 0.0
    assert fit.joint_competitions(e, fit.UniversitySignals()).score == 0.0
