"""The score of many (student, internship) pairs at once, as `scoring.score` defines it.

Match rounds order the students an enterprise left unranked by this score: a million pairs
in about a second, where calling `scoring.score` pair by pair would take minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.internships.models import (
    Internship,
    InternshipCertificate,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from cbec_alliance.organizations.models import Organization
from cbec_alliance.recommendations.index import (
    MODES,
    PostingIndex,
    assemble,
    certificate_parts,
)
from cbec_alliance.recommendations.scoring import CERTIFICATE_RANKS, StudentSignals
from cbec_alliance.students.models import (
    StudentCertificate,
    StudentCompetency,
    StudentLanguage,
    StudentProfile,
)

CHUNK = 65_536


@dataclass
class StudentArrays:
    """Students' signals aligned with a posting index's code lists, one row a student."""

    levels: np.ndarray  # (S, C) competency level, 0 = none
    major: np.ndarray  # (S,) index into the index's major codes, -1 = other or none
    spoken: np.ndarray  # (S, L) the level spoken, 0 = none
    district: np.ndarray  # (S,) index into the index's district codes, -1 = other
    certs: np.ndarray  # (S, K) rank of the certificate held, 0 = none


def student_arrays(index: PostingIndex, students: Sequence[StudentSignals]) -> StudentArrays:
    """Arrays of `students` in the index's vocabulary."""
    ci = {c: k for k, c in enumerate(index.comp_codes)}
    li = {c: k for k, c in enumerate(index.lang_codes)}
    # A student's major or district may be None: it finds no column (-1).
    mi: dict[str | None, int] = {c: k for k, c in enumerate(index.major_codes)}
    di: dict[str | None, int] = {c: k for k, c in enumerate(index.district_codes)}
    levels = np.zeros((len(students), len(ci)), dtype=np.float32)
    spoken = np.zeros((len(students), len(li)), dtype=np.int64)
    for row, s in enumerate(students):
        for code, level in s.competencies.items():
            if code in ci:
                levels[row, ci[code]] = level
        for code, level in s.languages.items():
            if code in li and level > 0:
                spoken[row, li[code]] = level
    major = np.array([mi.get(s.major, -1) for s in students], dtype=np.int64)
    district = np.array([di.get(s.district, -1) for s in students], dtype=np.int64)
    certs = np.array(
        [[s.certificates.get(c, (0, False))[0] for c in index.cert_codes] for s in students],
        dtype=np.int64,
    ).reshape(len(students), len(index.cert_codes))
    return StudentArrays(levels, major, spoken, district, certs)


def scores(
    index: PostingIndex, students: StudentArrays, pair_s: np.ndarray, pair_p: np.ndarray
) -> np.ndarray:
    """The rounded score of each pair (student row `pair_s[i]`, index row `pair_p[i]`)."""
    out = np.empty(len(pair_s), dtype=np.float64)
    required = index.comp_min > 0
    divisor = np.where(required, index.comp_min, 1.0)
    lang_n = index.lang_req.sum(axis=1)
    has_majors = cast(np.ndarray, index.major_req.any(axis=1))  # numpy types it bool | array
    for start in range(0, len(pair_s), CHUNK):
        s = pair_s[start : start + CHUNK]
        p = pair_p[start : start + CHUNK]
        ratio = np.minimum(students.levels[s] / divisor[p], 1.0)
        comp_sum = np.where(required[p], ratio, 0.0).sum(axis=1)
        n = index.comp_n[p]
        comp = np.where(n > 0, comp_sum / np.maximum(n, 1), 1.0)
        m = students.major[s]
        if index.major_req.shape[1]:
            hit = index.major_req[p, np.maximum(m, 0)] & (m >= 0)
        else:
            hit = np.zeros(len(s), dtype=bool)
        majors = np.where(has_majors[p] & ~hit, 0.0, 1.0)
        hits = (index.lang_req[p] & (students.spoken[s] >= index.lang_min[p])).sum(axis=1)
        languages = np.where(lang_n[p] > 0, hits / np.maximum(lang_n[p], 1), 1.0)
        mode = index.mode[p]
        near = (mode == MODES["remote"]) | (index.district[p] == students.district[s])
        district = np.where(near, 1.0, np.where(mode == MODES["hybrid"], 0.5, 0.0))
        certs, named = certificate_parts(index.cert_min[p], students.certs[s])
        total = (
            np.where(named, 0.4, 0.5) * comp
            + np.where(named, 0.1 * certs, 0.0)
            + 0.2 * majors
            + 0.2 * languages
            + 0.1 * district
        )
        # Half-up to 4 decimals with the same guard as index.PostingIndex.scores.
        out[start : start + CHUNK] = np.floor(total * 10_000 + 0.5 + 1e-8) / 10_000
    return out


