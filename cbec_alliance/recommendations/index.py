"""The open postings as arrays, so one student is scored against all of them at once.

`scoring.score` is the definition; this module computes the same numbers with NumPy for every
open posting in a few milliseconds (a test checks they agree on random instances). Each web
process keeps one index and rebuilds it when the newest `internships.updated_at` changes
(every change to a posting, its children included, touches it) or after `MAX_AGE` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask import current_app

from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import (
    Internship,
    InternshipCertificate,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from cbec_alliance.recommendations.scoring import (
    CERTIFICATE_RANKS,
    PostingSignals,
    StudentSignals,
)

MAX_AGE = 300.0
MODES = {"onsite": 0, "hybrid": 1, "remote": 2}


@dataclass
class PostingIndex:
    """Open postings, one row each, ordered by id."""

    ids: np.ndarray
    comp_codes: list[str]
    comp_min: np.ndarray  # (n, C) minimum level, 0 = not required
    comp_n: np.ndarray
    major_codes: list[str]
    major_req: np.ndarray  # (n, M) bool
    lang_codes: list[str]
    lang_req: np.ndarray  # (n, L) bool
    lang_min: np.ndarray  # (n, L) the level asked, 0 = not asked
    district_codes: list[str]
    district: np.ndarray  # index into district_codes
    mode: np.ndarray
    cert_codes: list[str]
    cert_min: np.ndarray  # (n, K) minimum rank 1..3, 0 = not required
    kind: np.ndarray  # (n,) the posting's kind (internship, full_time, ...)

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, student: StudentSignals) -> np.ndarray:
        """Every posting's score for `student`, rounded like `scoring.round_score`."""
        n = len(self.ids)
        if n == 0:
            return np.zeros(0)
        levels = np.array([student.competencies.get(c, 0) for c in self.comp_codes], float)
        required = self.comp_min > 0
        ratio = np.minimum(levels[None, :] / np.where(required, self.comp_min, 1.0), 1.0)
        comp_sum = np.where(required, ratio, 0.0).sum(axis=1)
        comp = np.where(self.comp_n > 0, comp_sum / np.maximum(self.comp_n, 1), 1.0)
        has_majors = self.major_req.any(axis=1)
        if student.major in self.major_codes:
            major_hit = self.major_req[:, self.major_codes.index(student.major)]
        else:
            major_hit = np.zeros(n, bool)
        majors = np.where(has_majors & ~major_hit, 0.0, 1.0)
        spoken = np.array([student.languages.get(c, 0) for c in self.lang_codes], np.int64)
        lang_n = self.lang_req.sum(axis=1)
        lang_hits = (self.lang_req & (spoken[None, :] >= self.lang_min)).sum(axis=1)
        languages = np.where(lang_n > 0, lang_hits / np.maximum(lang_n, 1), 1.0)
        d = (
            self.district_codes.index(student.district)
            if student.district in self.district_codes
            else -1
        )
        near = (self.mode == MODES["remote"]) | (self.district == d)
        district = np.where(near, 1.0, np.where(self.mode == MODES["hybrid"], 0.5, 0.0))
        held = np.array([student.certificates.get(c, (0, False))[0] for c in self.cert_codes])
        certs, named = certificate_parts(self.cert_min, held.reshape(1, -1))
        # scoring.weights: 0.1 moves from competencies to certificates when any is named.
        total = (
            np.where(named, 0.4, 0.5) * comp
            + np.where(named, 0.1 * certs, 0.0)
            + 0.2 * majors
            + 0.2 * languages
            + 0.1 * district
        )
        # Half-up to 4 decimals. Exact scores are fractions with small denominators, so they
        # are either exactly on a half or far (> 1e-10) from one; 1e-8 (scaled) absorbs the
        # float error without ever crossing a real boundary.
        return np.floor(total * 10_000 + 0.5 + 1e-8) / 10_000

    def signals(self, row: int) -> PostingSignals:
        """The posting at `row` as `scoring.PostingSignals`."""
        comp = {
            c: int(v) for c, v in zip(self.comp_codes, self.comp_min[row], strict=True) if v > 0
        }
        return PostingSignals(
            competencies=comp,
            majors=frozenset(
                c for c, r in zip(self.major_codes, self.major_req[row], strict=True) if r
            ),
            languages=frozenset(
                c for c, r in zip(self.lang_codes, self.lang_req[row], strict=True) if r
            ),
            language_levels={
                c: int(v) for c, v in zip(self.lang_codes, self.lang_min[row], strict=True) if v > 1
            },
            district=self.district_codes[self.district[row]],
            mode={v: k for k, v in MODES.items()}[int(self.mode[row])],
            certificates={
                c: int(v) for c, v in zip(self.cert_codes, self.cert_min[row], strict=True) if v
            },
        )


