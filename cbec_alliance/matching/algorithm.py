"""Student-proposing deferred acceptance with slot capacities: pure, no database.

`match(capacities, student_prefs, posting_ranks)` takes ids (any hashable: the API's integer
ids, strings in tests) in dicts; `match_arrays(posting_ids, capacity, prefs, ranks)` takes
integer ids as NumPy arrays, the lists in CSR form (`Lists`), which is how a round's worker
and the benchmark hold a million students (tens of bytes a choice, where the dicts took
2.8 KB a student, about 190 bytes a choice). Both return the student-optimal stable
matching, verified, and build the same arrays from the same instance.

Ids are mapped to dense indices once, by array operations; everything after that (each
posting's rank of each student who listed it, the proposals, the stability check) runs in
the Numba-compiled loops of `kernels.py` over flat int32 arrays. A plain-Python deferred
acceptance needs about 1.6 s for 100,000 students and the `matching` package several
minutes (docs/benchmarks.md); this needs a fraction of a second.

A pair is acceptable only if each lists the other: a student the posting does not rank is
unacceptable to it, and a ranking of a student who did not list the posting is ignored.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import TypeVar

import numpy as np

from . import kernels
from .kernels import INDEX, OFFSET, UNACCEPTABLE

__all__ = ["UNACCEPTABLE", "Instance", "InstanceError", "Lists", "Matching", "Verdict"]

Ids = Sequence | np.ndarray  # a list of ids, or an int64 array of them
P = TypeVar("P", bound=Hashable)  # a posting's id
S = TypeVar("S", bound=Hashable)  # a student's id


class InstanceError(ValueError):
    """The instance names an unknown id, lists an id twice, or has a negative capacity."""


@dataclass(frozen=True)
class Lists:
    """Ordered lists of integer ids by owner, CSR: `owners[k]`'s list is
    `items[ptr[k]:ptr[k + 1]]`, best first."""

    owners: np.ndarray  # int64 [K]
    ptr: np.ndarray  # int64 [K + 1]
    items: np.ndarray  # int64 [N]

    @classmethod
    def of(cls, lists: Mapping[int, Sequence[int]]) -> Lists:
        """The lists of a dict of integer ids."""
        owners = np.fromiter(lists.keys(), dtype=np.int64, count=len(lists))
        sizes = np.fromiter(map(len, lists.values()), dtype=np.int64, count=len(lists))
        ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(sizes, out=ptr[1:])
        items = np.fromiter(chain.from_iterable(lists.values()), dtype=np.int64, count=ptr[-1])
        return cls(owners, ptr, items)

    def as_dict(self) -> dict[int, list[int]]:
        """The lists as a dict of lists of ints (for tests and small instances)."""
        starts, items = self.ptr.tolist(), self.items.tolist()
        return {o: items[starts[k] : starts[k + 1]] for k, o in enumerate(self.owners.tolist())}


@dataclass(frozen=True)
class Instance:
    """A matching instance as flat arrays (CSR by student)."""

    student_ids: Ids
    posting_ids: Ids
    capacity: np.ndarray  # int32 [P]
    pref_ptr: np.ndarray  # int64 [S + 1]: student s's choices are pref_posting[ptr[s]:ptr[s+1]]
    pref_posting: np.ndarray  # int32 [E]: posting index of each choice, best first
    pref_rank: np.ndarray  # int32 [E]: the posting's rank of the student, 0 best, or UNACCEPTABLE


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
        students = _pick(inst.student_ids, matched)
        return dict(zip(students, _pick(inst.posting_ids, postings), strict=True))

    def position(self) -> np.ndarray:
        """Each student's position (0 = first choice) of the choice they got, -1 if none."""
        out = self.choice - self.instance.pref_ptr[:-1]
        out[self.choice < 0] = -1
        return out


def _pick(ids: Ids, at: np.ndarray) -> list:
    """The ids at positions `at`, as Python values."""
    if isinstance(ids, np.ndarray):
        return ids[at].tolist()
    return [ids[k] for k in at.tolist()]


