"""Student-proposing deferred acceptance with slot capacities: pure, no database.

`match(capacities, student_prefs, posting_ranks)` takes ids (any hashable: the API's integer
ids, the benchmark dump's strings) and returns the student-optimal stable matching, verified.

Ids are mapped to dense indices once, in Python; everything after that (each posting's rank
of each student who listed it, the proposals, the stability check) runs in Numba-compiled
loops over flat arrays. A plain-Python deferred acceptance needs about 1.6 s for 100,000
students and the `matching` package several minutes (docs/benchmarks.md); this needs a
fraction of a second, which is what lets a whole alliance be matched in one Celery task.

A pair is acceptable only if each lists the other: a student the posting does not rank is
unacceptable to it, and a ranking of a student who did not list the posting is ignored.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import TypeVar

import numpy as np
from numba import njit

# Ids of postings and of students: any hashable values, each kind of one type.
P = TypeVar("P", bound=Hashable)
S = TypeVar("S", bound=Hashable)

# The rank of a student a posting does not accept (did not rank, or was not listed by).
UNACCEPTABLE = -1


class InstanceError(ValueError):
    """The instance names an unknown id, lists an id twice, or has a negative capacity."""


@dataclass(frozen=True)
class Instance:
    """A matching instance as flat arrays (CSR by student)."""

    student_ids: list
    posting_ids: list
    capacity: np.ndarray  # int64 [P]
    pref_ptr: np.ndarray  # int64 [S + 1]: student s's choices are pref_posting[ptr[s]:ptr[s+1]]
    pref_posting: np.ndarray  # int64 [E]: posting index of each choice, best first
    pref_rank: np.ndarray  # int64 [E]: the posting's rank of the student, 0 best, or UNACCEPTABLE


@dataclass(frozen=True)
class Verdict:
    """What the check after a run found."""

    mutually_acceptable: bool
    within_capacity: bool
    blocking_pairs: int

    @property
    def stable(self) -> bool:
        """True when the matching is valid and no student-posting pair blocks it."""
        return self.mutually_acceptable and self.within_capacity and self.blocking_pairs == 0

    def as_dict(self) -> dict:
        """The verdict as stored on a round."""
        return {
            "stable": self.stable,
            "mutually_acceptable": self.mutually_acceptable,
            "within_capacity": self.within_capacity,
            "blocking_pairs": self.blocking_pairs,
        }


@dataclass(frozen=True)
class Matching:
    """The result: for each student, the index of their assigned choice (or -1)."""

    instance: Instance
    choice: np.ndarray  # int64 [S]: index into pref_* arrays, -1 when unmatched
    proposals: int
    verdict: Verdict = field(compare=False)
    filled: np.ndarray = field(compare=False)  # int64 [P]
    cutoff: np.ndarray = field(compare=False)  # int64 [P]: worst admitted rank, -1 if none

    def assignments(self) -> dict:
        """`{student_id: posting_id}` for the matched students."""
        inst = self.instance
        matched = np.flatnonzero(self.choice >= 0)
        postings = inst.pref_posting[self.choice[matched]]
        sid, pid = inst.student_ids, inst.posting_ids
        return {sid[s]: pid[p] for s, p in zip(matched.tolist(), postings.tolist(), strict=True)}

    def position(self) -> np.ndarray:
        """Each student's position (0 = first choice) of the choice they got, -1 if none."""
        out = self.choice - self.instance.pref_ptr[:-1]
        out[self.choice < 0] = -1
        return out


def _int_array(ids: Sequence) -> np.ndarray | None:
    """The ids as an int64 array when every one is a plain integer that fits, else None."""
    if not ids:
        return np.empty(0, dtype=np.int64)
    try:
        arr = np.array(ids)
    except (ValueError, OverflowError):  # ragged or unconvertible: not integer ids
        return None
    return arr if arr.dtype == np.int64 and arr.ndim == 1 else None


