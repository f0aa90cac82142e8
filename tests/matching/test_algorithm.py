"""Deferred acceptance: unit tests, and property tests against a brute-force stability check
and the `matching` package's student-optimal solution."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from cbec_alliance.matching.algorithm import (
    InstanceError,
    Lists,
    build,
    build_arrays,
    check,
    match,
    match_arrays,
)


def blocking_pairs(capacities, student_prefs, posting_ranks, result) -> list:
    """Every (student, posting) pair that would both rather be together (brute force)."""
    held = {p: [s for s, q in result.items() if q == p] for p in capacities}
    found = []
    for s, prefs in student_prefs.items():
        for p in prefs:
            if result.get(s) == p:
                break
            ranks = posting_ranks.get(p, [])
            if s not in ranks:
                continue
            worst = max((ranks.index(t) for t in held[p]), default=-1)
            if len(held[p]) < capacities[p] or ranks.index(s) < worst:
                found.append((s, p))
    return found


def valid(capacities, student_prefs, posting_ranks, result) -> bool:
    """Within capacity and every pair mutually acceptable."""
    load = {p: 0 for p in capacities}
    for s, p in result.items():
        if p not in student_prefs[s] or s not in posting_ranks.get(p, []):
            return False
        load[p] += 1
    return all(load[p] <= capacities[p] for p in capacities)


@st.composite
def instances(draw, exclusions: bool = True):
    """Small random instances; a posting ranks those who listed it, minus some it excludes."""
    n_students = draw(st.integers(1, 9))
    n_postings = draw(st.integers(1, 5))
    postings = list(range(100, 100 + n_postings))
    capacities = {p: draw(st.integers(1, 3)) for p in postings}
    student_prefs = {}
    for s in range(1, n_students + 1):
        chosen = draw(st.lists(st.sampled_from(postings), min_size=1, unique=True))
        student_prefs[s] = chosen
    posting_ranks = {}
    for p in postings:
        listed = [s for s, prefs in student_prefs.items() if p in prefs]
        order = draw(st.permutations(listed))
        if exclusions:
            order = [s for s in order if not draw(st.booleans()) or len(order) < 2]
        posting_ranks[p] = order
    return capacities, student_prefs, posting_ranks


def package_solution(capacities, student_prefs, posting_ranks) -> dict:
    """The `matching` package's student-optimal matching, over mutually acceptable pairs."""
    ok = {(s, p) for p, ranks in posting_ranks.items() for s in ranks}
    residents = {s: [p for p in prefs if (s, p) in ok] for s, prefs in student_prefs.items()}
    residents = {s: prefs for s, prefs in residents.items() if prefs}
    hospitals = {p: [s for s in ranks if s in residents] for p, ranks in posting_ranks.items()}
    hospitals = {p: ranks for p, ranks in hospitals.items() if ranks}
    if not residents:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {p: capacities[p] for p in hospitals}
        )
        solution = game.solve(optimal="resident")
    return {r.name: h.name for h, rs in solution.items() for r in rs}


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_result_is_stable_within_capacity_and_verified(instance):
    result = match(*instance)
    assignments = result.assignments()
    assert valid(*instance, assignments)
    assert blocking_pairs(*instance, assignments) == []
    assert result.verdict.stable


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_result_equals_the_matching_package_student_optimal_solution(instance):
    assert match(*instance).assignments() == package_solution(*instance)


@settings(max_examples=200, deadline=None)
@given(instances(exclusions=False), st.data())
def test_the_check_finds_a_planted_blocking_pair_or_overload(instance, data):
    result = match(*instance)
    inst = result.instance
    # Move one student to another of their choices: the result stops being the stable one
    # unless the move is harmless, which the brute force decides independently.
    s = data.draw(st.integers(0, len(inst.student_ids) - 1))
    options = list(range(inst.pref_ptr[s], inst.pref_ptr[s + 1]))
    choice = result.choice.copy()
    choice[s] = data.draw(st.sampled_from([*options, -1]))
    moved = check(inst, choice)
    ids = moved.assignments()
    expected_stable = valid(*instance, ids) and not blocking_pairs(*instance, ids)
    assert moved.verdict.stable == expected_stable


