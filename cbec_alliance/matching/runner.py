"""Running a round in a worker: load, order, solve, verify and store, then report."""

from __future__ import annotations

import json
import logging
import time

import numpy as np
import sqlalchemy as sa

from cbec_alliance.core.db import for_update, is_postgres
from cbec_alliance.core.events import emit
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching import algorithm, ordering
from cbec_alliance.matching.models import (
    Assignment,
    MatchRound,
    Preference,
    Ranking,
    RoundInternship,
)
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
    capacities = {ri.internship_id: ri.slots for ri in rnd.internships}
    rows = db.session.execute(
        sa.select(Preference.student_id, Preference.university_id, Preference.internship_ids)
        .where(Preference.round_id == rnd.id)
        .order_by(Preference.student_id)
    ).all()
    student_ids = [r[0] for r in rows]
    universities = [r[1] for r in rows]
    # Choices of internships no longer in the round (none today: the set is fixed) are dropped.
    choices = [[p for p in r[2] if p in capacities] for r in rows]
    ranked, excluded = {}, {}
    for internship_id, order, out in db.session.execute(
        sa.select(Ranking.internship_id, Ranking.student_ids, Ranking.excluded_student_ids).where(
            Ranking.round_id == rnd.id
        )
    ):
        ranked[internship_id], excluded[internship_id] = order, out
    among = sa.select(Preference.student_id).where(Preference.round_id == rnd.id)
    score = scorer(capacities, student_ids, universities, among)
    posting_ranks = ordering.posting_orders(student_ids, choices, ranked, excluded, score, rnd.seed)
    loaded = time.perf_counter()
    result = algorithm.match(
        capacities, dict(zip(student_ids, choices, strict=True)), posting_ranks
    )
    solved = time.perf_counter()
    _store(rnd, result, universities)
    position = result.position()
    matched = int((position >= 0).sum())
    first = int((position == 0).sum())
    stats = {
        "students": len(student_ids),
        "slots": sum(capacities.values()),
        "matched": matched,
        "unmatched": len(student_ids) - matched,
        "first_choice": first,
        "first_choice_share": round(first / len(student_ids), 4) if student_ids else 0.0,
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


def scorer(capacities: dict, student_ids: list[int], universities: list[int], among):
    """`score(rows, internship_ids)`: the recommendation score of pairs (row in
    `student_ids`, internship among `capacities`); `among` selects (at least) the students."""
    cache: dict = {}

    def score(rows: np.ndarray, internships: np.ndarray) -> np.ndarray:
        # Built on first use: a round where enterprises ranked everyone never reads profiles.
        if not cache:
            index = pairs.index_of(list(capacities))
            cache["index"] = index
            cache["students"] = pairs.student_arrays(
                index, pairs.signals_of(student_ids, universities, among)
            )
        index = cache["index"]
        return pairs.scores(index, cache["students"], rows, np.searchsorted(index.ids, internships))

    return score


def _store(rnd: MatchRound, result: algorithm.Matching, universities: list[int]) -> None:
    instance = result.instance
    db.session.execute(sa.delete(Assignment).where(Assignment.round_id == rnd.id))
    # The preference lists, flattened: student row k's choices are the entries starts[k] to
    # starts[k + 1], best first, each an internship (its place in the round, and its id) with
    # the rank it gave the student; `choice` is the entry each student got (-1: none).
    starts = instance.pref_ptr.tolist()
    places = instance.pref_posting.tolist()
    chosen = [instance.posting_ids[place] for place in places]
    rank = instance.pref_rank.tolist()
    cutoff = result.cutoff.tolist()
    choice = result.choice.tolist()
    rows = []
    for row, student_id in enumerate(instance.student_ids):
        got = choice[row]
        end = got if got >= 0 else starts[row + 1]
        # Each higher choice as [internship, your rank, last admitted rank] (1-based; rank
        # None: excluded), expanded into sentences when the student reads it.
        why = [
            [
                chosen[entry],
                rank[entry] + 1 if rank[entry] != algorithm.UNACCEPTABLE else None,
                cutoff[places[entry]] + 1 if cutoff[places[entry]] >= 0 else None,
            ]
            for entry in range(starts[row], end)
        ]
        rows.append(
            (
                rnd.id,
                student_id,
                universities[row],
                chosen[got] if got >= 0 else None,
                got - starts[row] + 1 if got >= 0 else None,
                why,
                None,  # no_offer: set at publication
            )
        )
    bulk_insert(Assignment.__table__, rows)
    filled = result.filled.tolist()
    results = [
        (internship_id, filled[place], cutoff[place] + 1 if cutoff[place] >= 0 else None)
        for place, internship_id in enumerate(instance.posting_ids)
    ]
    store_internship_results(rnd.id, results)


def bulk_insert(table: sa.Table, rows: list[tuple]) -> None:
    """Insert many rows (tuples in the table's column order; JSON values as Python lists or
    dicts): COPY on PostgreSQL, about 30 times faster than INSERTs for 100,000 assignments;
    one executemany elsewhere."""
    if is_postgres():
        _copy(table, rows)
    elif rows:
        names = [column.name for column in table.columns]
        db.session.connection().execute(
            sa.insert(table), [dict(zip(names, row, strict=True)) for row in rows]
        )


def _copy(table: sa.Table, rows: list[tuple]) -> None:
    """PostgreSQL's COPY ... FROM STDIN through the session's connection."""
    names = ", ".join(column.name for column in table.columns)
    json_at = {k for k, column in enumerate(table.columns) if isinstance(column.type, sa.JSON)}
    driver = db.session.connection().connection.driver_connection
    assert driver is not None  # a checked-out connection has its driver's connection
    cursor = driver.cursor()
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(value, ensure_ascii=False) if k in json_at else value
                    for k, value in enumerate(row)
                ]
            )


def store_internship_results(round_id: int, results: list[tuple]) -> None:
    """Set `filled` and `cutoff_rank` of the round's internships from (internship id, filled,
    cutoff rank) triples: one UPDATE from arrays on PostgreSQL (10,000 internships at once),
    one executemany elsewhere."""
    if is_postgres():
        _update_from_arrays(round_id, results)
        return
    table = RoundInternship.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.round_id == round_id, table.c.internship_id == sa.bindparam("_id"))
        .values(filled=sa.bindparam("_filled"), cutoff_rank=sa.bindparam("_cutoff")),
        [
            {"_id": internship_id, "_filled": filled, "_cutoff": cutoff}
            for internship_id, filled, cutoff in results
        ],
    )


def _update_from_arrays(round_id: int, results: list[tuple]) -> None:
    """PostgreSQL: one statement for every internship of the round, from unnest(arrays)."""
    ids, filled, cutoff = (
        (list(column) for column in zip(*results, strict=True)) if results else ([],) * 3
    )
    db.session.execute(
        sa.text(
            """UPDATE match_round_internships AS r SET filled = v.filled, cutoff_rank = v.cutoff
            FROM unnest(CAST(:ids AS integer[]), CAST(:filled AS integer[]),
                        CAST(:cutoff AS integer[])) AS v(internship_id, filled, cutoff)
            WHERE r.round_id = :round_id AND r.internship_id = v.internship_id"""
        ),
        {"ids": ids, "filled": filled, "cutoff": cutoff, "round_id": round_id},
    )


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
