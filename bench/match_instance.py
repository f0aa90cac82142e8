"""Skewed match-round instances for bench/match.py and the algorithm tests.

Each student ranks 10 to 20 distinct postings drawn with Zipf-like popularity (exponent 0.8,
as in ../shared/performance-baselines.md), each posting has 1 to 10 slots and ranks exactly
the students who listed it, in a random order. Built with array operations in chunks, as
NumPy arrays (the lists in CSR form), so that a million students take seconds and about
60 bytes a choice; `as_dicts` gives the same instance as dicts for the `matching` package
and the dict API.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Lists(NamedTuple):
    """Lists of integer ids by owner, CSR (the shape `algorithm.Lists` has, so that this
    module imports no code of the app and serves any version of it in bench/match.py)."""

    owners: np.ndarray
    ptr: np.ndarray
    items: np.ndarray

    def as_dict(self) -> dict[int, list[int]]:
        """The lists as a dict of lists of ints."""
        starts, items = self.ptr.tolist(), self.items.tolist()
        return {o: items[starts[k] : starts[k + 1]] for k, o in enumerate(self.owners.tolist())}


CHUNK = 50_000


class Generated(NamedTuple):
    """An instance with integer ids 1..N: postings, their slots, and both sides' lists."""

    posting_ids: np.ndarray
    capacity: np.ndarray
    prefs: Lists  # each student's postings, best first
    ranks: Lists  # each posting's students, best first


def _first_distinct(draws: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Which draws of each row to keep: the first occurrence of each value, up to the row's
    length, in the order drawn."""
    order = np.argsort(draws, axis=1, kind="stable")
    ordered = np.take_along_axis(draws, order, axis=1)
    repeat = np.zeros(draws.shape, dtype=bool)
    repeat[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
    first = np.empty(draws.shape, dtype=bool)
    np.put_along_axis(first, order, ~repeat, axis=1)
    return first & (np.cumsum(first, axis=1) <= lengths[:, None])


def generate(students: int, postings: int, seed: int) -> Generated:
    """A skewed instance with students 1..`students` and postings 1..`postings`."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, postings + 1) ** 0.8
    cdf = np.cumsum(weights / weights.sum())
    popularity = rng.permutation(postings).astype(np.int32) + 1  # the k-th most popular
    lengths = rng.integers(10, 21, size=students)
    pool = min(48, postings * 3)
    sizes, chunks = [], []
    for start in range(0, students, CHUNK):
        n = min(CHUNK, students - start)
        picks = np.searchsorted(cdf, rng.random((n, pool)), side="right")
        draws = popularity[np.minimum(picks, postings - 1)]
        keep = _first_distinct(draws, lengths[start : start + n])
        sizes.append(keep.sum(axis=1))
        chunks.append(draws[keep])
    ptr = np.zeros(students + 1, dtype=np.int64)
    np.cumsum(np.concatenate(sizes), out=ptr[1:])
    items = np.concatenate(chunks).astype(np.int64)
    del chunks
    student_ids = np.arange(1, students + 1, dtype=np.int64)
    prefs = Lists(student_ids, ptr, items)
    capacity = rng.integers(1, 11, size=postings).astype(np.int32)
    posting_ids = np.arange(1, postings + 1, dtype=np.int64)
    # Each posting ranks the students who listed it in a random order: sort the pairs by
    # (posting, a random permutation of the pairs).
    pair_s = np.repeat(student_ids.astype(np.int32), np.diff(ptr))
    key = items * len(items) + rng.permutation(len(items))
    order = np.argsort(key)
    del key
    ranked_students = pair_s[order].astype(np.int64)
    del pair_s
    rank_ptr = np.zeros(postings + 1, dtype=np.int64)
    np.cumsum(np.bincount(items, minlength=postings + 1)[1:], out=rank_ptr[1:])
    return Generated(posting_ids, capacity, prefs, Lists(posting_ids, rank_ptr, ranked_students))


def as_dicts(instance: Generated) -> tuple[dict, dict, dict]:
    """`(capacities, student_prefs, posting_ranks)` of the instance, as dicts of lists."""
    capacities = dict(zip(instance.posting_ids.tolist(), instance.capacity.tolist(), strict=True))
    return capacities, instance.prefs.as_dict(), instance.ranks.as_dict()