def _int_array(ids: Ids) -> np.ndarray | None:
    """The ids as an int64 array when every one is a plain integer that fits, else None."""
    if isinstance(ids, np.ndarray):
        return ids.astype(np.int64, copy=False) if ids.dtype.kind in "iu" else None
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
    (the benchmark dump's strings) go through a dict. An id given twice is an InstanceError.
    """

    def __init__(self, keys: Ids, what: str) -> None:
        self.keys = keys
        arr = _int_array(keys)
        self._dict: dict | None = None
        self._table: np.ndarray | None = None
        if arr is None:
            self._dict = {k: i for i, k in enumerate(keys)}
            twice = len(self._dict) < len(keys)
        elif len(arr):
            self._lo = int(arr.min())
            span = int(arr.max()) - self._lo + 1
            places = np.arange(len(arr), dtype=INDEX)
            if span <= 4 * len(arr) + 1024:
                self._table = np.full(span, -1, dtype=INDEX)
                self._table[arr - self._lo] = places
                twice = not np.array_equal(self._table[arr - self._lo], places)
            else:
                self._order = np.argsort(arr, kind="stable").astype(INDEX)
                self._sorted = arr[self._order]
                twice = bool((self._sorted[1:] == self._sorted[:-1]).any())
        else:
            twice = False
        if twice:
            raise InstanceError(f"a {what} id is given twice")

    def _array_lookup(self, arr: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.full(len(arr), -1, dtype=INDEX)
        if self._table is not None:
            offset = arr - self._lo
            if not len(arr) or (offset.min() >= 0 and offset.max() < len(self._table)):
                return self._table[offset]  # every id within the table's span: one gather
            inside = (offset >= 0) & (offset < len(self._table))
            out = self._table[np.where(inside, offset, 0)]
            out[~inside] = -1
            return out
        at = np.searchsorted(self._sorted, arr)
        np.minimum(at, len(self._sorted) - 1, out=at)
        return np.where(self._sorted[at] == arr, self._order[at], -1).astype(INDEX)

    def lookup(self, ids: Ids) -> np.ndarray:
        """The position (int32) of each id in `keys`, -1 where it is not one."""
        if self._dict is None:
            arr = _int_array(ids)
            if arr is not None:
                return self._array_lookup(arr)
            self._dict = {k: i for i, k in enumerate(_pick(self.keys, np.arange(len(self.keys))))}
        return np.fromiter(map(self._dict.get, ids, repeat(-1)), dtype=INDEX, count=len(ids))

    def require(self, ids: Ids, what: str) -> np.ndarray:
        """Like `lookup`, but an unknown id is an InstanceError naming it."""
        out = self.lookup(ids)
        missing = np.flatnonzero(out < 0)
        if len(missing):
            raise InstanceError(f"unknown {what} id {_pick(ids, missing[:1])[0]!r}")
        return out


def build(
    capacities: Mapping[P, int],
    student_prefs: Mapping[S, Sequence[P]],
    posting_ranks: Mapping[P, Sequence[S]],
) -> Instance:
    """Map ids to indices and compute each posting's rank of each student who listed it."""
    posting_ids, student_ids = list(capacities), list(student_prefs)
    p_keys, s_keys = _Keys(posting_ids, "posting"), _Keys(student_ids, "student")
    capacity = np.fromiter(capacities.values(), dtype=np.int64, count=len(posting_ids))
    lengths = np.fromiter(map(len, student_prefs.values()), dtype=np.int64, count=len(student_ids))
    flat = list(chain.from_iterable(student_prefs.values()))
    ranked = list(posting_ranks)
    rank_lengths = np.fromiter(map(len, posting_ranks.values()), dtype=np.int64, count=len(ranked))
    # A posting may rank students who never listed it (harmless); they are dropped, so they
    # need not be students of this instance.
    rank_flat = list(chain.from_iterable(posting_ranks.values()))
    return _instance(
        student_ids,
        posting_ids,
        capacity,
        (_offsets(lengths), p_keys.require(flat, "posting")),
        (_offsets(rank_lengths), p_keys.require(ranked, "posting"), s_keys.lookup(rank_flat)),
    )


def build_arrays(posting_ids: np.ndarray, capacity: np.ndarray, prefs: Lists, ranks: Lists):
    """`build` for integer ids held as arrays: `prefs` the students' lists of postings,
    `ranks` the postings' lists of students; the same arrays as `build` of the same dicts."""
    posting_ids = np.asarray(posting_ids, dtype=np.int64)
    p_keys = _Keys(posting_ids, "posting")
    s_keys = _Keys(prefs.owners, "student")
    return _instance(
        prefs.owners,
        posting_ids,
        np.asarray(capacity),
        (prefs.ptr, p_keys.require(prefs.items, "posting")),
        (ranks.ptr, p_keys.require(ranks.owners, "posting"), s_keys.lookup(ranks.items)),
    )


def _offsets(lengths: np.ndarray) -> np.ndarray:
    """CSR offsets of lists of these lengths."""
    ptr = np.zeros(len(lengths) + 1, dtype=OFFSET)
    np.cumsum(lengths, out=ptr[1:])
    return ptr


def _instance(student_ids, posting_ids, capacity, prefs: tuple, ranks: tuple) -> Instance:
    """The instance from indices: prefs (ptr, posting of each choice), ranks (ptr, posting of
    each ranking, student of each entry or -1); InstanceError naming what is wrong."""
    if (capacity < 0).any():
        raise InstanceError("a capacity is negative")
    pref_ptr, pref_posting = (
        np.ascontiguousarray(a, dtype=t) for a, t in zip(prefs, _PREF, strict=True)
    )
    rank_ptr, rank_posting, rank_student = (
        np.ascontiguousarray(a, dtype=t) for a, t in zip(ranks, _RANK, strict=True)
    )
    pref_rank = np.empty(len(pref_posting), dtype=INDEX)
    problem, first, second = kernels.rank_choices(
        len(posting_ids), pref_ptr, pref_posting, rank_ptr, rank_posting, rank_student, pref_rank
    )
    if problem:
        raise InstanceError(_problem(problem, first, second, student_ids, posting_ids))
    capacity = np.ascontiguousarray(capacity, dtype=INDEX)
    return Instance(student_ids, posting_ids, capacity, pref_ptr, pref_posting, pref_rank)


_PREF = (OFFSET, INDEX)
_RANK = (OFFSET, INDEX, INDEX)


def _problem(problem: int, first: int, second: int, student_ids, posting_ids) -> str:
    """What `kernels.rank_choices` found wrong, naming the ids."""
    if problem == 1:
        student, posting = _one(student_ids, first), _one(posting_ids, second)
        return f"student {student!r} lists posting {posting!r} twice"
    if problem == 2:
        posting, student = _one(posting_ids, first), _one(student_ids, second)
        return f"posting {posting!r} ranks student {student!r} twice"
    return f"posting {_one(posting_ids, first)!r} is ranked twice"


def _one(ids: Ids, at: int):
    """The id at position `at`, as a Python value."""
    return _pick(ids, np.array([at]))[0]


def solve(instance: Instance) -> Matching:
    """Run deferred acceptance on an instance and verify the result."""
    choice, proposals = kernels.solve(
        instance.capacity, instance.pref_ptr, instance.pref_posting, instance.pref_rank
    )
    return check(instance, choice, int(proposals))


def check(instance: Instance, choice: np.ndarray, proposals: int = 0) -> Matching:
    """Verify an assignment: mutually acceptable, within capacity, and no blocking pair."""
    acceptable, within, blocking, filled, cutoff = kernels.verify(
        instance.capacity,
        instance.pref_ptr,
        instance.pref_posting,
        instance.pref_rank,
        np.ascontiguousarray(choice, dtype=np.int64),
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


def match_arrays(posting_ids, capacity, prefs: Lists, ranks: Lists) -> Matching:
    """`match` for integer ids held as arrays (`build_arrays`)."""
    return solve(build_arrays(posting_ids, capacity, prefs, ranks))