def certificate_parts(cert_min: np.ndarray, held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share of the required certificates held at their rank, whether any is required) per
    row; `held`: ranks held, one row per row of `cert_min` or one row for all."""
    required = cert_min > 0
    count = required.sum(axis=1)
    hits = (required & (held >= cert_min)).sum(axis=1)
    return np.where(count > 0, hits / np.maximum(count, 1), 1.0), count > 0


def _open_children(model, *cols):
    return db.session.execute(
        sa.select(model.internship_id, *cols)
        .join(Internship, Internship.id == model.internship_id)
        .where(Internship.status == "open")
    ).all()


def build() -> PostingIndex:
    """Read every open posting and its requirements into arrays."""
    rows = db.session.execute(
        sa.select(Internship.id, Internship.district, Internship.mode, Internship.kind)
        .where(Internship.status == "open")
        .order_by(Internship.id)
    ).all()
    return assemble(
        rows,
        _open_children(
            InternshipCompetency, InternshipCompetency.code, InternshipCompetency.min_level
        ),
        _open_children(InternshipMajor, InternshipMajor.code),
        _open_children(InternshipLanguage, InternshipLanguage.code, InternshipLanguage.min_level),
        _open_children(
            InternshipCertificate, InternshipCertificate.code, InternshipCertificate.min_level
        ),
    )


def from_signals(postings: dict[int, PostingSignals]) -> PostingIndex:
    """An index of `postings` (id -> signals) without a database, for tests and benchmarks."""
    ids = sorted(postings)
    rank_names = {rank: level for level, rank in CERTIFICATE_RANKS.items()}
    return assemble(
        [(i, postings[i].district, postings[i].mode) for i in ids],
        [(i, c, lv) for i in ids for c, lv in postings[i].competencies.items()],
        [(i, c) for i in ids for c in postings[i].majors],
        [(i, c, postings[i].language_level(c)) for i in ids for c in postings[i].languages],
        [(i, c, rank_names[r]) for i in ids for c, r in postings[i].certificates.items()],
    )


def assemble(rows, comps, majors, langs, certs=()) -> PostingIndex:
    """Arrays from (id, district, mode[, kind]) rows ordered by id and (id, code[, level])
    children (a language's level may be left out: 1; a certificate's level by name)."""
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    pos = {int(i): k for k, i in enumerate(ids)}
    comp_codes = sorted({r[1] for r in comps})
    major_codes = sorted({r[1] for r in majors})
    lang_codes = sorted({r[1] for r in langs})
    district_codes = sorted({r[1] for r in rows})
    comp_min = np.zeros((len(ids), len(comp_codes)))
    ci = {c: k for k, c in enumerate(comp_codes)}
    for internship_id, code, level in comps:
        comp_min[pos[internship_id], ci[code]] = level
    lang_min = np.zeros((len(ids), len(lang_codes)), dtype=np.int64)
    li = {c: k for k, c in enumerate(lang_codes)}
    for internship_id, code, *level in langs:
        lang_min[pos[internship_id], li[code]] = level[0] if level else 1
    cert_codes = sorted({r[1] for r in certs})
    cert_min = np.zeros((len(ids), len(cert_codes)), dtype=np.int64)
    ki = {c: k for k, c in enumerate(cert_codes)}
    for internship_id, code, level in certs:
        cert_min[pos[internship_id], ki[code]] = CERTIFICATE_RANKS.get(level, 0)
    return PostingIndex(
        ids=ids,
        comp_codes=comp_codes,
        comp_min=comp_min,
        comp_n=(comp_min > 0).sum(axis=1),
        major_codes=major_codes,
        major_req=_flags(len(ids), pos, major_codes, majors),
        lang_codes=lang_codes,
        lang_req=lang_min > 0,
        lang_min=lang_min,
        district_codes=district_codes,
        district=np.array([district_codes.index(r[1]) for r in rows], dtype=np.int64),
        mode=np.array([MODES.get(r[2], 0) for r in rows], dtype=np.int64),
        cert_codes=cert_codes,
        cert_min=cert_min,
        kind=np.array([r[3] if len(r) > 3 else "internship" for r in rows], dtype=object),
    )


def _flags(n: int, pos: dict[int, int], codes: list[str], pairs) -> np.ndarray:
    flags = np.zeros((n, len(codes)), bool)
    column = {c: k for k, c in enumerate(codes)}
    for internship_id, code in pairs:
        flags[pos[internship_id], column[code]] = True
    return flags


_indexes = ProcessCache("recommendation index", maxsize=4)


def current() -> PostingIndex:
    """This process's index: rebuilt when a posting changed, at most every `min_age` seconds.

    A rebuild reads every open posting (about a second at 100,000), and any change to any
    posting (an accepted student changes `accepted_count`) moves the version, so under a
    steady stream of changes the index is rebuilt at most every RECS_INDEX_MIN_AGE seconds:
    a new posting is recommended within that time, and the caller drops postings that are
    no longer open when it loads the page.
    """
    newest = db.session.scalar(sa.select(sa.func.max(Internship.updated_at)))
    index = _indexes.get("built", version=newest, max_age=MAX_AGE)
    min_age = current_app.config["RECS_INDEX_MIN_AGE"]
    if index is None and min_age > 0:
        index = _indexes.get("latest", max_age=min_age)  # of whatever version
    if index is None:
        index = build()
        _indexes.put("built", index, version=newest)
        _indexes.put("latest", index)
    return index
