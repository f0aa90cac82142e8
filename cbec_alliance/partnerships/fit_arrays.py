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
class Extra:
    """The signals of the later modes, one row per enterprise (`fit.EnterpriseSignals`)."""

    districts: list[str | None]  # the distinct districts
    district: np.ndarray  # (E,) index into `districts`
    lectures: np.ndarray  # (E,) int64
    teachers: np.ndarray  # (E,) int64
    field_codes: list[str]  # the competencies enterprise teachers teach, sorted
    fields: np.ndarray  # (E, F) bool
    jobs: np.ndarray  # (E,) int64
    employees: np.ndarray  # (E,) int64, -1 when not known
    modes: np.ndarray  # (E,) int64

    @classmethod
    def of(cls, rows: list[fit.EnterpriseSignals]) -> Extra:
        """The later modes' signals of `rows`, in their order."""
        districts = sorted({s.district for s in rows}, key=lambda d: (d is not None, d or ""))
        index = {d: k for k, d in enumerate(districts)}
        field_codes = sorted({c for s in rows for c in s.teacher_fields})
        ints = lambda values: np.array(list(values), dtype=np.int64)  # noqa: E731
        return cls(
            districts=districts,
            district=ints(index[s.district] for s in rows),
            lectures=ints(s.lectures for s in rows),
            teachers=ints(s.teachers for s in rows),
            field_codes=field_codes,
            fields=np.array(
                [[c in s.teacher_fields for c in field_codes] for s in rows], dtype=bool
            ).reshape(len(rows), len(field_codes)),
            jobs=ints(s.jobs for s in rows),
            employees=ints(-1 if s.employees is None else s.employees for s in rows),
            modes=ints(s.modes for s in rows),
        )


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
    extra: Extra

    def signals(self, row: int) -> fit.EnterpriseSignals:
        """The enterprise at `row` as `fit.EnterpriseSignals`."""
        demand = {
            c: int(w)
            for c, w, has in zip(self.codes, self.demand[row], self.demanded[row], strict=True)
            if has
        }
        x = self.extra
        return fit.EnterpriseSignals(
            district=x.districts[x.district[row]],
            majors=frozenset(
                c for c, m in zip(self.major_codes, self.majors[row], strict=True) if m
            ),
            demand=demand,
            bases=tuple(
                b for b, o in zip(self.bases.signals, self.bases.owner, strict=True) if o == row
            ),
            lectures=int(x.lectures[row]),
            teachers=int(x.teachers[row]),
            teacher_fields=frozenset(
                c for c, f in zip(x.field_codes, x.fields[row], strict=True) if f
            ),
            jobs=int(x.jobs[row]),
            employees=int(x.employees[row]) if x.employees[row] >= 0 else None,
            modes=int(x.modes[row]),
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
        extra=Extra.of(rows),
    )


def _columns(codes: list[str], wanted) -> list[int]:
    return [k for k, c in enumerate(codes) if c in wanted]


def _majors(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    asked = e.majors.sum(axis=1)
    hit = e.majors[:, _columns(e.major_codes, u.majors)].sum(axis=1)
    return np.where(asked == 0, 1.0, hit / np.maximum(asked, 1))


def _positive(e: Enterprises) -> np.ndarray:
    """The demand weights that count (keys with a weight above 0)."""
    positive = np.where(e.demanded, e.demand, 0)
    return np.where(positive > 0, positive, 0)


def _coverage(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit._coverage` of every enterprise."""
    positive = _positive(e)
    weight = positive.sum(axis=1)
    credit = np.zeros(len(e.ids))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, code in enumerate(e.codes):  # sorted, as fit sums them
            w = positive[:, k]
            term = w * np.minimum(1.0, u.supply.get(code, 0) / w)
            credit = credit + np.where(w > 0, term, 0.0)
    return np.where(weight > 0, credit / np.maximum(weight, 1), 1.0)


def _place(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit._place` of every enterprise's district."""
    x = e.extra
    table = [fit.PLACE.get(districts.nearness(d, u.district), 0.0) for d in x.districts]
    return np.array(table, dtype=float)[x.district] if len(e.ids) else np.zeros(0)


def internship_employment(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.internship_employment` of every enterprise, before rounding."""
    size = min(1.0, u.graduates / 1000)
    return 0.4 * _majors(e, u) + 0.4 * _coverage(e, u) + 0.2 * size


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


def lectures(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.lectures` of every enterprise, before rounding."""
    positive = _positive(e)
    weight = positive.sum(axis=1)
    supply = np.array([u.supply.get(c, 0) for c in e.codes], dtype=np.int64)
    short = np.where(supply < positive, positive, 0).sum(axis=1)
    topics = np.where(weight > 0, short / np.maximum(weight, 1), 0.0)
    record = np.minimum(1.0, e.extra.lectures / 4)
    return 0.5 * topics + 0.3 * _place(e, u) + 0.2 * record


def joint_teaching(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.joint_teaching` of every enterprise, before rounding."""
    x = e.extra
    count = x.fields.sum(axis=1)
    hit = x.fields[:, _columns(x.field_codes, u.taught)].sum(axis=1)
    fields = np.where((x.teachers > 0) & (count > 0), hit / np.maximum(count, 1), 0.0)
    return 0.5 * fields + 0.3 * np.minimum(1.0, x.teachers / 3) + 0.2 * _place(e, u)


def order_class(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.order_class` of every enterprise, before rounding."""
    per_major = np.array([u.major_graduates.get(m, 0) for m in e.major_codes], dtype=np.int64)
    asked = e.majors.sum(axis=1)
    graduates = np.where(asked > 0, e.majors.astype(np.int64) @ per_major, u.graduates)
    hiring = np.minimum(1.0, e.extra.jobs / 10)
    return 0.5 * hiring + 0.3 * _majors(e, u) + 0.2 * np.minimum(1.0, graduates / 100)


def apprenticeship(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.apprenticeship` of every enterprise, before rounding."""
    employees = e.extra.employees
    room = np.where(employees >= 0, np.minimum(1.0, (employees // 10) / 10), 0.0)
    return 0.4 * _place(e, u) + 0.3 * _coverage(e, u) + 0.3 * room


def industry_college(e: Enterprises, u: fit.UniversitySignals) -> np.ndarray:
    """`fit.industry_college` of every enterprise, before rounding."""
    employees = e.extra.employees
    scale = np.where(employees >= 0, np.minimum(1.0, employees / 1000), 0.0)
    breadth = np.minimum(1.0, e.extra.modes / 3)
    return 0.4 * scale + 0.3 * _majors(e, u) + 0.3 * breadth


SCORERS: dict[str, Callable[[Enterprises, fit.UniversitySignals], np.ndarray]] = {
    "internship-employment": internship_employment,
    "lectures": lectures,
    "co-developed-courses": co_developed_courses,
    "joint-teaching": joint_teaching,
    "joint-training-bases": joint_training_bases,
    "joint-competitions": joint_competitions,
    "order-class": order_class,
    "apprenticeship": apprenticeship,
    "industry-college": industry_college,
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
