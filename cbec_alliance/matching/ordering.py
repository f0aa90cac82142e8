"""Each internship's full order of the students who chose it: pure, no database.

The enterprise's ranked students come first, in its order; the students it left unranked
follow by recommendation score, best first; a lottery drawn from the round's seed breaks
the ties that remain (one number a student, so a run with the same seed is the same run).
Students the enterprise marked unacceptable are left out: the algorithm then never gives
them that internship.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import chain

import numpy as np

UNRANKED = np.iinfo(np.int64).max


def lottery(student_ids: np.ndarray, seed: int) -> np.ndarray:
    """Each student's lottery number (a permutation of 0..S-1, ordered as `student_ids`)."""
    order = np.argsort(student_ids, kind="stable")
    numbers = np.empty(len(student_ids), dtype=np.int64)
    numbers[order] = np.random.default_rng(seed).permutation(len(student_ids))
    return numbers


def _pair_lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, default) -> np.ndarray:
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    at = np.searchsorted(keys, query)
    at_c = np.minimum(at, max(len(keys) - 1, 0))
    found = (at < len(keys)) & (keys[at_c] == query) if len(keys) else np.zeros(len(query), bool)
    out = np.full(len(query), default, dtype=values.dtype if len(values) else np.int64)
    out[found] = values[at_c[found]]
    return out


def posting_orders(
    student_ids: Sequence[int],
    choices: Sequence[Sequence[int]],
    ranked: Mapping[int, Sequence[int]],
    excluded: Mapping[int, Sequence[int]],
    score: Callable[[np.ndarray, np.ndarray], np.ndarray],
    seed: int,
) -> dict[int, list[int]]:
    """`{internship_id: [student_id, ...]}` best first, for every internship chosen.

    `choices[i]` are student `student_ids[i]`'s internships; `score(rows, internships)` gives
    the recommendation score of pairs (student row, internship id) the enterprise left
    unranked.
    """
    ids = np.asarray(student_ids, dtype=np.int64)
    count = len(ids)
    lengths = np.fromiter(map(len, choices), dtype=np.int64, count=count)
    pair_s = np.repeat(np.arange(count, dtype=np.int64), lengths)
    pair_p = np.fromiter(chain.from_iterable(choices), dtype=np.int64, count=int(lengths.sum()))
    by_id = np.argsort(ids, kind="stable")
    sorted_ids = ids[by_id]

    def pairs_of(lists: Mapping[int, Sequence[int]]):
        # (internship, student row) keys of every listed student who takes part, with the
        # position in the list; ranking a student who did not take part is harmless.
        sizes = np.fromiter(map(len, lists.values()), dtype=np.int64, count=len(lists))
        total = int(sizes.sum())
        ps = np.repeat(np.fromiter(lists.keys(), dtype=np.int64, count=len(lists)), sizes)
        students = np.fromiter(chain.from_iterable(lists.values()), dtype=np.int64, count=total)
        pos = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        at = np.minimum(np.searchsorted(sorted_ids, students), max(count - 1, 0))
        known = (sorted_ids[at] == students) if count else np.zeros(total, dtype=bool)
        return ps[known] * count + by_id[at[known]], pos[known]

    pair_key = pair_p * count + pair_s
    keys, pos = pairs_of(ranked)
    position = _pair_lookup(keys, pos, pair_key, UNRANKED)
    keys, _ = pairs_of(excluded)
    out = _pair_lookup(keys, np.ones(len(keys), dtype=np.int64), pair_key, 0).astype(bool)
    scores = np.zeros(len(pair_s))
    need = (position == UNRANKED) & ~out
    if need.any():
        scores[need] = score(pair_s[need], pair_p[need])
    keep = ~out
    pair_s, pair_p = pair_s[keep], pair_p[keep]
    order = np.lexsort((lottery(ids, seed)[pair_s], -scores[keep], position[keep], pair_p))
    pair_s, pair_p = pair_s[order], pair_p[order]
    result: dict[int, list[int]] = {int(p): [] for c in choices for p in c}
    if len(pair_p):
        bounds = np.flatnonzero(np.diff(pair_p)) + 1
        for chunk in np.split(np.arange(len(pair_p)), bounds):
            result[int(pair_p[chunk[0]])] = ids[pair_s[chunk]].tolist()
    return result
