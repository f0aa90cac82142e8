"""Each internship's order: ranked first, then by score, then by the seeded lottery."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.matching.algorithm import Lists
from cbec_alliance.matching.ordering import lottery
from cbec_alliance.matching.ordering import posting_orders as orders_of
from cbec_alliance.recommendations import pairs
from cbec_alliance.recommendations.index import from_signals
from cbec_alliance.recommendations.scoring import exact_score, round_score
from tests.recommendations.test_scoring import postings, students


def flat_scores(table):
    """A score function reading `table[(student_row, internship)]`."""

    def score(rows, internships):
        return np.array([table[(int(r), int(p))] for r, p in zip(rows, internships, strict=True)])

    return score


def posting_orders(ids, choices, ranked, excluded, score, seed) -> dict:
    """The orders of an instance given as lists and dicts, as a dict of lists."""
    prefs = Lists.of(dict(zip(ids, choices, strict=True)))
    got = orders_of(prefs, Lists.of(ranked), Lists.of(excluded), score, seed)
    return got.as_dict()


def test_ranked_first_then_by_score_then_by_lottery_and_excluded_left_out():
    ids = [11, 12, 13, 14, 15]
    choices = [[7], [7], [7], [7], [7, 8]]
    table = {(0, 7): 0.5, (1, 7): 0.9, (2, 7): 0.5, (3, 7): 0.1, (4, 7): 0.9, (4, 8): 0.3}
    got = posting_orders(ids, choices, {7: [14, 99]}, {7: [12]}, flat_scores(table), seed=3)
    numbers = dict(zip(ids, lottery(np.array(ids), 3).tolist(), strict=True))
    tied = sorted([11, 13], key=numbers.get)
    assert got[7] == [14, 15, *tied]  # 14 ranked; 15 best score; 11/13 tie; 12 excluded
    assert got[8] == [15]


def test_the_lottery_is_a_permutation_fixed_by_the_seed():
    ids = np.array([5, 3, 9, 1])
    first = lottery(ids, 42)
    assert sorted(first.tolist()) == [0, 1, 2, 3]
    assert lottery(ids, 42).tolist() == first.tolist()
    # The same students listed in another order draw the same numbers.
    assert dict(zip([1, 3, 5, 9], lottery(np.array([1, 3, 5, 9]), 42).tolist(), strict=True)) == (
        dict(zip(ids.tolist(), first.tolist(), strict=True))
    )


def test_internships_nobody_can_take_still_appear_empty():
    got = posting_orders([1], [[4]], {}, {4: [1]}, flat_scores({}), seed=0)
    assert got == {4: []}


@settings(max_examples=150, deadline=None)
@given(st.lists(students, min_size=1, max_size=6), st.lists(postings, min_size=1, max_size=4))
def test_pair_scores_equal_the_scoring_function(studs, posts):
    index = from_signals({i + 1: p for i, p in enumerate(posts)})
    arrays = pairs.student_arrays(index, studs)
    rows = np.repeat(np.arange(len(studs)), len(posts))
    cols = np.tile(np.arange(len(posts)), len(studs))
    got = pairs.scores(index, arrays, rows, cols)
    want = [
        round_score(Fraction(exact_score(studs[r], posts[c])))
        for r, c in zip(rows, cols, strict=True)
    ]
    assert got.tolist() == want