class _Keys:
    """Maps ids to their positions in `keys` (unknown ids to -1).

    Integer ids, as the API's, are mapped with array operations: a table indexed by id when
    the ids are dense enough (database ids are), else a sorted array and a binary search. A
    dict lookup per id into 100,000 students costs about 400 ns of cache misses when
    rankings visit them in random order, 0.6 s for 1.5 million ranking entries. Other ids
    (the benchmark dump's strings) go through a dict.
    """

    def __init__(self, keys: list) -> None:
        self.keys = keys
        arr = _int_array(keys)
        self._dict: dict | None = None
        self._table: np.ndarray | None = None
        if arr is None:
            self._dict = {k: i for i, k in enumerate(keys)}
        elif len(arr):
            self._lo = int(arr.min())
            span = int(arr.max()) - self._lo + 1
            if span <= 4 * len(arr) + 1024:
                self._table = np.full(span, -1, dtype=np.int64)
                self._table[arr - self._lo] = np.arange(len(arr), dtype=np.int64)
            else:
                self._order = np.argsort(arr, kind="stable")
                self._sorted = arr[self._order]

    def _array_lookup(self, arr: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.full(len(arr), -1, dtype=np.int64)
        if self._table is not None:
            offset = arr - self._lo
            inside = (offset >= 0) & (offset < len(self._table))
            out = self._table[np.where(inside, offset, 0)]
            out[~inside] = -1
            return out
        at = np.searchsorted(self._sorted, arr)
        np.minimum(at, len(self._sorted) - 1, out=at)
        return np.where(self._sorted[at] == arr, self._order[at], -1).astype(np.int64)

    def lookup(self, ids: Sequence) -> np.ndarray:
        """The position of each id in `keys`, -1 where it is not one."""
        if self._dict is None:
            arr = _int_array(ids)
            if arr is not None:
                return self._array_lookup(arr)
            self._dict = {k: i for i, k in enumerate(self.keys)}
        return np.fromiter(map(self._dict.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))

    def require(self, ids: Sequence, what: str) -> np.ndarray:
        """Like `lookup`, but an unknown id is an InstanceError naming it."""
        out = self.lookup(ids)
        missing = np.flatnonzero(out < 0)
        if len(missing):
            raise InstanceError(f"unknown {what} id {ids[missing[0]]!r}")
        return out


def build(
    capacities: Mapping[P, int],
    student_prefs: Mapping[S, Sequence[P]],
    posting_ranks: Mapping[P, Sequence[S]],
) -> Instance:
    """Map ids to indices and compute each posting's rank of each student who listed it."""
    posting_ids = list(capacities)
    student_ids = list(student_prefs)
    p_keys, s_keys = _Keys(posting_ids), _Keys(student_ids)
    capacity = np.fromiter(capacities.values(), dtype=np.int64, count=len(posting_ids))
    if (capacity < 0).any():
        raise InstanceError("a capacity is negative")
    lengths = np.fromiter(map(len, student_prefs.values()), dtype=np.int64, count=len(student_ids))
    pref_ptr = np.zeros(len(student_ids) + 1, dtype=np.int64)
    np.cumsum(lengths, out=pref_ptr[1:])
    flat = list(chain.from_iterable(student_prefs.values()))
    pref_posting = p_keys.require(flat, "posting")

    ranked = list(posting_ranks)
    rank_lengths = np.fromiter(
        (len(posting_ranks[p]) for p in ranked), dtype=np.int64, count=len(ranked)
    )
    rank_posting = np.repeat(p_keys.require(ranked, "posting"), rank_lengths)
    # A posting may rank students who never listed it (harmless); they are dropped, so they
    # need not be students of this instance.
    rank_flat = list(chain.from_iterable(posting_ranks[p] for p in ranked))
    rank_student = s_keys.lookup(rank_flat)
    pref_rank = np.empty(len(pref_posting), dtype=np.int64)
    problem = _ranks(
        len(student_ids),
        len(posting_ids),
        pref_ptr,
        pref_posting,
        rank_posting,
        rank_student,
        pref_rank,
    )
    if problem[0] == 1:
        raise InstanceError(
            f"student {student_ids[problem[1]]!r} lists posting {posting_ids[problem[2]]!r} twice"
        )
    if problem[0] == 2:
        raise InstanceError(
            f"posting {posting_ids[problem[1]]!r} ranks student {student_ids[problem[2]]!r} twice"
        )
    return Instance(student_ids, posting_ids, capacity, pref_ptr, pref_posting, pref_rank)


@njit(cache=True)
def _ranks(n_students, n_postings, pref_ptr, pref_posting, rank_posting, rank_student, out):
    # Postings' rank lists grouped by posting (counting sort), then one sweep per posting
    # with a scratch array of each student's rank there: O(choices + rankings).
    seen = np.full(n_postings, -1, dtype=np.int64)
    for s in range(n_students):
        for e in range(pref_ptr[s], pref_ptr[s + 1]):
            p = pref_posting[e]
            if seen[p] == s:
                return (1, s, p)
            seen[p] = s
    counts = np.zeros(n_postings + 1, dtype=np.int64)
    for i in range(len(rank_posting)):
        counts[rank_posting[i] + 1] += 1
    rptr = np.cumsum(counts)
    fill = rptr[:-1].copy()
    by_posting = np.empty(len(rank_posting), dtype=np.int64)
    for i in range(len(rank_posting)):
        p = rank_posting[i]
        by_posting[fill[p]] = rank_student[i]
        fill[p] += 1
    # The choices grouped by posting, likewise.
    ccount = np.zeros(n_postings + 1, dtype=np.int64)
    for e in range(len(pref_posting)):
        ccount[pref_posting[e] + 1] += 1
    cptr = np.cumsum(ccount)
    cfill = cptr[:-1].copy()
    choice_student = np.empty(len(pref_posting), dtype=np.int64)
    choice_entry = np.empty(len(pref_posting), dtype=np.int64)
    for s in range(n_students):
        for e in range(pref_ptr[s], pref_ptr[s + 1]):
            p = pref_posting[e]
            choice_student[cfill[p]] = s
            choice_entry[cfill[p]] = e
            cfill[p] += 1
    rank_of = np.full(n_students, UNACCEPTABLE, dtype=np.int64)
    for p in range(n_postings):
        r = 0
        for i in range(rptr[p], rptr[p + 1]):
            s = by_posting[i]
            if s < 0:
                continue
            if rank_of[s] != UNACCEPTABLE:
                return (2, p, s)
            rank_of[s] = r
            r += 1
        for i in range(cptr[p], cptr[p + 1]):
            out[choice_entry[i]] = rank_of[choice_student[i]]
        for i in range(rptr[p], rptr[p + 1]):
            s = by_posting[i]
            if s >= 0:
                rank_of[s] = UNACCEPTABLE
    return (0, 0, 0)


@njit(cache=True)
def _solve(capacity, pref_ptr, pref_posting, pref_rank):
    # Each posting holds its tentative students in a max-heap of ranks (worst on top), stored
    # in one flat array at offsets given by the capacities.
    n_students = len(pref_ptr) - 1
    n_postings = len(capacity)
    offset = np.zeros(n_postings + 1, dtype=np.int64)
    for p in range(n_postings):
        offset[p + 1] = offset[p] + capacity[p]
    heap_rank = np.empty(offset[n_postings], dtype=np.int64)
    heap_student = np.empty(offset[n_postings], dtype=np.int64)
    size = np.zeros(n_postings, dtype=np.int64)
    nxt = pref_ptr[:-1].copy()
    choice = np.full(n_students, -1, dtype=np.int64)
    stack = np.arange(n_students - 1, -1, -1).astype(np.int64)
    top = n_students
    proposals = 0
    while top > 0:
        top -= 1
        s = stack[top]
        while nxt[s] < pref_ptr[s + 1]:
            e = nxt[s]
            nxt[s] += 1
            r = pref_rank[e]
            if r == UNACCEPTABLE:
                continue
            proposals += 1
            p = pref_posting[e]
            base = offset[p]
            cap = capacity[p]
            if size[p] < cap:
                # Sift up.
                i = size[p]
                size[p] += 1
                while i > 0:
                    parent = (i - 1) // 2
                    if heap_rank[base + parent] >= r:
                        break
                    heap_rank[base + i] = heap_rank[base + parent]
                    heap_student[base + i] = heap_student[base + parent]
                    i = parent
                heap_rank[base + i] = r
                heap_student[base + i] = s
                choice[s] = e
                break
            if cap == 0 or r > heap_rank[base]:
                continue
            # Evict the worst held student and sift the newcomer down from the root.
            out = heap_student[base]
            choice[out] = -1
            stack[top] = out
            top += 1
            i = 0
            n = cap
            while True:
                left = 2 * i + 1
                if left >= n:
                    break
                child = left
                if left + 1 < n and heap_rank[base + left + 1] > heap_rank[base + left]:
                    child = left + 1
                if heap_rank[base + child] <= r:
                    break
                heap_rank[base + i] = heap_rank[base + child]
                heap_student[base + i] = heap_student[base + child]
                i = child
            heap_rank[base + i] = r
            heap_student[base + i] = s
            choice[s] = e
            break
    return choice, proposals


@njit(cache=True)
def _verify(capacity, pref_ptr, pref_posting, pref_rank, choice):
    n_students = len(pref_ptr) - 1
    n_postings = len(capacity)
    filled = np.zeros(n_postings, dtype=np.int64)
    cutoff = np.full(n_postings, -1, dtype=np.int64)
    acceptable = True
    for s in range(n_students):
        e = choice[s]
        if e < 0:
            continue
        if e < pref_ptr[s] or e >= pref_ptr[s + 1] or pref_rank[e] == UNACCEPTABLE:
            acceptable = False
            continue
        p = pref_posting[e]
        filled[p] += 1
        if pref_rank[e] > cutoff[p]:
            cutoff[p] = pref_rank[e]
    within = True
    for p in range(n_postings):
        if filled[p] > capacity[p]:
            within = False
    # (s, p) blocks when s prefers p to what s got, p finds s acceptable, and p has a free
    # slot or holds someone it ranks below s.
    blocking = 0
    for s in range(n_students):
        end = choice[s] if choice[s] >= 0 else pref_ptr[s + 1]
        for e in range(pref_ptr[s], end):
            r = pref_rank[e]
            if r == UNACCEPTABLE:
                continue
            p = pref_posting[e]
            if filled[p] < capacity[p] or r < cutoff[p]:
                blocking += 1
    return acceptable, within, blocking, filled, cutoff


def solve(instance: Instance) -> Matching:
    """Run deferred acceptance on an instance and verify the result."""
    choice, proposals = _solve(
        instance.capacity, instance.pref_ptr, instance.pref_posting, instance.pref_rank
    )
    return check(instance, choice, int(proposals))


def check(instance: Instance, choice: np.ndarray, proposals: int = 0) -> Matching:
    """Verify an assignment: mutually acceptable, within capacity, and no blocking pair."""
    acceptable, within, blocking, filled, cutoff = _verify(
        instance.capacity, instance.pref_ptr, instance.pref_posting, instance.pref_rank, choice
    )
    verdict = Verdict(bool(acceptable), bool(within), int(blocking))
    return Matching(instance, choice, proposals, verdict, filled, cutoff)


def match(
    capacities: Mapping[P, int],
    student_prefs: Mapping[S, Sequence[P]],
    posting_ranks: Mapping[P, Sequence[S]],
) -> Matching:
    """The student-optimal stable matching of an instance given by ids, verified."""
    return solve(build(capacities, student_prefs, posting_ranks))
