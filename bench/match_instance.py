"""Skewed match-round instances for bench/match.py and the algorithm tests.

Each student ranks 10 to 20 distinct postings drawn with Zipf-like popularity (exponent 0.8,
as in ../shared/performance-baselines.md), each posting has 1 to 10 slots and ranks exactly
the students who listed it, in a random order. Generated in chunks so that building a
100,000-student instance does not itself dominate the benchmark's memory peak.
"""

from __future__ import annotations

import numpy as np

CHUNK = 10_000


def generate(students: int, postings: int, seed: int) -> tuple[dict, dict, dict]:
    """`(capacities, student_prefs, posting_ranks)` with integer ids 1..N."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, postings + 1) ** 0.8
    weights /= weights.sum()
    popularity = rng.permutation(postings).astype(np.int32) + 1  # the k-th most popular
    lengths = rng.integers(10, 21, size=students).tolist()
    pool = min(48, postings * 3)
    student_prefs: dict[int, list[int]] = {}
    for start in range(0, students, CHUNK):
        n = min(CHUNK, students - start)
        draws = popularity[rng.choice(postings, size=(n, pool), p=weights)].tolist()
        for k, row in enumerate(draws):
            student_prefs[start + k + 1] = list(dict.fromkeys(row))[: lengths[start + k]]
    capacities = {p + 1: int(c) for p, c in enumerate(rng.integers(1, 11, size=postings))}
    pair_s = np.repeat(
        np.arange(1, students + 1, dtype=np.int32), [len(v) for v in student_prefs.values()]
    )
    pair_p = np.fromiter(
        (p for v in student_prefs.values() for p in v), dtype=np.int32, count=len(pair_s)
    )
    order = np.lexsort((rng.random(len(pair_s)), pair_p))
    pair_s, pair_p = pair_s[order], pair_p[order]
    starts = np.searchsorted(pair_p, np.arange(1, postings + 2))
    posting_ranks = {p: pair_s[starts[p - 1] : starts[p]].tolist() for p in range(1, postings + 1)}
    return capacities, student_prefs, posting_ranks