def test_a_student_is_held_until_someone_the_posting_ranks_higher_arrives():
    capacities = {"a": 1, "b": 1}
    prefs = {"x": ["a", "b"], "y": ["a", "b"]}
    ranks = {"a": ["y", "x"], "b": ["x", "y"]}
    result = match(capacities, prefs, ranks)
    assert result.assignments() == {"y": "a", "x": "b"}
    assert result.position().tolist() == [1, 0]
    assert result.cutoff.tolist() == [0, 0]


def test_students_who_do_not_list_a_posting_are_ignored_in_its_ranking():
    result = match({"a": 1}, {"x": ["a"]}, {"a": ["ghost", "x"]})
    assert result.assignments() == {"x": "a"}


def test_a_student_the_posting_does_not_rank_is_unacceptable():
    result = match({"a": 2}, {"x": ["a"], "y": ["a"]}, {"a": ["y"]})
    assert result.assignments() == {"y": "a"}
    assert result.instance.pref_rank.tolist() == [-1, 0]


def test_zero_capacity_takes_nobody_and_empty_lists_stay_unmatched():
    result = match({"a": 0, "b": 1}, {"x": ["a", "b"], "y": []}, {"a": ["x"], "b": ["x"]})
    assert result.assignments() == {"x": "b"}
    assert result.filled.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("capacities", "prefs", "ranks", "message"),
    [
        ({"a": 1}, {"x": ["a", "a"]}, {"a": ["x"]}, "lists posting 'a' twice"),
        ({"a": 1}, {"x": ["b"]}, {"a": ["x"]}, "unknown posting id 'b'"),
        ({"a": 1}, {"x": ["a"]}, {"b": ["x"]}, "unknown posting id 'b'"),
        ({"a": 1}, {"x": ["a"]}, {"a": ["x", "x"]}, "ranks student 'x' twice"),
        ({"a": -1}, {"x": ["a"]}, {"a": ["x"]}, "negative"),
    ],
)
def test_bad_instances_are_refused_with_the_offending_id(capacities, prefs, ranks, message):
    with pytest.raises(InstanceError, match=message):
        build(capacities, prefs, ranks)


@pytest.mark.parametrize(
    ("capacities", "prefs", "ranks", "message"),
    [
        ({1: 1}, {7: [2]}, {1: [7]}, "unknown posting id 2"),
        ({1: 1}, {7: [1]}, {10**9: [7]}, "unknown posting id 1000000000"),
        ({1: 1}, {7: [1, 1]}, {1: [7]}, "lists posting 1 twice"),
        ({1: 1}, {7: [1]}, {1: [7, 7]}, "ranks student 7 twice"),
    ],
)
def test_bad_integer_instances_are_refused_with_the_offending_id(capacities, prefs, ranks, message):
    with pytest.raises(InstanceError, match=message):
        build(capacities, prefs, ranks)


def _relabel(instance, label):
    capacities, prefs, ranks = instance
    return (
        {label(p): c for p, c in capacities.items()},
        {label(s): [label(p) for p in ps] for s, ps in prefs.items()},
        {label(p): [label(s) for s in ss] for p, ss in ranks.items()},
    )


@settings(max_examples=200, deadline=None)
@given(
    instances(),
    st.sampled_from(["dense", "sparse", "negative", "string", "mixed"]),
    st.lists(st.integers(-(2**40), 2**40), max_size=3),
)
def test_ids_of_any_kind_build_the_same_instance(instance, kind, strangers):
    """Integer ids take array lookups (a table when dense, a binary search when sparse);
    other ids a dict: the arrays built are the same, and strangers ranked are ignored."""
    label = {
        "dense": lambda i: i,
        "sparse": lambda i: i * 1_000_003 + 2**33,
        "negative": lambda i: -i,
        "string": lambda i: f"id-{i}",
        "mixed": lambda i: i if i % 2 else f"id-{i}",
    }[kind]
    capacities, prefs, ranks = _relabel(instance, label)
    for p in ranks:  # rankings of ids that are no students of the instance are harmless
        ranks[p] = ranks[p] + [x for x in strangers if x not in prefs and x not in ranks[p]]
    reference = build(*_relabel(instance, lambda i: f"ref-{i}"))
    built = build(capacities, prefs, ranks)
    for name in ("capacity", "pref_ptr", "pref_posting", "pref_rank"):
        assert np.array_equal(getattr(built, name), getattr(reference, name)), name


