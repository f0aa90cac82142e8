"""Profiled students as arrays, so one posting is scored against all of them at once.

The other way round from `index` (every open posting for one student): `scoring.score` is
the definition, and `scores` computes the same rounded numbers for every student in a few
milliseconds, in exact integer arithmetic (each part is a fraction whose denominator divides
600 * required competencies * required languages), so equal fits are equal keys and ties
break by id exactly as `ORDER BY score DESC, user_id` did.

Each process keeps one index per database, versioned by the newest
`student_profiles.updated_at` (every saved profile touches it; an index serves it), so
nothing served is older than the profiles a request can see; `MAX_AGE` bounds what a
version cannot show (a profile deleted with its user, or a transaction that commits an older
timestamp after a newer one). The index's universities (approved or not, their districts)
are kept beside it, versioned by the newest `organizations.updated_at`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.db import joined, joined_ints
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.recommendations.scoring import (
    CERTIFICATE_RANKS,
    PostingSignals,
    StudentSignals,
)
from cbec_alliance.students.models import (
    StudentCertificate,
    StudentCompetency,
    StudentLanguage,
    StudentProfile,
)

MAX_AGE = 300.0
UNIT = 10_000  # scores are kept as whole units of 1/10,000 (4 decimals)


@dataclass
class StudentIndex:
    """Profiled students, one column each (rows: codes), ordered by id."""

    ids: np.ndarray  # (n,) int64 user ids, ascending
    university_ids: np.ndarray  # (U,) int64 distinct universities
    university: np.ndarray  # (n,) index into university_ids
    major_codes: list[str]
    major: np.ndarray  # (n,) index into major_codes, -1 = none
    comp_codes: list[str]
    comp_levels: np.ndarray  # (C, n) int8 level, 0 = none
    lang_codes: list[str]
    lang_levels: np.ndarray  # (L, n) int8 level, 0 = none
    cert_codes: list[str]
    # (K, n) int8: 2 * rank of the best level held + 1 when that record is verified; 0 = none
    cert_held: np.ndarray
    serial: int = 0  # which build of this process (keys its universities)

    def __len__(self) -> int:
        return len(self.ids)

    def signals(self, row: int, district: str | None) -> StudentSignals:
        """The student at `row` as `scoring.StudentSignals` (`district`: their university's)."""
        return StudentSignals(
            competencies=_levels(self.comp_codes, self.comp_levels[:, row]),
            major=self.major_codes[self.major[row]] if self.major[row] >= 0 else None,
            languages=_levels(self.lang_codes, self.lang_levels[:, row]),
            district=district,
            certificates={
                code: (int(v) // 2, bool(v % 2))
                for code, v in zip(self.cert_codes, self.cert_held[:, row], strict=True)
                if v > 0
            },
        )


def _levels(codes: list[str], column: np.ndarray) -> dict[str, int]:
    return {code: int(level) for code, level in zip(codes, column, strict=True) if level > 0}


def scores(index: StudentIndex, posting: PostingSignals, near: np.ndarray) -> np.ndarray:
    """Every student's score for `posting` in units of 1/10,000, rounded half-up like
    `scoring.round_score`; `near[u]`: university row `u` is in the posting's district."""
    n = len(index)
    n_comp = max(len(posting.competencies), 1)
    n_lang = max(len(posting.languages), 1)
    # Competency credit in 60ths (60 = lcm of the levels 1..5): min(60 * level / need, 60).
    comp = (
        np.full(n, 60 * n_comp, dtype=np.int64)
        if not posting.competencies
        else _comp(index, posting.competencies)
    )
    if posting.majors:
        wanted = np.array([c in posting.majors for c in index.major_codes] + [False])
        majors = wanted[index.major].astype(np.int64)  # -1 reads the trailing False
    else:
        majors = np.ones(n, dtype=np.int64)
    if posting.languages:
        langs = np.zeros(n, dtype=np.int64)
        for code in posting.languages:
            if code in index.lang_codes:
                spoken = index.lang_levels[index.lang_codes.index(code)]
                langs += spoken >= posting.language_level(code)
    else:
        langs = np.ones(n, dtype=np.int64)
    # District credit in halves: 2 remote or same district, 1 hybrid elsewhere, 0 onsite.
    if posting.mode == "remote":
        district = np.full(n, 2, dtype=np.int64)
    else:
        district = np.where(near[index.university], 2, 1 if posting.mode == "hybrid" else 0)
    # Certificates held at their level (scoring.weights: a posting naming any moves 0.1 of
    # the competencies' weight to them, so the competency term's 5 becomes 4).
    n_cert = max(len(posting.certificates), 1)
    held = np.zeros(n, dtype=np.int64)
    for code, need in posting.certificates.items():
        if code in index.cert_codes:
            held += index.cert_held[index.cert_codes.index(code)] // 2 >= need
    comp_weight = 4 if posting.certificates else 5
    # The exact score times 600 * n_comp * n_lang * n_cert, then half-up to 4 decimals in
    # integers.
    denominator = 600 * n_comp * n_lang * n_cert
    numerator = (
        comp_weight * n_lang * n_cert * comp
        + 120 * n_comp * n_lang * n_cert * majors
        + 120 * n_comp * n_cert * langs
        + 30 * n_comp * n_lang * n_cert * district
        + (60 * n_comp * n_lang * held if posting.certificates else 0)
    )
    return (2 * numerator * UNIT + denominator) // (2 * denominator)


def _comp(index: StudentIndex, required: Mapping[str, int]) -> np.ndarray:
    total = np.zeros(len(index), dtype=np.int64)
    for code, need in required.items():
        if code in index.comp_codes:
            levels = index.comp_levels[index.comp_codes.index(code)].astype(np.int64)
            total += np.minimum(levels * 60 // need, 60)
    return total


def ranked(keys_of: np.ndarray, eligible: np.ndarray, offset: int, limit: int) -> np.ndarray:
    """Rows `offset`..`offset + limit` of the eligible students, best score first, ties by
    id (rows are in id order); `keys_of`: the scores from `scores`.

    Scores are whole units 0..10,000, so a histogram finds the page's lowest score (the
    cut) in one pass; only the students above it and the first ones at it (in id order, as
    ties break) are sorted: five times faster than an argpartition of 200,000 keys.
    """
    eligible = np.asarray(eligible, dtype=bool)
    chosen = keys_of[eligible]
    end = min(offset + limit, len(chosen))
    if offset >= end:
        return np.zeros(0, dtype=np.int64)
    at_least = np.cumsum(np.bincount(chosen, minlength=UNIT + 1)[::-1])
    cut = UNIT - int(np.searchsorted(at_least, end))
    better = np.flatnonzero(eligible & (keys_of > cut))
    tied = np.flatnonzero(eligible & (keys_of == cut))[: end - len(better)]
    rows = np.concatenate([better, tied])
    rows = rows[np.lexsort((rows, -keys_of[rows]))]
    return rows[offset:end]


# --- building the index ------------------------------------------------------------------


def build() -> StudentIndex:
    """Read every profile with its competencies and languages into arrays.

    Set-based: one row per (university, major) and per code, each carrying its students as
    joined text (`core.db.joined`), so 200,000 profiles and their million levels arrive as a
    few hundred strings instead of a million driver rows.
    """
    sp = StudentProfile
    groups = sa.select(sp.university_id, sp.major, joined(sp.user_id)).group_by(
        sp.university_id, sp.major
    )
    profiles = [
        (joined_ints(users), university, major)
        for university, major, users in db.session.execute(groups)
    ]
    return assemble(
        profiles, _levelled(StudentCompetency), _levelled(StudentLanguage), _certificates()
    )


def _certificates() -> list[tuple[list[int], str, list[int]]]:
    """(user ids, code, 2 * rank + verified) per catalogued certificate: the best record of
    each student (few rows: certificates are rarer than competencies)."""
    sc = StudentCertificate
    best: dict[tuple[int, str], int] = {}
    for uid, code, level, number in db.session.execute(
        sa.select(sc.user_id, sc.code, sc.level, sc.number).where(sc.code.is_not(None))
    ):
        rank = CERTIFICATE_RANKS.get(level, 0)
        if rank and code is not None:
            value = 2 * rank + (number is not None)
            best[(uid, code)] = max(best.get((uid, code), 0), value)
    return _by_code([(uid, code, value) for (uid, code), value in best.items()])


def _levelled(model) -> list[tuple[np.ndarray, str, np.ndarray]]:
    """(user ids, code, levels) per code of `model`'s rows, read as one joined text per code."""
    packed = joined(model.user_id * 8 + model.level)  # levels are 1..5: 3 bits
    out = []
    for code, text in db.session.execute(sa.select(model.code, packed).group_by(model.code)):
        values = joined_ints(text)
        out.append((values >> 3, code, (values & 7).astype(np.int8)))
    return out


def from_signals(students: Mapping[int, tuple[int, StudentSignals]]) -> StudentIndex:
    """An index of `students` (id -> (university id, signals)) without a database."""
    ids = sorted(students)
    return assemble(
        [([i], students[i][0], students[i][1].major) for i in ids],
        _by_code([(i, c, lv) for i in ids for c, lv in students[i][1].competencies.items()]),
        _by_code([(i, c, lv) for i in ids for c, lv in students[i][1].languages.items()]),
        _by_code(
            [
                (i, c, 2 * rank + verified)
                for i in ids
                for c, (rank, verified) in students[i][1].certificates.items()
                if rank
            ]
        ),
    )


def _by_code(triples: list[tuple[int, str, int]]) -> list[tuple[list[int], str, list[int]]]:
    """(user ids, code, levels) per code from (user id, code, level) rows."""
    codes = sorted({code for _user, code, _level in triples})
    return [
        (
            [user for user, c, _level in triples if c == code],
            code,
            [level for _user, c, level in triples if c == code],
        )
        for code in codes
    ]


def assemble(profiles, comps, langs, certs=()) -> StudentIndex:
    """Arrays from (user ids, university id, major) per group of profiles and, per code,
    (user ids, code, levels) of the competencies, the languages and the certificates (levels
    as 2 * rank + verified)."""
    sizes = [len(users) for users, _university, _major in profiles]
    ids = np.concatenate(
        [np.asarray(users, dtype=np.int64) for users, _u, _m in profiles] or [np.zeros(0, np.int64)]
    )
    order = np.argsort(ids, kind="stable")
    university_ids, universities = np.unique(
        np.array([u for _users, u, _m in profiles], dtype=np.int64), return_inverse=True
    )
    major_codes = sorted({m for _users, _u, m in profiles if m is not None})
    mi = {code: k for k, code in enumerate(major_codes)}
    majors = np.array([mi.get(m, -1) for _users, _u, m in profiles], dtype=np.int64)
    ids = ids[order]
    comp_codes, comp_levels = _matrix(ids, comps)
    lang_codes, lang_levels = _matrix(ids, langs)
    cert_codes, cert_held = _matrix(ids, certs)
    return StudentIndex(
        ids=ids,
        university_ids=university_ids,
        university=np.repeat(universities.reshape(-1), sizes)[order],
        major_codes=major_codes,
        major=np.repeat(majors, sizes)[order],
        comp_codes=comp_codes,
        comp_levels=comp_levels,
        lang_codes=lang_codes,
        lang_levels=lang_levels,
        cert_codes=cert_codes,
        cert_held=cert_held,
    )


def _matrix(ids: np.ndarray, groups) -> tuple[list[str], np.ndarray]:
    """(codes, (codes, students) int8 levels) from (user ids, code, levels) per code."""
    codes = sorted({code for _users, code, _levels in groups})
    column = {code: k for k, code in enumerate(codes)}
    levels = np.zeros((len(codes), len(ids)), dtype=np.int8)
    for users, code, values in groups:
        users = np.asarray(users, dtype=np.int64)
        rows = np.searchsorted(ids, users)
        # A row written after the profiles were read has no column: left out.
        known = (rows < len(ids)) & (ids[np.minimum(rows, max(len(ids) - 1, 0))] == users)
        levels[column[code], rows[known]] = np.asarray(values, dtype=np.int8)[known]
    return codes, levels


@dataclass
class Universities:
    """The index's universities as they are now: approved or not, and where."""

    approved: np.ndarray  # (U,) bool, aligned with StudentIndex.university_ids
    district: list[str | None]  # None unless approved

    def near(self, district: str) -> np.ndarray:
        """Per university: approved and in `district`."""
        return np.array([bool(district) and d == district for d in self.district], dtype=bool)


def universities_of(index: StudentIndex) -> Universities:
    """Read the index's universities' status and district (a few hundred rows by key)."""
    found = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.district).where(
                Organization.id.in_([int(u) for u in index.university_ids]),
                Organization.status == "approved",
            )
        ).all()
    )
    return Universities(
        approved=np.array([int(u) in found for u in index.university_ids], dtype=bool),
        district=[found.get(int(u)) for u in index.university_ids],
    )


_indexes = ProcessCache("student index", maxsize=8)
_builds = itertools.count(1)


def current(*, rebuild: bool = False) -> tuple[StudentIndex, Universities]:
    """This process's index of the profiles and their universities as they are now
    (`rebuild`: read the profiles afresh): one round trip when nothing changed."""
    students, organizations = db.session.execute(
        sa.select(
            sa.select(sa.func.max(StudentProfile.updated_at)).scalar_subquery(),
            sa.select(sa.func.max(Organization.updated_at)).scalar_subquery(),
        )
    ).one()
    index = None if rebuild else _indexes.get("students", version=students, max_age=MAX_AGE)
    if index is None:
        index = build()
        index.serial = next(_builds)
        _indexes.put("students", index, version=students)
    key = ("universities", index.serial)
    universities = _indexes.get(key, version=organizations, max_age=MAX_AGE)
    if universities is None:
        universities = universities_of(index)
        _indexes.put(key, universities, version=organizations)
    return index, universities
