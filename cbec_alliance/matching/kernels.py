"""The Numba-compiled loops of deferred acceptance: ranks, proposals, the stability check.

Every array they take is contiguous: the choices and ranks as int32 (half the memory and
cache traffic of int64 at a million students), the CSR offsets as int64. Each loop compiles
once for those types and is cached on disk next to this module (`__pycache__`, ignored by
git); `warm()` loads or compiles all three before an instance is loaded.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# The rank of a student a posting does not accept (did not rank, or was not listed by).
UNACCEPTABLE = -1
INDEX = np.int32  # postings' and students' indices, ranks, capacities
OFFSET = np.int64  # CSR offsets and entry indices


@njit(cache=True)
def rank_choices(n_postings, pref_ptr, pref_posting, rank_ptr, rank_posting, rank_student, out):
    """Each choice's rank by its posting (0 best, UNACCEPTABLE when unranked) into `out`;
    (0, 0, 0), or (1, student, posting) when a student lists a posting twice, (2, posting,
    student) when a posting ranks a student twice, (3, posting, 0) when it has two rankings.

    The choices are grouped by posting (a counting sort: sequential reads, writes to one
    stream per posting), then each posting's ranking fills a scratch array of each student's
    rank there, read back for its choosers: O(choices + rankings) with few random reads
    outside a cache-sized scratch array.
    """
    n_students = len(pref_ptr) - 1
    start = np.zeros(n_postings + 1, dtype=np.int64)
    start[1:] = np.cumsum(np.bincount(pref_posting, minlength=n_postings))
    fill = start[:-1].copy()
    chooser = np.empty(len(pref_posting), dtype=np.int32)
    entry = np.empty(len(pref_posting), dtype=np.int32)
    seen = np.full(n_postings, -1, dtype=np.int32)
    for s in range(n_students):
        for e in range(pref_ptr[s], pref_ptr[s + 1]):
            p = pref_posting[e]
            if seen[p] == s:
                return (1, s, p)
            seen[p] = s
            chooser[fill[p]] = s
            entry[fill[p]] = e
            fill[p] += 1
    out[:] = UNACCEPTABLE
    seen[:] = -1
    rank_of = np.full(n_students, UNACCEPTABLE, dtype=np.int32)
    for k in range(len(rank_posting)):
        p = rank_posting[k]
        if seen[p] >= 0:
            return (3, p, 0)
        seen[p] = k
        r = 0
        for i in range(rank_ptr[k], rank_ptr[k + 1]):
            s = rank_student[i]
            if s < 0:
                continue  # not a student of the instance: ignored, and not counted
            if rank_of[s] != UNACCEPTABLE:
                return (2, p, s)
            rank_of[s] = r
            r += 1
        for i in range(start[p], start[p + 1]):
            out[entry[i]] = rank_of[chooser[i]]
        for i in range(rank_ptr[k], rank_ptr[k + 1]):
            if rank_student[i] >= 0:
                rank_of[rank_student[i]] = UNACCEPTABLE
    return (0, 0, 0)


@njit(cache=True)
def _move(heap_rank, heap_student, to, source):
    heap_rank[to] = heap_rank[source]
    heap_student[to] = heap_student[source]


@njit(cache=True)
def _put(heap_rank, heap_student, at, rank, student):
    heap_rank[at] = rank
    heap_student[at] = student


@njit(cache=True)
def _sift_up(heap_rank, heap_student, base, at, rank, student):
    """Add (rank, student) at the end of the max-heap at `base` and restore its order."""
    while at > 0:
        parent = (at - 1) // 2
        if heap_rank[base + parent] >= rank:
            break
        _move(heap_rank, heap_student, base + at, base + parent)
        at = parent
    _put(heap_rank, heap_student, base + at, rank, student)


@njit(cache=True)
def _sift_down(heap_rank, heap_student, base, size, rank, student):
    """Replace the top of the max-heap at `base` by (rank, student) and restore its order."""
    at = 0
    while True:
        child = 2 * at + 1
        if child >= size:
            break
        if child + 1 < size and heap_rank[base + child + 1] > heap_rank[base + child]:
            child += 1
        if heap_rank[base + child] <= rank:
            break
        _move(heap_rank, heap_student, base + at, base + child)
        at = child
    _put(heap_rank, heap_student, base + at, rank, student)


@njit(cache=True)
def solve(capacity, pref_ptr, pref_posting, pref_rank):
    """Student-proposing deferred acceptance: (each student's entry or -1, proposals)."""
    # Each posting holds its tentative students in a max-heap of ranks (worst on top), stored
    # in flat arrays at offsets given by the capacities.
    n_students = len(pref_ptr) - 1
    n_postings = len(capacity)
    offset = np.zeros(n_postings + 1, dtype=np.int64)
    for p in range(n_postings):
        offset[p + 1] = offset[p] + capacity[p]
    heap_rank = np.empty(offset[n_postings], dtype=np.int32)
    heap_student = np.empty(offset[n_postings], dtype=np.int32)
    size = np.zeros(n_postings, dtype=np.int32)
    nxt = pref_ptr[:-1].copy()
    choice = np.full(n_students, -1, dtype=np.int64)
    stack = np.arange(n_students - 1, -1, -1).astype(np.int32)
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
                _sift_up(heap_rank, heap_student, base, size[p], r, s)
                size[p] += 1
                choice[s] = e
                break
            if cap == 0 or r > heap_rank[base]:
                continue
            # Evict the worst held student and sift the newcomer down from the root.
            out = heap_student[base]
            choice[out] = -1
            stack[top] = out
            top += 1
            _sift_down(heap_rank, heap_student, base, cap, r, s)
            choice[s] = e
            break
    return choice, proposals


@njit(cache=True)
def verify(capacity, pref_ptr, pref_posting, pref_rank, choice):
    """(mutually acceptable, within capacity, blocking pairs, filled, cutoff) of a choice."""
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


def _tiny() -> tuple:
    """A one-student instance in the kernels' types."""
    index, offset = np.zeros(1, dtype=INDEX), np.array([0, 1], dtype=OFFSET)
    return np.ones(1, dtype=INDEX), offset, index, index.copy()


def warm() -> None:
    """Compile the three loops for the kernels' types, or load them from the disk cache:
    called before an instance is loaded, so that a first run's compiler (about 60 MiB)
    never adds to the instance's memory."""
    capacity, ptr, posting, rank = _tiny()
    rank_choices(1, ptr, posting, ptr, posting, posting.copy(), rank)
    choice, _ = solve(capacity, ptr, posting, rank)
    verify(capacity, ptr, posting, rank, choice)