def index_of(internship_ids: Sequence[int]) -> PostingIndex:
    """A posting index of the given internships (any status), ordered by id."""
    ids = sorted(internship_ids)
    rows = db.session.execute(
        sa.select(Internship.id, Internship.district, Internship.mode, Internship.kind)
        .where(Internship.id.in_(ids))
        .order_by(Internship.id)
    ).all()

    def children(model, *cols):
        return db.session.execute(
            sa.select(model.internship_id, *cols).where(model.internship_id.in_(ids))
        ).all()

    return assemble(
        rows,
        children(InternshipCompetency, InternshipCompetency.code, InternshipCompetency.min_level),
        children(InternshipMajor, InternshipMajor.code),
        children(InternshipLanguage, InternshipLanguage.code, InternshipLanguage.min_level),
        children(
            InternshipCertificate, InternshipCertificate.code, InternshipCertificate.min_level
        ),
    )


def signals_of(
    student_ids: Sequence[int], universities: Sequence[int], among: sa.Select
) -> list[StudentSignals]:
    """Each student's signals; a student without a profile has only their university's district.

    `among`: a SELECT of (at least) these students' ids, read in one pass with the rows
    (a match round's 100,000 students), instead of IN lists of ids.
    """
    comps: dict[int, dict[str, int]] = {}
    langs: dict[int, dict[str, int]] = {}
    majors: dict[int, str | None] = {}
    sc, sl, sp = StudentCompetency, StudentLanguage, StudentProfile
    for uid, code, level in db.session.execute(
        sa.select(sc.user_id, sc.code, sc.level).where(sc.user_id.in_(among))
    ):
        comps.setdefault(uid, {})[code] = level
    for uid, code, level in db.session.execute(
        sa.select(sl.user_id, sl.code, sl.level).where(sl.user_id.in_(among))
    ):
        langs.setdefault(uid, {})[code] = level
    for uid, major in db.session.execute(
        sa.select(sp.user_id, sp.major).where(sp.user_id.in_(among))
    ):
        majors[uid] = major
    certs = certificates_of(among)
    districts = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.district).where(
                Organization.id.in_(set(universities))
            )
        ).all()
    )
    return [
        StudentSignals(
            competencies=comps.get(uid, {}),
            major=majors.get(uid),
            languages=langs.get(uid, {}),
            district=districts.get(org),
            certificates=certs.get(uid, {}),
        )
        for uid, org in zip(student_ids, universities, strict=True)
    ]


def best_certificates(rows) -> dict[str, tuple[int, bool]]:
    """{code: (rank, verified)} of the best record per catalogued certificate, from
    (code, level, number) rows: the highest level, a verified record before a declared one."""
    best: dict[str, tuple[int, bool]] = {}
    for code, level, number in rows:
        rank = CERTIFICATE_RANKS.get(level, 0)
        if code is not None and rank:
            best[code] = max(best.get(code, (0, False)), (rank, number is not None))
    return best


def certificates_of(among: sa.Select) -> dict[int, dict[str, tuple[int, bool]]]:
    """Each student's best catalogued certificates, for the students `among` selects."""
    sc = StudentCertificate
    rows: dict[int, list] = {}
    for uid, code, level, number in db.session.execute(
        sa.select(sc.user_id, sc.code, sc.level, sc.number).where(
            sc.user_id.in_(among), sc.code.is_not(None)
        )
    ):
        rows.setdefault(uid, []).append((code, level, number))
    return {uid: best_certificates(found) for uid, found in rows.items()}
