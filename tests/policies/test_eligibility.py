"""The pure eligibility rules: conditions as data checked against figures."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbec_alliance.policies.eligibility import (
    BASE_LEVELS,
    FIGURES,
    describe,
    eligible,
    evaluate,
    problems,
)

DISTRICTS = ["tianhe", "nansha", "huangpu", "panyu"]
# The machine is shared: a slow first draw is not a slow strategy.
RELAXED = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
COUNTS = [f.name for f in FIGURES.values() if f.compare == "count"]


def _condition(name: str) -> st.SearchStrategy[dict]:
    figure = FIGURES[name]
    if figure.compare == "count":
        return st.builds(lambda n: {"figure": name, "min": n}, st.integers(0, 50))
    if figure.compare == "level":
        return st.sampled_from(BASE_LEVELS[1:]).map(lambda v: {"figure": name, "min": v})
    choices = list(figure.choices) or DISTRICTS
    values = st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True)
    return values.map(lambda v: {"figure": name, "in": v})


conditions = st.lists(st.sampled_from(sorted(FIGURES)), unique=True, max_size=len(FIGURES)).flatmap(
    lambda names: st.tuples(*[_condition(n) for n in names]).map(list)
)
figures = st.fixed_dictionaries(
    {
        "organization_kind": st.sampled_from(FIGURES["organization_kind"].choices),
        "district": st.sampled_from(DISTRICTS),
        "enterprise_size": st.one_of(
            st.none(), st.sampled_from(FIGURES["enterprise_size"].choices)
        ),
        "interns_hosted_12m": st.integers(0, 60),
        "active_partnerships": st.integers(0, 60),
        "training_base_level": st.sampled_from(BASE_LEVELS),
    }
)


@RELAXED
@given(conditions, figures)
def test_generated_conditions_are_valid_and_each_check_carries_its_evidence(conds, figs):
    assert problems(conds) == {}
    checks = evaluate(conds, figs)
    assert [c["figure"] for c in checks] == [c["figure"] for c in conds]
    assert all(c["found"] == figs[c["figure"]] for c in checks)
    assert eligible(checks) == all(c["passed"] for c in checks)


@RELAXED
@given(conditions, figures, st.sampled_from(COUNTS), st.integers(1, 20))
def test_more_of_a_count_never_fails_a_condition_that_passed(conds, figs, name, more):
    before = evaluate(conds, figs)
    after = evaluate(conds, {**figs, name: figs[name] + more})
    assert all(a["passed"] for b, a in zip(before, after, strict=True) if b["passed"])


@RELAXED
@given(conditions, figures)
def test_a_higher_base_level_never_fails_a_condition_that_passed(conds, figs):
    level = BASE_LEVELS.index(figs["training_base_level"])
    higher = {**figs, "training_base_level": BASE_LEVELS[min(level + 1, 3)]}
    assert eligible(evaluate(conds, higher)) or not eligible(evaluate(conds, figs))


@RELAXED
@given(conditions, figures, st.data())
def test_another_condition_never_makes_an_organization_eligible(conds, figs, data):
    unused = sorted(set(FIGURES) - {c["figure"] for c in conds})
    if not unused:
        return
    extra = data.draw(_condition(data.draw(st.sampled_from(unused))))
    if not eligible(evaluate(conds, figs)):
        assert not eligible(evaluate([*conds, extra], figs))


@RELAXED
@given(st.sampled_from(COUNTS), st.integers(0, 1000))
def test_a_minimum_is_met_exactly_at_it_and_not_one_below(name, n):
    cond = [{"figure": name, "min": n}]
    assert eligible(evaluate(cond, {name: n}))
    assert not eligible(evaluate(cond, {name: n - 1}))


def test_no_conditions_means_everyone_and_a_missing_figure_fails():
    assert eligible(evaluate([], {}))
    checks = evaluate([{"figure": "enterprise_size", "in": ["small"]}], {"enterprise_size": None})
    assert checks[0]["passed"] is False
    no_base = evaluate([{"figure": "training_base_level", "min": "municipal"}], {})
    assert no_base[0]["passed"] is False


def test_describe_names_the_requirement_and_the_figure_found():
    checks = evaluate(
        [{"figure": "interns_hosted_12m", "min": 5}, {"figure": "district", "in": ["nansha"]}],
        {"interns_hosted_12m": 2, "district": "tianhe"},
    )
    assert [describe(c) for c in checks] == [
        "interns hosted in the last 12 months (近12个月接收实习生): at least 5 required, 2 found",
        "district (所在区): one of nansha required, tianhe found",
    ]


def test_problems_name_the_field():
    assert problems([{"figure": "x", "min": 1}]) == {
        "conditions.0.figure": f"unknown figure; one of {sorted(FIGURES)}"
    }
    assert "conditions.0.min" in problems([{"figure": "active_partnerships", "min": 1.5}])
    assert "conditions" in problems([{"figure": "district", "in": ["a"]}] * 21)
    assert "conditions.1.figure" in problems(
        [{"figure": "district", "in": ["a"]}, {"figure": "district", "in": ["b"]}]
    )
