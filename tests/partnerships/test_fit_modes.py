"""The later partner-matching modes (issue 20): lectures, joint teaching and the programme
kinds, by example and by property."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.partnerships import fit
from tests.partnerships.test_rules import codes, enterprises, universities

LATER = ("lectures", "joint-teaching", "order-class", "apprenticeship", "industry-college")

E = fit.EnterpriseSignals(
    district="tianhe",
    majors=frozenset({"e-commerce", "marketing"}),
    demand={"english": 3, "data-analysis": 1},
    lectures=2,
    teachers=2,
    teacher_fields=frozenset({"english", "ai-tools"}),
    jobs=4,
    employees=250,
    modes=2,
)
U = fit.UniversitySignals(
    district="huangpu",  # adjacent to tianhe
    majors=frozenset({"e-commerce"}),
    graduates=500,
    major_graduates={"e-commerce": 80, "logistics": 420},
    supply={"english": 3},
    taught=frozenset({"english"}),
)


def _reasons(result: fit.Fit) -> dict[str, tuple[float, str]]:
    return {r["factor"]: (r["value"], r["detail"]) for r in result.reasons}


def test_lectures_go_where_students_lack_what_the_enterprise_knows():
    got = fit.lectures(E, U)
    # 0.5 * 1/4 (data-analysis short, english covered) + 0.3 * 0.5 (adjacent) + 0.2 * 2/4
    assert got.score == round(0.5 * 0.25 + 0.3 * 0.5 + 0.2 * 0.5, 4) == 0.375
    reasons = _reasons(got)
    assert reasons["topics"][1] == "its demand that the students fall short of: ['data-analysis']"
    assert reasons["place"][1] == "enterprise in tianhe, university in huangpu: adjacent districts"
    assert reasons["record"] == (0.5, "2 events in the last year")
    nothing = fit.lectures(fit.EnterpriseSignals(), U)
    assert nothing.score == 0.0
    assert _reasons(nothing)["topics"][1] == "demands nothing yet: no topic known"


def test_joint_teaching_needs_enterprise_teachers_whose_fields_are_taught():
    got = fit.joint_teaching(E, U)
    # 0.5 * 1/2 (english taught, ai-tools not) + 0.3 * 2/3 + 0.2 * 0.5
    assert got.score == round(0.5 * 0.5 + 0.3 * (2 / 3) + 0.2 * 0.5, 4) == 0.55
    assert _reasons(got)["fields"][1] == "its teachers' fields taught there: ['english']"
    alone = fit.joint_teaching(dataclasses.replace(E, teachers=0, teacher_fields=frozenset()), U)
    assert _reasons(alone)["fields"] == (0.0, "no enterprise teacher with a field yet")
    assert alone.score == 0.1  # only the place counts


def test_an_order_class_follows_the_jobs_and_the_graduates_of_the_asked_majors():
    got = fit.order_class(E, U)
    # 0.5 * 4/10 + 0.3 * 1/2 (e-commerce taught, marketing not) + 0.2 * 80/100
    assert got.score == round(0.5 * 0.4 + 0.3 * 0.5 + 0.2 * 0.8, 4) == 0.51
    assert _reasons(got)["hiring"][1] == "4 open full-time places"
    assert _reasons(got)["graduates"][1] == "80 graduates a year in the majors it asks for"
    any_major = fit.order_class(dataclasses.replace(E, majors=frozenset()), U)
    assert _reasons(any_major)["graduates"] == (1.0, "500 graduates a year")


def test_an_apprenticeship_needs_room_under_the_ten_percent_rule():
    got = fit.apprenticeship(E, U)
    # 0.4 * 0.5 (adjacent) + 0.3 * (3 + 0) / 4 + 0.3 * (25 apprentices -> 1)
    assert got.score == round(0.4 * 0.5 + 0.3 * 0.75 + 0.3 * 1.0, 4) == 0.725
    assert _reasons(got)["room"][1] == "25 apprentices at once (10% of employees)"
    small = fit.apprenticeship(dataclasses.replace(E, employees=49), U)
    assert _reasons(small)["room"] == (0.4, "4 apprentices at once (10% of employees)")
    unknown = fit.apprenticeship(dataclasses.replace(E, employees=None), U)
    assert _reasons(unknown)["room"] == (0.0, "its employee count is not known")


def test_an_industry_college_wants_scale_majors_and_breadth():
    got = fit.industry_college(E, U)
    # 0.4 * 250/1000 + 0.3 * 1/2 + 0.3 * 2/3
    assert got.score == round(0.4 * 0.25 + 0.3 * 0.5 + 0.3 * (2 / 3), 4) == 0.45
    assert _reasons(got)["breadth"][1] == "2 cooperation modes running"
    assert _reasons(fit.industry_college(dataclasses.replace(E, employees=None), U))["scale"] == (
        0.0,
        "its employee count is not known",
    )


def test_every_cooperation_mode_and_programme_kind_has_a_scorer(ctx):
    """No mode of the vocabulary and no programme kind answers 422 (issue 20)."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.programmes.models import KINDS
    from cbec_alliance.taxonomy.models import TaxonomyItem

    modes = db.session.scalars(
        sa.select(TaxonomyItem.code).where(TaxonomyItem.vocabulary == "cooperation-modes")
    )
    assert set(fit.SCORERS) == set(modes) | {k.replace("_", "-") for k in KINDS}
    assert len(fit.SCORERS) == 9


def _score(mode: str, e: fit.EnterpriseSignals, u: fit.UniversitySignals) -> float:
    return fit.SCORERS[mode](e, u).score


@settings(max_examples=200)
@given(enterprises, universities)
def test_moving_into_the_universitys_district_never_lowers_a_score(e, u):
    here = dataclasses.replace(e, district=u.district)
    for mode in LATER:
        assert _score(mode, here, u) >= _score(mode, e, u), mode


@settings(max_examples=200)
@given(enterprises, universities, st.integers(1, 20), st.integers(1, 2000))
def test_more_events_teachers_jobs_employees_or_modes_never_lower_a_score(e, u, more, staff):
    grown = dataclasses.replace(
        e,
        lectures=e.lectures + more,
        teachers=e.teachers + more,
        jobs=e.jobs + more,
        employees=(e.employees or 0) + staff,
        modes=e.modes + more,
    )
    for mode in LATER:
        assert _score(mode, grown, u) >= _score(mode, e, u), mode


@settings(max_examples=200)
@given(enterprises, universities, codes)
def test_teaching_a_teachers_field_never_lowers_joint_teaching(e, u, code):
    teaches_more = dataclasses.replace(u, taught=u.taught | {code})
    assert _score("joint-teaching", e, teaches_more) >= _score("joint-teaching", e, u)


@settings(max_examples=200)
@given(enterprises, universities, codes, st.integers(1, 100))
def test_more_students_never_raise_the_lecture_topics(e, u, code, more):
    better = dataclasses.replace(u, supply={**u.supply, code: u.supply.get(code, 0) + more})
    assert _score("lectures", e, better) <= _score("lectures", e, u)
