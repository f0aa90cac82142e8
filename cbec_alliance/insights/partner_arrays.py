"""Every approved enterprise's partner-matching signals as arrays, read set-based.

The same signals as `partners.enterprise_signals(None)` (a test compares them on generated
populations), but read as a few grouped rows each carrying its ids as joined text
(`core.db.joined`) and assembled with NumPy, instead of a Python object per enterprise
built from a row per (enterprise, code): a university's ranking among 20,000 enterprises is
then scored in milliseconds by `partnerships.fit_arrays`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np
import sqlalchemy as sa
from flask import current_app

from cbec_alliance.core.db import joined, joined_ints
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency, InternshipMajor
from cbec_alliance.organizations.models import Organization
from cbec_alliance.partnerships import fit
from cbec_alliance.partnerships.fit_arrays import Bases, Enterprises, Extra, bases_of
from cbec_alliance.surveys.models import SurveyAnswer, SurveyResponse

from .partner_signals import enterprise_later
from .skills_gap import latest_survey

log = logging.getLogger(__name__)

Groups = dict[str, np.ndarray]  # code -> enterprise ids (repeated as often as they count)


def _approved() -> np.ndarray:
    """The approved enterprises' ids, ascending."""
    text = db.session.scalar(
        sa.select(joined(Organization.id)).where(
            Organization.kind == "enterprise", Organization.status == "approved"
        )
    )
    return np.sort(joined_ints(text))


def _open_postings() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids ascending, enterprise ids, free slots) of the open postings with a free slot."""
    free = Internship.slots - Internship.accepted_count
    packed = (
        sa.cast(Internship.id, sa.String)
        + ":"
        + sa.cast(Internship.enterprise_id, sa.String)
        + ":"
        + sa.cast(free, sa.String)
    )
    text = db.session.scalar(sa.select(joined(packed)).where(Internship.status == "open", free > 0))
    rows = joined_ints(text.replace(":", ",") if text else None).reshape(-1, 3)
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    return rows[:, 0], rows[:, 1], rows[:, 2]


def _posting_groups(model, postings: np.ndarray) -> dict[str, np.ndarray]:
    """Per code of `model` (competencies or majors), the rows in `postings` that list it."""
    out = {}
    stmt = sa.select(model.code, joined(model.internship_id)).group_by(model.code)
    for code, text in db.session.execute(stmt):
        ids = joined_ints(text)
        rows = np.searchsorted(postings, ids)
        hit = (rows < len(postings)) & (
            postings[np.minimum(rows, max(len(postings) - 1, 0))] == ids
        )
        out[code] = rows[hit]
    return out


def _survey_groups(survey_id: int | None, question: str) -> Groups:
    """Per option chosen for `question` in the survey, the enterprises that chose it."""
    if survey_id is None:
        return {}
    stmt = (
        sa.select(SurveyAnswer.option_code, joined(SurveyResponse.enterprise_id))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyAnswer.survey_id == survey_id, SurveyAnswer.question_code == question)
        .group_by(SurveyAnswer.option_code)
    )
    return {code: joined_ints(text) for code, text in db.session.execute(stmt)}


def _rows(ids: np.ndarray, enterprise_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows in `ids`, mask) of `enterprise_ids`; the mask drops the ones not approved."""
    rows = np.searchsorted(ids, enterprise_ids)
    known = (rows < len(ids)) & (ids[np.minimum(rows, max(len(ids) - 1, 0))] == enterprise_ids)
    return rows, known


def _demand(ids, owners, free, by_code: dict, survey: Groups):
    """(codes, weights, keys present): free slots of open postings per competency, plus one
    per enterprise that chose it in the survey."""
    codes = sorted(set(by_code) | set(survey))
    demand = np.zeros((len(ids), len(codes)), dtype=np.int64)
    for k, code in enumerate(codes):
        posting_rows = by_code.get(code, np.zeros(0, np.int64))
        rows, known = _rows(ids, owners[posting_rows])
        np.add.at(demand[:, k], rows[known], free[posting_rows][known])
        rows, known = _rows(ids, survey.get(code, np.zeros(0, np.int64)))
        np.add.at(demand[:, k], rows[known], 1)
    # Every posting counted has a free slot and every answer counts one: present is positive.
    return codes, demand, demand > 0


def _majors(ids, owners, by_code: dict, survey: Groups):
    """(codes, flags): the majors open postings or survey answers ask each enterprise for."""
    codes = sorted(set(by_code) | set(survey))
    flags = np.zeros((len(ids), len(codes)), dtype=bool)
    for k, code in enumerate(codes):
        for enterprise_ids in (
            owners[by_code.get(code, np.zeros(0, np.int64))],
            survey.get(code, np.zeros(0, np.int64)),
        ):
            rows, known = _rows(ids, enterprise_ids)
            flags[rows[known], k] = True
    return codes, flags


def _bases(ids: np.ndarray, hosted: dict[int, list[fit.Base]]) -> Bases:
    """The approved enterprises' bases as arrays."""
    hosts = np.array([e for e, bases in hosted.items() for _ in bases], dtype=np.int64)
    everything = [base for bases in hosted.values() for base in bases]
    rows, known = _rows(ids, hosts)
    kept = [base for base, keep in zip(everything, known, strict=True) if keep]
    return bases_of(rows[known], kept)


