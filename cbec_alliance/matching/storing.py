"""Reading a round's lists into arrays and writing its results, for the worker's run.

Each database step has one PostgreSQL fast path and a portable path beside it (SQLite), both
tested on the same rounds (tests/matching): the lists are read as the JSON text they are
stored as and parsed into CSR arrays in one NumPy call on both; the 100,000 assignments of a
round go in by one COPY of text built from arrays on PostgreSQL (an executemany elsewhere),
the internships' results by one UPDATE from unnest(arrays).
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np
import sqlalchemy as sa

from cbec_alliance.core.db import is_postgres
from cbec_alliance.extensions import db

from .algorithm import UNACCEPTABLE, Lists, Matching
from .models import Assignment, Preference, Ranking, RoundInternship

COPY_LINES = 4096  # assignments a write to COPY
NULL = "\\N"  # COPY's text format for NULL


def parse_lists(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(CSR offsets, flat int64 items) of JSON lists of integers given as text."""
    bodies = [text.strip()[1:-1] for text in texts]
    lengths = np.array(
        [body.count(",") + 1 if body.strip() else 0 for body in bodies], dtype=np.int64
    )
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    joined = ",".join(body for body in bodies if body.strip())
    items = np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, np.int64)
    if len(items) != ptr[-1]:  # not plain integers (never written so): the slow, exact way
        items = np.array([k for text in texts for k in json.loads(text)], dtype=np.int64)
    return ptr, items


def _text(column) -> sa.ColumnElement:
    """A JSON column as the text it is stored as."""
    return sa.cast(column, sa.Text)


def load_preferences(round_id: int, posting_ids: np.ndarray) -> tuple[Lists, np.ndarray]:
    """The students' lists of the round's internships, by student id, and their
    universities; choices of internships no longer in the round (none today) are dropped."""
    p = Preference
    rows = db.session.execute(
        sa.select(p.student_id, p.university_id, _text(p.internship_ids))
        .where(p.round_id == round_id)
        .order_by(p.student_id)
    ).all()
    students = np.array([row[0] for row in rows], dtype=np.int64)
    universities = np.array([row[1] for row in rows], dtype=np.int64)
    ptr, items = parse_lists([row[2] for row in rows])
    keep = np.isin(items, posting_ids)
    if not keep.all():
        row_of = np.repeat(np.arange(len(rows)), np.diff(ptr))
        np.cumsum(np.bincount(row_of[keep], minlength=len(rows)), out=ptr[1:])
        items = items[keep]
    return Lists(students, ptr, items), universities


def load_rankings(round_id: int) -> tuple[Lists, Lists]:
    """The enterprises' orders and exclusions, by internship."""
    r = Ranking
    rows = db.session.execute(
        sa.select(r.internship_id, _text(r.student_ids), _text(r.excluded_student_ids))
        .where(r.round_id == round_id)
        .order_by(r.internship_id)
    ).all()
    owners = np.array([row[0] for row in rows], dtype=np.int64)
    ranked = Lists(owners, *parse_lists([row[1] for row in rows]))
    return ranked, Lists(owners, *parse_lists([row[2] for row in rows]))


class Outcome(NamedTuple):
    """Each student's assignment as columns, with why not each higher choice.

    Student k's higher choices are entries why_ptr[k] to why_ptr[k + 1] of the why_*
    columns: the internship, the rank it gave the student and the last rank it admitted
    (1-based; 0 stands for none: excluded, or nobody admitted)."""

    students: np.ndarray
    universities: np.ndarray
    internship: np.ndarray  # 0: unmatched
    choice: np.ndarray  # 1 = first choice; 0: unmatched
    why_ptr: np.ndarray
    why_internship: np.ndarray
    why_rank: np.ndarray
    why_cutoff: np.ndarray