def as_arrays(instance):
    """An instance of integer ids as `build_arrays` takes it."""
    capacities, prefs, ranks = instance
    ids = np.array(list(capacities), dtype=np.int64)
    slots = np.array(list(capacities.values()), dtype=np.int64)
    return ids, slots, Lists.of(prefs), Lists.of(ranks)


ARRAYS = ("capacity", "pref_ptr", "pref_posting", "pref_rank")


@settings(max_examples=200, deadline=None)
@given(instances(), st.lists(st.integers(1000, 2000), max_size=3, unique=True))
def test_arrays_build_what_dicts_build_and_match_the_package(instance, strangers):
    """The array path (a round's worker, the benchmark) and the dict path give the same
    arrays, and the same matching as the `matching` package."""
    capacities, prefs, ranks = instance
    ranks = {p: [*ss, *strangers] for p, ss in ranks.items()}  # rankings of non-students
    from_dicts = build(capacities, prefs, ranks)
    from_arrays = build_arrays(*as_arrays((capacities, prefs, ranks)))
    for name in ARRAYS:
        assert getattr(from_arrays, name).dtype == getattr(from_dicts, name).dtype, name
        assert np.array_equal(getattr(from_arrays, name), getattr(from_dicts, name)), name
    result = match_arrays(*as_arrays(instance))
    assert result.assignments() == package_solution(*instance)
    assert result.verdict.stable


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        (({1: 1}, {7: [2]}, {1: [7]}), "unknown posting id 2"),
        (({1: 1}, {7: [1, 1]}, {1: [7]}), "student 7 lists posting 1 twice"),
        (({1: 1}, {7: [1]}, {1: [7, 7]}), "posting 1 ranks student 7 twice"),
        (({1: -1}, {7: [1]}, {1: [7]}), "negative"),
    ],
)
def test_bad_array_instances_are_refused_with_the_offending_id(instance, message):
    with pytest.raises(InstanceError, match=message):
        build_arrays(*as_arrays(instance))


def test_arrays_refuse_a_student_or_posting_given_twice():
    one = np.array([1])
    prefs = Lists(np.array([7, 7]), np.array([0, 1, 2]), np.array([1, 1]))
    ranks = Lists(one, np.array([0, 1]), np.array([7]))
    with pytest.raises(InstanceError, match="a student id is given twice"):
        build_arrays(one, one, prefs, ranks)
    prefs = Lists(np.array([7]), np.array([0, 1]), one)
    ranks = Lists(np.array([1, 1]), np.array([0, 1, 2]), np.array([7, 7]))
    with pytest.raises(InstanceError, match="posting 1 is ranked twice"):
        build_arrays(one, one, prefs, ranks)


def test_a_skewed_instance_matches_the_package_and_verifies():
    from bench.match_instance import as_dicts, generate

    generated = generate(400, 60, seed=7)
    capacities, prefs, ranks = as_dicts(generated)
    result = match_arrays(*generated)
    assert result.verdict.stable
    assert result.assignments() == package_solution(capacities, prefs, ranks)
    assert result.assignments() == match(capacities, prefs, ranks).assignments()
    assert int(result.filled.sum()) == len(result.assignments())
    assert (result.filled <= np.array(list(capacities.values()))).all()
    # Each student's list is distinct postings; each posting ranks exactly its choosers.
    assert all(len(set(v)) == len(v) for v in prefs.values())
    choosers = {p: sorted(s for s, v in prefs.items() if p in v) for p in capacities}
    assert {p: sorted(v) for p, v in ranks.items()} == choosers