def _column(ids: np.ndarray, values: dict[int, int], default: int) -> np.ndarray:
    """`values` (enterprise id -> value) as a column over `ids`, `default` where absent."""
    out = np.full(len(ids), default, dtype=np.int64)
    keys = np.fromiter(values, dtype=np.int64, count=len(values))
    got = np.fromiter(values.values(), dtype=np.int64, count=len(values))
    rows, known = _rows(ids, keys)
    out[rows[known]] = got[known]
    return out


def _extra(ids: np.ndarray) -> Extra:
    """The later modes' signals of the approved enterprises (`partner_signals`)."""
    stmt = (
        sa.select(Organization.district, joined(Organization.id))
        .where(Organization.kind == "enterprise", Organization.status == "approved")
        .group_by(Organization.district)
    )
    districts: list[str | None] = []
    district = np.zeros(len(ids), dtype=np.int64)
    for name, text in db.session.execute(stmt):
        rows, known = _rows(ids, joined_ints(text))
        district[rows[known]] = len(districts)
        districts.append(name)
    later = enterprise_later(None)
    field_codes = sorted({c for codes in later.fields.values() for c in codes})
    fields = np.zeros((len(ids), len(field_codes)), dtype=bool)
    for k, code in enumerate(field_codes):
        holders = [e for e, codes in later.fields.items() if code in codes]
        rows, known = _rows(ids, np.array(holders, dtype=np.int64))
        fields[rows[known], k] = True
    return Extra(
        districts=districts or [None],
        district=district,
        lectures=_column(ids, later.lectures, 0),
        teachers=_column(ids, later.teachers, 0),
        field_codes=field_codes,
        fields=fields,
        jobs=_column(ids, later.jobs, 0),
        employees=_column(ids, later.employees, -1),
        modes=_column(ids, later.modes, 0),
    )


def enterprises(hosted: dict[int, list[fit.Base]]) -> Enterprises:
    """Every approved enterprise's signals (`hosted`: `partners._hosted_bases(None)`)."""
    ids = _approved()
    postings, owners, free = _open_postings()
    survey = latest_survey()
    codes, demand, demanded = _demand(
        ids,
        owners,
        free,
        _posting_groups(InternshipCompetency, postings),
        _survey_groups(survey, "competencies"),
    )
    major_codes, majors = _majors(
        ids, owners, _posting_groups(InternshipMajor, postings), _survey_groups(survey, "majors")
    )
    return Enterprises(
        ids=ids,
        codes=codes,
        demand=demand,
        demanded=demanded,
        major_codes=major_codes,
        majors=majors,
        bases=_bases(ids, hosted),
        extra=_extra(ids),
    )


class Ranking:
    """The other kind's organizations scored for one, best first (ties by id); a page's
    reasons are computed when the page is asked for."""

    def __init__(
        self, order: Sequence[int] | np.ndarray, fits: Callable[[list[int]], list[fit.Fit]]
    ) -> None:
        self.order = order
        self._fits = fits

    def page(self, offset: int, limit: int) -> list[tuple[int, fit.Fit]]:
        """(organization id, fit) of the page's organizations."""
        ids = [int(i) for i in self.order[offset : offset + limit]]
        return list(zip(ids, self._fits(ids), strict=True))


class KeptArrays:
    """Every approved enterprise's signals as arrays, per process.

    Built on first use (about 250 ms of SQL at 20,000 enterprises). Once older than
    PARTNER_MATCH_MAX_AGE they are rebuilt in a background thread while requests go on
    scoring against the previous ones, so a university's ranking, scored afresh, never
    waits for them; arrays older than twice that age (a worker idle for long) are rebuilt
    before use. With the age 0 (tests) every use rebuilds: scores follow every change.
    """

    def __init__(self, build: Callable[[], Enterprises]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: Enterprises | None = None
        self._built = 0.0
        self._refreshing = False

    def get(self) -> Enterprises:
        """The arrays, fresh within the settings' age (see the class)."""
        max_age = current_app.config["PARTNER_MATCH_MAX_AGE"]
        age = time.monotonic() - self._built
        if self._value is None or max_age <= 0 or age > 2 * max_age:
            return self._store(self._build())
        value = self._value  # what this request scores against, whatever the rebuild does
        if age > max_age:
            self._refresh_in_background(current_app._get_current_object())  # type: ignore[attr-defined]
        return value

    def _store(self, value: Enterprises) -> Enterprises:
        with self._lock:
            self._value, self._built = value, time.monotonic()
        return value

    def _refresh_in_background(self, app) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True

        def rebuild() -> None:
            try:
                with app.app_context():
                    self._store(self._build())
                    db.session.remove()
            except Exception:  # the next use past twice the age rebuilds in the request
                log.exception("rebuilding the enterprise arrays failed")
            finally:
                self._refreshing = False

        threading.Thread(target=rebuild, name="partner-arrays", daemon=True).start()

    def clear(self) -> None:
        """Forget the arrays (the next use builds them)."""
        with self._lock:
            self._value, self._built = None, 0.0
