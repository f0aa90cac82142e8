"""Running a round in a worker: load, order, solve, verify and store, then report."""

from __future__ import annotations

import logging
import time

import numpy as np
import sqlalchemy as sa

from cbec_alliance.core.db import for_update, is_postgres
from cbec_alliance.core.events import emit
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching import algorithm, kernels, ordering, storing
from cbec_alliance.matching.models import Assignment, MatchRound, Preference
from cbec_alliance.matching.services import RUN_TASK
from cbec_alliance.notifications import recovery
from cbec_alliance.recommendations import pairs

log = logging.getLogger(__name__)
# pg_try_advisory_xact_lock(RUN_LOCK, round id): one run of a round at a time, without
# locking the round's row against readers for the seconds a run takes.
RUN_LOCK = 0x4D52  # "MR"


def take_run_lock(round_id: int) -> bool:
    """Take the round's run lock until this transaction ends; False when another holds it.

    PostgreSQL: an advisory transaction lock (RUN_LOCK, round id), which nobody reading the
    round waits for. SQLite: a task's transaction holds the database's write lock from BEGIN
    IMMEDIATE to its commit (core/db.py), so no other run or sweep is inside one: always True.
    """
    if not is_postgres():
        return True
    return bool(db.session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(RUN_LOCK, round_id))))


def execute(round_id: int) -> dict | None:
    """Run a round that is `running`; on any failure mark it `failed` with the error."""
    if not take_run_lock(round_id):
        return None  # another worker is running this round (a message sent twice)
    rnd = db.session.get(MatchRound, round_id)
    if rnd is None or rnd.status != "running":
        return None  # a duplicate delivery, or the round changed meanwhile
    try:
        # In a savepoint: a failure undoes the run's writes but not the transaction, which
        # holds the advisory lock until `failed` is committed (a full rollback would free
        # it, and a redelivered message or the sweep could start a second run meanwhile).
        with db.session.begin_nested():
            stats = _run(rnd)
    except Exception as exc:
        log.exception("match round %s failed", round_id)
        rnd = db.session.get_one(MatchRound, round_id)  # read above, before the savepoint
        rnd.status = "failed"
        rnd.error = f"{type(exc).__name__}: {exc}"[:2000]
        rnd.run_finished_at = utcnow()
        _report(rnd)
        return None
    _report(rnd)
    return stats


def _run(rnd: MatchRound) -> dict:
    started = time.perf_counter()
    kernels.warm()  # a first run compiles before the round is loaded, not on top of it
    posting_ids = np.array([ri.internship_id for ri in rnd.internships], dtype=np.int64)
    capacity = np.array([ri.slots for ri in rnd.internships], dtype=np.int64)
    prefs, universities = storing.load_preferences(rnd.id, posting_ids)
    ranked, excluded = storing.load_rankings(rnd.id)
    among = sa.select(Preference.student_id).where(Preference.round_id == rnd.id)
    score = scorer(posting_ids.tolist(), prefs.owners.tolist(), universities.tolist(), among)
    ranks = ordering.posting_orders(prefs, ranked, excluded, score, rnd.seed)
    loaded = time.perf_counter()
    result = algorithm.solve(algorithm.build_arrays(posting_ids, capacity, prefs, ranks))
    solved = time.perf_counter()
    _store(rnd, result, universities)
    position = result.position()
    students = len(prefs.owners)
    matched = int((position >= 0).sum())
    first = int((position == 0).sum())
    stats = {
        "students": students,
        "slots": int(capacity.sum()),
        "matched": matched,
        "unmatched": students - matched,
        "first_choice": first,
        "first_choice_share": round(first / students, 4) if students else 0.0,
        "proposals": result.proposals,
        "load_seconds": round(loaded - started, 3),
        "solve_seconds": round(solved - loaded, 3),
        "run_seconds": round(time.perf_counter() - started, 3),
    }
    rnd.stats = stats
    rnd.verdict = {**result.verdict.as_dict(), "checked_at": utcnow().isoformat()}
    rnd.status = "done"
    rnd.error = None
    rnd.run_finished_at = utcnow()
    return stats


def scorer(internship_ids: list[int], student_ids: list[int], universities: list[int], among):
    """`score(rows, internship_ids)`: the recommendation score of pairs (row in
    `student_ids`, one of `internship_ids`); `among` selects (at least) the students."""
    cache: dict = {}

    def score(rows: np.ndarray, internships: np.ndarray) -> np.ndarray:
        # Built on first use: a round where enterprises ranked everyone never reads profiles.
        if not cache:
            index = pairs.index_of(list(internship_ids))
            cache["index"] = index
            cache["students"] = pairs.student_arrays(
                index, pairs.signals_of(student_ids, universities, among)
            )
        index = cache["index"]
        return pairs.scores(index, cache["students"], rows, np.searchsorted(index.ids, internships))

    return score


def _store(rnd: MatchRound, result: algorithm.Matching, universities: np.ndarray) -> None:
    """Replace the round's assignments and set its internships' results."""
    db.session.execute(sa.delete(Assignment).where(Assignment.round_id == rnd.id))
    storing.store_assignments(rnd.id, storing.outcome(result, universities))
    filled, cutoff = result.filled.tolist(), result.cutoff.tolist()
    results = [
        (internship_id, filled[place], cutoff[place] + 1 if cutoff[place] >= 0 else None)
        for place, internship_id in enumerate(np.asarray(result.instance.posting_ids).tolist())
    ]
    storing.store_internship_results(rnd.id, results)


def _report(rnd: MatchRound) -> None:
    emit(
        "match_round.finished",
        {
            "round_id": rnd.id,
            "name": rnd.name,
            "status": rnd.status,
            "matched": (rnd.stats or {}).get("matched"),
            "students": (rnd.stats or {}).get("students"),
            "stable": (rnd.verdict or {}).get("stable"),
            "error": rnd.error,
        },
    )


def resume_stalled() -> int:
    """Send the run task again for rounds still `running` whose run nobody is doing: its
    message was lost (Redis restarted, a worker died before recording it) or its worker was
    killed mid-run (recovery.py says when); returns how many."""
    now = utcnow()
    stalled = sa.select(MatchRound).where(
        MatchRound.status == "running",
        MatchRound.run_requested_at < recovery.owed_before("round", now),
    )
    # The row lock keeps a finishing worker from changing the status under us (it waits for
    # our commit); then a run lock we can take belongs to no live worker.
    stmt = for_update(stalled, skip_locked=True)
    rounds = [rnd for rnd in db.session.scalars(stmt).all() if take_run_lock(rnd.id)]
    for rnd in rounds:
        rnd.run_requested_at = now
    ids = [rnd.id for rnd in rounds]
    # The commit frees the run locks taken above before the messages go out; a worker that
    # found one taken meanwhile gave up, and these messages stand in for that one's.
    db.session.commit()
    for round_id in ids:
        enqueue(RUN_TASK, round_id)
    return len(ids)
