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


@dataclass(frozen=True)
class UniversitySignals:
    """What a university offers and already has."""

    district: str | None = None
    majors: frozenset[str] = frozenset()
    graduates: int = 0
    supply: dict[str, int] = field(default_factory=dict)  # competency -> students at level 3+
    taught: frozenset[str] = frozenset()
    base_competencies: frozenset[str] = frozenset()
    track_competencies: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fit:
    """A score and the factors behind it."""

    score: float
    reasons: list[dict]


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


def internship_employment(e: EnterpriseSignals, u: UniversitySignals) -> Fit:
    """Internships and employment."""
    majors, why = _majors(e, u)
    demand = {c: w for c, w in e.demand.items() if w > 0}  # no open slot: no demand
    weight = sum(demand.values())
    if weight:
        # Summed in code order, so the float sum is the same however the demand was built.
        terms = (w * min(1.0, u.supply.get(c, 0) / w) for c, w in sorted(demand.items()))
        credit = sum(terms) / weight
        short = sorted(c for c, w in demand.items() if u.supply.get(c, 0) < w)
        comp_why = f"students at level 3+ cover the demand except {short or 'nothing'}"
    else:
        credit, comp_why = 1.0, "demands no particular competency"
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


def _place_why(base: Base, u: UniversitySignals, near: str) -> str:
    where = f"base in {base.district}, university in {u.district or 'an unknown district'}"
    return {
        districts.SAME: f"{where}: same district",
        districts.NEIGHBOUR: f"{where}: adjacent districts",
        districts.FARTHER: f"{where}: not adjacent",
    }.get(near, f"{where}: distance unknown")


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
        near = districts.nearness(base.district, u.district)
        place = PLACE.get(near, 0.0)
        new = base.competencies - u.base_competencies
        novelty = len(new) / len(base.competencies) if base.competencies else 0.0
        room = min(1.0, base.spare / CLASS_SIZE)
        value = 0.4 * place + 0.4 * novelty + 0.2 * room
        if best is None or value > best[0]:
            best = (value, base, near, place, novelty, room)
    if best is None:
        why = (
            f"no spare place at its {len(e.bases)} approved base(s)"
            if e.bases
            else "hosts no approved training base"
        )
        return _fit([("base", 1.0, 0.0, why)])
    _v, base, near, place, novelty, room = best
    return _fit(
        [
            ("place", 0.4, place, _place_why(base, u, near)),
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


SCORERS: dict[str, Callable[[EnterpriseSignals, UniversitySignals], Fit]] = {
    "internship-employment": internship_employment,
    "co-developed-courses": co_developed_courses,
    "joint-training-bases": joint_training_bases,
    "joint-competitions": joint_competitions,
}
