"""Partner matching: how well an enterprise and a university fit, per cooperation mode.

Pure functions over signals (no database); each score is in 0..1 with the reasons that
make it up, each reason a factor with its weight and value (the score is the weighted sum,
rounded to 4 decimals).

- `internship-employment`: 0.4 majors (share of the majors the enterprise's postings and
  survey answers ask for that the university teaches; 1 when it asks for none), 0.4
  competencies (each demanded competency credited min(1, students at level 3+ / demand),
  weighted by demand; 1 when it demands none), 0.2 size (yearly graduates / 1,000, at most 1).
- `co-developed-courses`: 0.7 gap (the share of the enterprise's demand in competencies the
  university's courses do not teach yet), 0.3 majors.
- `joint-training-bases`: the best of the enterprise's approved bases with a spare place:
  0.4 place (the base in the university's district 1, in an adjacent district 0.5, farther
  or unknown 0; `districts.ADJACENT`), 0.4 novelty (the share of the base's competencies
  the university has no base for yet), 0.2 room (spare places / 30, a class, at most 1).
  Spare places: the capacity less the mean students on a day of use in the last 365 days
  (the capacity when no session is recorded). A base without a spare place scores nothing;
  0 when the enterprise hosts no base or none has room.
- `joint-competitions`: the share of the competencies of the tracks the university's teams
  compete in that the enterprise demands. 0 when its students have not competed yet.
- `lectures`: 0.5 topics (the share of the enterprise's demand in competencies the
  university's students at level 3+ fall short of: what its speakers can teach them; 0 when
  it demands nothing), 0.3 place (the enterprise in the university's district 1, adjacent
  0.5, farther or unknown 0), 0.2 record (lectures, job fairs and workshops it held in the
  last 365 days / 4, at most 1).
- `joint-teaching`: 0.5 fields (the share of its enterprise teachers' fields that the
  university's published courses teach; 0 with no teacher), 0.3 teachers (enterprise
  teachers / 3, at most 1), 0.2 place.
- `order-class` (订单班, a class trained for the enterprise's jobs): 0.5 hiring (free places
  of its open full-time postings / 10, at most 1), 0.3 majors, 0.2 graduates (the
  university's yearly graduates in the majors the enterprise asks for, or in all its majors
  when it asks for none, / 100, at most 1).
- `apprenticeship` (现代学徒制, months a year at the enterprise): 0.4 place, 0.3
  competencies (as for internships), 0.3 room (apprentices it may host at once: 10% of its
  employees, the internship rules' ceiling, / 10, at most 1; 0 when its employees are not
  known).
- `industry-college` (产业学院, a college run with an industry leader): 0.4 scale (employees
  / 1,000, at most 1; 0 when not known), 0.3 majors, 0.3 breadth (the cooperation modes
  its active partnerships cover / 3, at most 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from cbec_alliance.taxonomy import districts

# What a base's district is worth to a university, by `districts.nearness`.
PLACE = {districts.SAME: 1.0, districts.NEIGHBOUR: 0.5, districts.FARTHER: 0.0}
CLASS_SIZE = 30  # spare places that earn the full room credit


@dataclass(frozen=True)
class Base:
    """An approved training base an enterprise hosts: where, what it trains, how many
    students a day (`capacity`) and how many a day of use takes already (`in_use`: the
    mean over its days of use in the last 365 days, 0 with no session)."""

    district: str
    competencies: frozenset[str]
    capacity: int
    in_use: float = 0.0

    @property
    def spare(self) -> int:
        """Whole places left on a typical day of use (never below 0)."""
        return max(0, math.floor(self.capacity - self.in_use + 1e-9))


@dataclass(frozen=True)
class EnterpriseSignals:
    """What an enterprise asks for and offers."""

    district: str | None = None
    majors: frozenset[str] = frozenset()
    demand: dict[str, int] = field(default_factory=dict)  # competency -> weight
    bases: tuple[Base, ...] = ()
    lectures: int = 0  # lectures, job fairs and workshops held in the last 365 days
    teachers: int = 0  # enterprise teachers (teaching profiles of its staff)
    teacher_fields: frozenset[str] = frozenset()  # the competencies they teach
    jobs: int = 0  # free places of its open full-time postings
    employees: int | None = None  # None: not known
    modes: int = 0  # cooperation modes its active partnerships cover


@dataclass(frozen=True)
class UniversitySignals:
    """What a university offers and already has."""

    district: str | None = None
    majors: frozenset[str] = frozenset()
    graduates: int = 0
    major_graduates: dict[str, int] = field(default_factory=dict)  # major -> yearly graduates
    supply: dict[str, int] = field(default_factory=dict)  # competency -> students at level 3+
    taught: frozenset[str] = frozenset()
    base_competencies: frozenset[str] = frozenset()
    track_competencies: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fit:
    """A score and the factors behind it."""

    score: float
    reasons: list[dict]


def _n(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless one."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _fit(parts: list[tuple[str, float, float, str]]) -> Fit:
    total = sum(w * v for _f, w, v, _d in parts)
    reasons = [
        {"factor": f, "weight": w, "value": round(v, 4), "detail": d} for f, w, v, d in parts
    ]
    return Fit(round(min(max(total, 0.0), 1.0), 4), reasons)


def _majors(e: EnterpriseSignals, u: UniversitySignals) -> tuple[float, str]:
    if not e.majors:
        return 1.0, "asks for no particular major"
    hit = sorted(e.majors & u.majors)
    missing = sorted(e.majors - u.majors)
    return len(hit) / len(e.majors), f"teaches {hit or 'none'}; not {missing or 'none'}"


def _coverage(e: EnterpriseSignals, u: UniversitySignals) -> tuple[float, str]:
    """How far the university's students at level 3+ cover the enterprise's demand."""
    demand = {c: w for c, w in e.demand.items() if w > 0}  # no open slot: no demand
    weight = sum(demand.values())
    if not weight:
        return 1.0, "demands no particular competency"
    # Summed in code order, so the float sum is the same however the demand was built.
    terms = (w * min(1.0, u.supply.get(c, 0) / w) for c, w in sorted(demand.items()))
    short = sorted(c for c, w in demand.items() if u.supply.get(c, 0) < w)
    return sum(terms) / weight, f"students at level 3+ cover the demand except {short or 'nothing'}"


def _place(district: str | None, u: UniversitySignals, what: str) -> tuple[float, str]:
    near = districts.nearness(district, u.district)
    where = f"{what} in {district or 'an unknown district'}, university in "
    where += u.district or "an unknown district"
    how = {
        districts.SAME: "same district",
        districts.NEIGHBOUR: "adjacent districts",
        districts.FARTHER: "not adjacent",
    }.get(near, "distance unknown")
    return PLACE.get(near, 0.0), f"{where}: {how}"


def internship_employment(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Internships and employment."""
    majors, why = _majors(e, u)
    credit, comp_why = _coverage(e, u)
    size = min(1.0, u.graduates / 1000)
    return _fit(
        [
            ("majors", 0.4, majors, why),
            ("competencies", 0.4, credit, comp_why),
            ("size", 0.2, size, f"{u.graduates} graduates a year"),
        ]
    )


