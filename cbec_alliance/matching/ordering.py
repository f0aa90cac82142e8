"""Each internship's full order of the students who chose it: pure, no database.

The enterprise's ranked students come first, in its order; the students it left unranked
follow by recommendation score, best first; a lottery drawn from the round's seed breaks
the ties that remain (one number a student, so a run with the same seed is the same run).
Students the enterprise marked unacceptable are left out: the algorithm then never gives
them that internship.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .algorithm import Lists

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


def _pairs_of(lists: Lists, sorted_ids: np.ndarray, by_id: np.ndarray, count: int):
    """(internship, student row) keys of every listed student who takes part, with the
    position in the list; ranking a student who did not take part is harmless."""
    sizes = np.diff(lists.ptr)
    ps = np.repeat(lists.owners.astype(np.int64), sizes)
    students = lists.items.astype(np.int64)
    pos = np.arange(len(students), dtype=np.int64) - np.repeat(lists.ptr[:-1], sizes)
    at = np.minimum(np.searchsorted(sorted_ids, students), max(count - 1, 0))
    known = (sorted_ids[at] == students) if count else np.zeros(len(students), dtype=bool)
    return ps[known] * count + by_id[at[known]], pos[known]


def posting_orders(
    prefs: Lists,
    ranked: Lists,
    excluded: Lists,
    score: Callable[[np.ndarray, np.ndarray], np.ndarray],
    seed: int,
) -> Lists:
    """Each internship chosen, with its students best first (CSR `Lists`, by internship id).

    `prefs` are the students' internships; `ranked` and `excluded` the enterprises' lists by
    internship; `score(rows, internships)` gives the recommendation score of pairs (student
    row in `prefs.owners`, internship id) the enterprise left unranked.
    """
    ids = prefs.owners.astype(np.int64)
    count = len(ids)
    pair_s = np.repeat(np.arange(count, dtype=np.int64), np.diff(prefs.ptr))
    pair_p = prefs.items.astype(np.int64)
    by_id = np.argsort(ids, kind="stable")
    sorted_ids = ids[by_id]
    pair_key = pair_p * count + pair_s
    keys, pos = _pairs_of(ranked, sorted_ids, by_id, count)
    position = _pair_lookup(keys, pos, pair_key, UNRANKED)
    keys, _ = _pairs_of(excluded, sorted_ids, by_id, count)
    out = _pair_lookup(keys, np.ones(len(keys), dtype=np.int64), pair_key, 0).astype(bool)
    scores = np.zeros(len(pair_s))
    need = (position == UNRANKED) & ~out
    if need.any():
        scores[need] = score(pair_s[need], pair_p[need])
    keep = ~out
    pair_s, pair_p = pair_s[keep], pair_p[keep]
    order = np.lexsort((lottery(ids, seed)[pair_s], -scores[keep], position[keep], pair_p))
    pair_p = pair_p[order]
    # Every internship chosen appears, those whose choosers were all excluded with no one.
    chosen = np.unique(prefs.items).astype(np.int64)
    ptr = np.searchsorted(pair_p, np.append(chosen, np.iinfo(np.int64).max)).astype(np.int64)
    ptr[-1] = len(pair_p)
    return Lists(chosen, ptr, ids[pair_s[order]])
