"""The leaderboard as a pure function: weighted scores, exact arithmetic, competition ranking.

    team score = sum over criteria of weight * (mean over the judges who scored that
                 criterion for the team of their score)

Weights are exact decimals that add up to 1, scores integers 0..100, so with `Fraction`
every team score is exact and equal scores are equal: ties are never lost to floating
point. Ranks follow standard competition ranking ("1224"): teams with equal scores share a
rank and the next rank skips as many places (1, 1, 3).

`normalize="z"` corrects for judges who score high or low across the board: each judge's
scores (over every team and criterion they scored) become z-scores, (x - mean) / standard
deviation (population), before the weighting; a judge whose scores are all equal contributes
0. A standard deviation is a square root, so this mode computes in 50-digit decimals and
compares scores rounded to 30 digits: exact up to a relative error no score difference on a
0..100 scale comes near.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

Z_CONTEXT = Context(prec=50)
Z_QUANTUM = Decimal(10) ** -30


class Mark(NamedTuple):
    """One judge's score of one team on one criterion."""

    team_id: int
    judge_id: int
    criterion: str
    value: int


@dataclass(frozen=True)
class Standing:
    """A team's place on the leaderboard."""

    rank: int
    team_id: int
    score: Fraction | Decimal


def _z_scores(marks: list[Mark]) -> dict[Mark, Decimal]:
    by_judge: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_judge[mark.judge_id].append(mark)
    out: dict[Mark, Decimal] = {}
    for own in by_judge.values():
        count = len(own)
        mean = sum((Decimal(m.value) for m in own), Decimal(0)) / count
        std = (sum(((m.value - mean) ** 2 for m in own), Decimal(0)) / count).sqrt()
        for mark in own:
            out[mark] = Decimal(0) if std == 0 else (mark.value - mean) / std
    return out


def team_scores(
    weights: Mapping[str, Decimal], marks: Iterable[Mark], normalize: str | None = None
) -> dict[int, Fraction | Decimal]:
    """Each scored team's weighted score (criteria outside `weights` are ignored)."""
    marks = [m for m in marks if m.criterion in weights]
    per_criterion: dict[tuple[int, str], list[Mark]] = defaultdict(list)
    for mark in marks:
        per_criterion[(mark.team_id, mark.criterion)].append(mark)
    if normalize != "z":
        totals: dict[int, Fraction] = defaultdict(Fraction)
        for (team_id, criterion), given in per_criterion.items():
            mean = Fraction(sum(m.value for m in given), len(given))
            totals[team_id] += Fraction(weights[criterion]) * mean
        return dict(totals)
    with localcontext(Z_CONTEXT):
        z_scores = _z_scores(marks)
        z_totals: dict[int, Decimal] = defaultdict(Decimal)
        for (team_id, criterion), given in per_criterion.items():
            z_mean = sum((z_scores[m] for m in given), Decimal(0)) / len(given)
            z_totals[team_id] += Decimal(weights[criterion]) * z_mean
        return {t: s.quantize(Z_QUANTUM) for t, s in z_totals.items()}


def rank(scores: Mapping[int, Fraction | Decimal]) -> list[Standing]:
    """Best first; equal scores share a rank, the next rank skips (1, 1, 3); ties by team id."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    standings: list[Standing] = []
    for place, (team_id, score) in enumerate(ordered, start=1):
        shared = standings and standings[-1].score == score
        standings.append(Standing(standings[-1].rank if shared else place, team_id, score))
    return standings


def leaderboard(
    weights: Mapping[str, Decimal], marks: Iterable[Mark], normalize: str | None = None
) -> list[Standing]:
    """`rank(team_scores(...))`."""
    return rank(team_scores(weights, marks, normalize))