def co_developed_courses(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Co-developed courses: what the enterprise needs that the university does not teach."""
    weight = sum(e.demand.values())
    gap_codes = sorted(c for c in e.demand if c not in u.taught)
    gap = sum(e.demand[c] for c in gap_codes) / weight if weight else 0.0
    gap_why = f"not taught yet: {gap_codes or 'none'}" if weight else "demands nothing yet"
    majors, why = _majors(e, u)
    return _fit([("gap", 0.7, gap, gap_why), ("majors", 0.3, majors, why)])


def _room_why(base: Base) -> str:
    if not base.in_use:
        return f"{base.capacity} places a day, no session in the last year"
    return (
        f"{base.spare} of {base.capacity} places free on a typical day of use "
        f"({base.in_use:.1f} taken)"
    )


def joint_training_bases(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Joint training bases: an enterprise's base with room, in or near the university's
    district, for competencies it has no base for yet."""
    best: tuple[float, Base, str, float, float, float] | None = None
    for base in e.bases:
        if base.spare <= 0:
            continue  # no room for the university's students: the base scores nothing
        place, place_why = _place(base.district, u, "base")
        new = base.competencies - u.base_competencies
        novelty = len(new) / len(base.competencies) if base.competencies else 0.0
        room = min(1.0, base.spare / CLASS_SIZE)
        value = 0.4 * place + 0.4 * novelty + 0.2 * room
        if best is None or value > best[0]:
            best = (value, base, place_why, place, novelty, room)
    if best is None:
        why = (
            f"no spare place at its {len(e.bases)} approved base(s)"
            if e.bases
            else "hosts no approved training base"
        )
        return _fit([("base", 1.0, 0.0, why)])
    _v, base, place_why, place, novelty, room = best
    return _fit(
        [
            ("place", 0.4, place, place_why),
            (
                "novelty",
                0.4,
                novelty,
                f"no base yet for {sorted(base.competencies - u.base_competencies) or 'none'}",
            ),
            ("room", 0.2, room, _room_why(base)),
        ]
    )


def joint_competitions(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Joint competitions: the enterprise demands what the university's teams compete in."""
    tracks = u.track_competencies
    if not tracks:
        return _fit([("tracks", 1.0, 0.0, "its students have not competed yet")])
    shared = sorted(tracks & set(e.demand))
    return _fit([("tracks", 1.0, len(shared) / len(tracks), f"demanded and competed in: {shared}")])


def lectures(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Lectures for students: what its people know that the students lack, nearby, and a
    record of holding events."""
    demand = {c: w for c, w in e.demand.items() if w > 0}
    weight = sum(demand.values())
    short = sorted(c for c, w in demand.items() if u.supply.get(c, 0) < w)
    topics = sum(demand[c] for c in short) / weight if weight else 0.0
    topics_why = (
        f"its demand that the students fall short of: {short or 'none'}"
        if weight
        else "demands nothing yet: no topic known"
    )
    place, place_why = _place(e.district, u, "enterprise")
    return _fit(
        [
            ("topics", 0.5, topics, topics_why),
            ("place", 0.3, place, place_why),
            (
                "record",
                0.2,
                min(1.0, e.lectures / 4),
                f"{_n(e.lectures, 'event')} in the last year",
            ),
        ]
    )


def joint_teaching(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Joint teaching: enterprise teachers whose fields the university's courses teach."""
    if e.teachers and e.teacher_fields:
        hit = sorted(e.teacher_fields & u.taught)
        fields = len(hit) / len(e.teacher_fields)
        fields_why = f"its teachers' fields taught there: {hit or 'none'}"
    else:
        fields, fields_why = 0.0, "no enterprise teacher with a field yet"
    place, place_why = _place(e.district, u, "enterprise")
    return _fit(
        [
            ("fields", 0.5, fields, fields_why),
            ("teachers", 0.3, min(1.0, e.teachers / 3), _n(e.teachers, "enterprise teacher")),
            ("place", 0.2, place, place_why),
        ]
    )


def order_class(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Order classes: jobs to fill, in majors the university teaches, with graduates."""
    majors, why = _majors(e, u)
    if e.majors:
        graduates = sum(u.major_graduates.get(m, 0) for m in sorted(e.majors))
        grad_why = f"{graduates} graduates a year in the majors it asks for"
    else:
        graduates, grad_why = u.graduates, f"{u.graduates} graduates a year"
    return _fit(
        [
            ("hiring", 0.5, min(1.0, e.jobs / 10), f"{_n(e.jobs, 'open full-time place')}"),
            ("majors", 0.3, majors, why),
            ("graduates", 0.2, min(1.0, graduates / 100), grad_why),
        ]
    )


def apprenticeship(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Apprenticeships: near enough for months a year, competencies covered, room to host."""
    place, place_why = _place(e.district, u, "enterprise")
    credit, comp_why = _coverage(e, u)
    if e.employees is None:
        room, room_why = 0.0, "its employee count is not known"
    else:
        hosts = e.employees // 10  # the internship rules: students at most 10% of employees
        room, room_why = min(1.0, hosts / 10), f"{hosts} apprentices at once (10% of employees)"
    return _fit(
        [
            ("place", 0.4, place, place_why),
            ("competencies", 0.3, credit, comp_why),
            ("room", 0.3, room, room_why),
        ]
    )


def industry_college(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Industry colleges: a large enterprise, in the university's majors, already
    cooperating in several modes."""
    majors, why = _majors(e, u)
    if e.employees is None:
        scale, scale_why = 0.0, "its employee count is not known"
    else:
        scale, scale_why = min(1.0, e.employees / 1000), f"{e.employees} employees"
    return _fit(
        [
            ("scale", 0.4, scale, scale_why),
            ("majors", 0.3, majors, why),
            ("breadth", 0.3, min(1.0, e.modes / 3), f"{_n(e.modes, 'cooperation mode')} running"),
        ]
    )


SCORERS: dict[str, Callable[[EnterpriseSignals, UniversitySignals], Fit]] = {
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
