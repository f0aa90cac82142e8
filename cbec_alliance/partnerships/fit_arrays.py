"""`fit`'s scores of every enterprise for one university at once, with NumPy.

`fit` is the definition; this module computes the same floats, operation by operation in
the same order (so the same rounding), for 20,000 enterprises held as arrays: what took a
second of Python objects takes milliseconds. The reasons are not computed here: a page's
few enterprises are scored again with `fit` itself (`Enterprises.signals`), and a test
checks that both agree on every enterprise of generated populations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from cbec_alliance.partnerships import fit
from cbec_alliance.taxonomy import districts


@dataclass
class Bases:
    """Approved training bases, one row each, in the order `fit` sees them (by id)."""

    owner: np.ndarray  # (B,) row of the hosting enterprise
    district: list[str]
    capacity: np.ndarray  # (B,) float
    in_use: np.ndarray  # (B,) float
    codes: list[str]
    competencies: np.ndarray  # (B, K) bool
    signals: list[fit.Base]  # the same bases as `fit.Base`, for the reasons


@dataclass
class Enterprises:
    """Approved enterprises, one row each, ordered by id."""

    ids: np.ndarray  # (E,) int64
    codes: list[str]  # competency codes, sorted
    demand: np.ndarray  # (E, C) int64 weight
    demanded: np.ndarray  # (E, C) bool: the code is a key of the demand
    major_codes: list[str]
    majors: np.ndarray  # (E, M) bool
    bases: Bases

    def signals(self, row: int) -> fit.EnterpriseSignals:
        """The enterprise at `row` as `fit.EnterpriseSignals` (its district is not scored)."""
        demand = {
            c: int(w)
            for c, w, has in zip(self.codes, self.demand[row], self.demanded[row], strict=True)
            if has
        }
        return fit.EnterpriseSignals(
            majors=frozenset(
                c for c, m in zip(self.major_codes, self.majors[row], strict=True) if m
            ),
            demand=demand,
            bases=tuple(
                b for b, o in zip(self.bases.signals, self.bases.owner, strict=True) if o == row
            ),
        )


def bases_of(owner: np.ndarray, bases: list[fit.Base]) -> Bases:
    """`bases` as arrays; `owner[i]`: the row of the enterprise hosting `bases[i]`."""
    codes = sorted({c for base in bases for c in base.competencies})
    flags = np.array([[c in base.competencies for c in codes] for base in bases], dtype=bool)
    return Bases(
        owner=np.asarray(owner, dtype=np.int64),
        district=[base.district for base in bases],
        capacity=np.array([base.capacity for base in bases], dtype=float),
        in_use=np.array([base.in_use for base in bases], dtype=float),
        codes=codes,
        competencies=flags.reshape(len(bases), len(codes)),
        signals=list(bases),
    )


def from_signals(signals: Mapping[int, fit.EnterpriseSignals]) -> Enterprises:
    """Enterprises (id -> signals) as arrays, without a database (tests, benchmarks)."""
    ids = sorted(signals)
    rows = [signals[i] for i in ids]
    codes = sorted({c for s in rows for c in s.demand})
    major_codes = sorted({m for s in rows for m in s.majors})
    shape = (len(ids), len(codes))
    return Enterprises(
        ids=np.array(ids, dtype=np.int64),
        codes=codes,
        demand=np.array([[s.demand.get(c, 0) for c in codes] for s in rows]).reshape(shape),
        demanded=np.array([[c in s.demand for c in codes] for s in rows], bool).reshape(shape),
        major_codes=major_codes,
        majors=np.array([[m in s.majors for m in major_codes] for s in rows], bool).reshape(
            len(ids), len(major_codes)
        ),
        bases=bases_of(
            np.array([k for k, s in enumerate(rows) for _ in s.bases], dtype=np.int64),
            [base for s in rows for base in s.bases],
        ),
    )


def _columns(codes: list[str], wanted) -> list[int]:
    return [k for k, c in enumerate(codes) if c in wanted]


def _majors(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    asked = e.majors.sum(axis=1)
    hit = e.majors[:, _columns(e.major_codes, u.majors)].sum(axis=1)
    return np.where(asked == 0, 1.0, hit / np.maximum(asked, 1))


def internship_employment(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.internship_employment` of every enterprise, before rounding."""
    positive = np.where(e.demanded, e.demand, 0)
    weight = np.where(positive > 0, positive, 0).sum(axis=1)
    credit = np.zeros(len(e.ids))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, code in enumerate(e.codes):  # sorted, as fit sums them
            w = positive[:, k]
            term = w * np.minimum(1.0, u.supply.get(code, 0) / w)
            credit = credit + np.where(w > 0, term, 0.0)
    credit = np.where(weight > 0, credit / np.maximum(weight, 1), 1.0)
    size = min(1.0, u.graduates / 1000)
    return 0.4 * _majors(e, u) + 0.4 * credit + 0.2 * size


def co_developed_courses(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.co_developed_courses` of every enterprise, before rounding."""
    demand = np.where(e.demanded, e.demand, 0)
    weight = demand.sum(axis=1)
    untaught = [k for k, c in enumerate(e.codes) if c not in u.taught]
    gap_weight = demand[:, untaught].sum(axis=1)
    gap = np.where(weight != 0, gap_weight / np.where(weight != 0, weight, 1), 0.0)
    return 0.7 * gap + 0.3 * _majors(e, u)


def joint_training_bases(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.joint_training_bases` of every enterprise: its best base with room, or 0."""
    b = e.bases
    spare = np.maximum(0, np.floor(b.capacity - b.in_use + 1e-9))
    place = np.array([fit.PLACE.get(districts.nearness(d, u.district), 0.0) for d in b.district])
    size = b.competencies.sum(axis=1)
    new = b.competencies[:, [k for k, c in enumerate(b.codes) if c not in u.base_competencies]]
    novelty = np.where(size > 0, new.sum(axis=1) / np.maximum(size, 1), 0.0)
    room = np.minimum(1.0, spare / fit.CLASS_SIZE)
    value = 0.4 * place + 0.4 * novelty + 0.2 * room
    best = np.full(len(e.ids), -np.inf)
    open_ = spare > 0
    np.maximum.at(best, b.owner[open_], value[open_])
    return np.where(np.isfinite(best), best, 0.0)


def joint_competitions(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.joint_competitions` of every enterprise, before rounding."""
    tracks = u.track_competencies
    if not tracks:
        return np.zeros(len(e.ids))
    return e.demanded[:, _columns(e.codes, tracks)].sum(axis=1) / len(tracks)


SCORERS: dict[str, Callable[[Enterprises, fit.UniversitySignals], np.ndarray]] = {
    "internship-employment": internship_employment,
    "co-developed-courses": co_developed_courses,
    "joint-training-bases": joint_training_bases,
    "joint-competitions": joint_competitions,
}


def rounded(total: np.ndarray) -> np.ndarray:
    """`round(min(max(total, 0), 1), 4)` as `fit` rounds, for every element.

    NumPy's rounding scales by 10,000 first, which can differ from Python's correctly
    rounded `round` only next to a half; those few are rounded by Python itself.
    """
    clipped = np.clip(total, 0.0, 1.0)
    out = np.round(clipped, 4)
    scaled = clipped * 10_000
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    out[near_half] = [round(float(v), 4) for v in clipped[near_half]]
    return out