def outcome(result: Matching, universities: np.ndarray) -> Outcome:
    """The columns of the assignments of a run."""
    inst = result.instance
    posting_ids = np.asarray(inst.posting_ids, dtype=np.int64)
    starts, got = inst.pref_ptr[:-1], result.choice
    matched = got >= 0
    place = inst.pref_posting[np.where(matched, got, 0)] if len(got) else got
    # Each choice above the one given (all of them for an unmatched student).
    end = np.where(matched, got, inst.pref_ptr[1:])
    row_of = np.repeat(np.arange(len(got)), np.diff(inst.pref_ptr))
    higher = np.arange(len(inst.pref_posting)) < end[row_of] if len(row_of) else row_of > 0
    places, ranks = inst.pref_posting[higher], inst.pref_rank[higher]
    why_ptr = np.zeros(len(got) + 1, dtype=np.int64)
    np.cumsum(end - starts, out=why_ptr[1:])
    return Outcome(
        np.asarray(inst.student_ids, dtype=np.int64),
        universities,
        np.where(matched, posting_ids[place] if len(place) else 0, 0),
        np.where(matched, got - starts + 1, 0),
        why_ptr,
        posting_ids[places],
        np.where(ranks != UNACCEPTABLE, ranks.astype(np.int64) + 1, 0),
        result.cutoff[places] + 1,
    )


def _why_columns(out: Outcome):
    """(internship, your rank, last admitted rank) of each higher choice, in order."""
    columns = (out.why_internship, out.why_rank, out.why_cutoff)
    return zip(*(column.tolist() for column in columns), strict=True)


def _by_student(out: Outcome, items: list) -> list[list]:
    """`items`, one a higher choice, split into each student's."""
    bounds = out.why_ptr.tolist()
    return [items[bounds[k] : bounds[k + 1]] for k in range(len(bounds) - 1)]


def _why_texts(out: Outcome) -> list[str]:
    """Each explanation as JSON text, exactly as json.dumps writes the lists."""
    top = max(out.why_rank.max(initial=0), out.why_cutoff.max(initial=0))
    names = ["null", *map(str, range(1, int(top) + 1))]  # 0 stands for null
    triples = [f"[{i}, {names[r]}, {names[c]}]" for i, r, c in _why_columns(out)]
    return ["[" + ", ".join(why) + "]" for why in _by_student(out, triples)]


def _why_lists(out: Outcome) -> list[list]:
    """Each explanation as lists, for the portable path."""
    return _by_student(out, [[i, r or None, c or None] for i, r, c in _why_columns(out)])


def _rows(out: Outcome, whys: list):
    """(student, university, internship, choice, explanation) of each assignment."""
    columns = (out.students, out.universities, out.internship, out.choice)
    return zip(*(column.tolist() for column in columns), whys, strict=True)


def store_assignments(round_id: int, out: Outcome) -> None:
    """Insert the round's assignments (`no_offer` is set at publication): one COPY of text on
    PostgreSQL, built from the columns without a Python object a value; one executemany
    elsewhere."""
    if is_postgres():
        _copy_assignments(round_id, out)
        return
    table = Assignment.__table__
    rows = [
        {
            "round_id": round_id,
            "student_id": student,
            "university_id": university,
            "internship_id": internship or None,
            "choice": choice or None,
            "explanation": why,
            "no_offer": None,
        }
        for student, university, internship, choice, why in _rows(out, _why_lists(out))
    ]
    if rows:
        db.session.connection().execute(sa.insert(table), rows)


def _copy_assignments(round_id: int, out: Outcome) -> None:
    """PostgreSQL: COPY ... FROM STDIN through the session's connection, in large writes."""
    lines = [
        f"{round_id}\t{student}\t{university}\t{internship or NULL}\t{choice or NULL}\t{why}\n"
        for student, university, internship, choice, why in _rows(out, _why_texts(out))
    ]
    columns = "round_id, student_id, university_id, internship_id, choice, explanation"
    driver = db.session.connection().connection.driver_connection
    assert driver is not None  # a live pooled connection always has its driver's
    cursor = driver.cursor()
    with cursor.copy(f"COPY {Assignment.__tablename__} ({columns}) FROM STDIN") as copy:
        for start in range(0, len(lines), COPY_LINES):
            copy.write("".join(lines[start : start + COPY_LINES]))


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
