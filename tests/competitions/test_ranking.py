"""The leaderboard function: exact weighted scores, competition ranking, judge-bias correction."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.competitions.ranking import Mark, leaderboard, rank, team_scores

WEIGHTS = {"a": Decimal("0.3333"), "b": Decimal("0.3333"), "c": Decimal("0.3334")}


def test_weighted_mean_over_judges_is_exact():
    marks = [Mark(1, 10, "a", 80), Mark(1, 11, "a", 91), Mark(1, 10, "b", 70), Mark(1, 10, "c", 60)]
    # a: (80 + 91) / 2 = 85.5; 0.3333 * 85.5 + 0.3333 * 70 + 0.3334 * 60
    expected = (
        Fraction("0.3333") * Fraction(171, 2) + Fraction("0.3333") * 70 + Fraction("0.3334") * 60
    )
    assert team_scores(WEIGHTS, marks) == {1: expected}


def test_ties_share_a_rank_and_the_next_skips():
    standings = rank({1: Fraction(90), 2: Fraction(95), 3: Fraction(90), 4: Fraction(80)})
    assert [(s.team_id, s.rank) for s in standings] == [(2, 1), (1, 2), (3, 2), (4, 4)]
    assert [s.rank for s in rank({5: Fraction(1), 6: Fraction(1), 7: Fraction(0)})] == [1, 1, 3]


def test_float_would_lose_this_tie_exact_arithmetic_keeps_it():
    weights = {"x": Decimal("0.1"), "y": Decimal("0.2"), "z": Decimal("0.7")}
    one = {"x": 0, "y": 0, "z": 90}
    two = {"x": 0, "y": 70, "z": 70}
    # In floats the two totals differ: 62.99999999999999 and 63.0.
    floats = [sum(float(weights[c]) * v for c, v in team.items()) for team in (one, two)]
    assert floats[0] != floats[1]
    marks = [Mark(1, 9, c, v) for c, v in one.items()] + [Mark(2, 9, c, v) for c, v in two.items()]
    standings = leaderboard(weights, marks)
    assert [(s.team_id, s.rank, s.score) for s in standings] == [(1, 1, 63), (2, 1, 63)]


def test_z_scores_remove_a_judge_who_scores_everyone_high():
    weights = {"a": Decimal(1)}
    fair = [Mark(1, 1, "a", 60), Mark(2, 1, "a", 80), Mark(3, 1, "a", 70)]
    # Judge 2 scores only teams 1 and 3, and everyone high: team 3 gets 100, team 1 95.
    generous = [Mark(1, 2, "a", 95), Mark(3, 2, "a", 100)]
    # Raw means: team 1 77.5, team 2 80, team 3 85: the generous judge lifts teams 1 and 3.
    raw = [(s.team_id, s.rank) for s in leaderboard(weights, fair + generous)]
    assert raw == [(3, 1), (2, 2), (1, 3)]
    # As z-scores judge 2 only says "3 over 1"; judge 1 puts team 2 far ahead of both.
    by_z = [(s.team_id, s.rank) for s in leaderboard(weights, fair + generous, "z")]
    assert by_z == [(2, 1), (3, 2), (1, 3)]


def test_a_judge_who_gives_one_value_contributes_zero_under_z():
    weights = {"a": Decimal(1)}
    marks = [Mark(1, 1, "a", 50), Mark(2, 1, "a", 50)]
    assert team_scores(weights, marks, "z") == {1: Decimal(0).quantize(Decimal(10) ** -30)} | {
        2: Decimal(0).quantize(Decimal(10) ** -30)
    }


marks_strategy = st.lists(
    st.builds(
        Mark,
        team_id=st.integers(1, 6),
        judge_id=st.integers(1, 4),
        criterion=st.sampled_from(["a", "b", "c"]),
        value=st.integers(0, 100),
    ),
    max_size=60,
    unique_by=lambda mark: (mark.team_id, mark.judge_id, mark.criterion),
)


@given(marks_strategy, st.sampled_from([None, "z"]))
def test_ranks_are_standard_competition_ranking(marks, normalize):
    standings = leaderboard(WEIGHTS, marks, normalize)
    scores = [s.score for s in standings]
    assert scores == sorted(scores, reverse=True)
    for standing in standings:
        assert standing.rank == 1 + sum(1 for other in scores if other > standing.score)
    assert {s.team_id for s in standings} == {m.team_id for m in marks}


@given(marks_strategy, st.randoms(use_true_random=False))
def test_the_order_of_the_marks_does_not_matter(marks, rnd: random.Random):
    shuffled = list(marks)
    rnd.shuffle(shuffled)
    assert leaderboard(WEIGHTS, marks) == leaderboard(WEIGHTS, shuffled)
    assert leaderboard(WEIGHTS, marks, "z") == leaderboard(WEIGHTS, shuffled, "z")


@given(marks_strategy)
def test_plain_scores_stay_within_0_and_100(marks):
    for score in team_scores(WEIGHTS, marks).values():
        assert 0 <= score <= 100


@given(
    st.lists(
        st.builds(
            Mark,
            team_id=st.integers(1, 5),
            judge_id=st.integers(1, 3),
            criterion=st.just("a"),
            value=st.integers(0, 50),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda mark: (mark.team_id, mark.judge_id),
    ),
    st.integers(1, 3),
    st.integers(0, 40),
)
def test_z_ranking_ignores_how_high_or_spread_a_judge_scores(marks, judge, shift):
    weights = {"a": Decimal(1)}
    # Every team scored by every judge, so each judge's habit is all that changes.
    teams = {m.team_id for m in marks}
    judges = {m.judge_id for m in marks}
    full = [Mark(t, j, "a", (t * 7 + j * 13) % 51) for t in teams for j in judges]
    biased = [
        Mark(m.team_id, m.judge_id, m.criterion, m.value * 2 + shift) if m.judge_id == judge else m
        for m in full
    ]
    assert [(s.team_id, s.rank) for s in leaderboard(weights, full, "z")] == [
        (s.team_id, s.rank) for s in leaderboard(weights, biased, "z")
    ]
