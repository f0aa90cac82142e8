"""How well a student fits an internship: one documented function, `score`.

    score = 0.5 * competencies + 0.2 * majors + 0.2 * languages + 0.1 * district

- competencies: for each competency the posting requires at `min_level`, the student earns
  min(student_level / min_level, 1) (0 without it); the average over the required ones.
  A posting that requires none gives full credit.
- majors: 1 if the posting lists none or lists the student's major, else 0.
- languages: the share of the posting's languages the student speaks (1 if it lists none).
- district: 1 if the posting is in the district of the student's university or is remote,
  0.5 if it is hybrid elsewhere, 0 if it is onsite elsewhere.

Every part lies in 0..1 and the weights add up to 1, so the score does too; each part only
grows when the student gains a level, a competency, a language, so the score never falls.
The arithmetic is exact (fractions) and the result is rounded half-up to 4 decimals, so equal
fits are equal scores and ties are real ties (broken by id where lists are ordered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

WEIGHTS = {
    "competencies": Fraction(1, 2),
    "majors": Fraction(1, 5),
    "languages": Fraction(1, 5),
    "district": Fraction(1, 10),
}


@dataclass(frozen=True)
class StudentSignals:
    """What the score reads of a student."""

    competencies: Mapping[str, int] = field(default_factory=dict)  # code -> level 1..5
    major: str | None = None
    languages: Mapping[str, int] = field(default_factory=dict)  # code -> level 1..5
    district: str | None = None  # the district of the student's university


@dataclass(frozen=True)
class PostingSignals:
    """What the score reads of an internship posting."""

    competencies: Mapping[str, int] = field(default_factory=dict)  # code -> min_level 1..5
    majors: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    district: str = ""
    mode: str = "onsite"


@dataclass(frozen=True)
class Match:
    """A score in 0..1 and the reasons behind it."""

    score: float
    reasons: list[dict]


def round_score(value: Fraction) -> float:
    """Half-up to 4 decimals (the same rounding the SQL path uses)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def competency_credit(student: StudentSignals, posting: PostingSignals) -> Fraction:
    """Average of min(level / min_level, 1) over the required competencies (1 if none)."""
    if not posting.competencies:
        return Fraction(1)
    total = sum(
        (
            min(Fraction(student.competencies.get(code, 0), need), Fraction(1))
            for code, need in posting.competencies.items()
        ),
        Fraction(0),
    )
    return total / len(posting.competencies)


def district_credit(student: StudentSignals, posting: PostingSignals) -> Fraction:
    """1 same district or remote, 1/2 hybrid elsewhere, 0 onsite elsewhere."""
    if posting.mode == "remote" or (student.district and student.district == posting.district):
        return Fraction(1)
    return Fraction(1, 2) if posting.mode == "hybrid" else Fraction(0)


def parts(student: StudentSignals, posting: PostingSignals) -> dict[str, Fraction]:
    """The four parts of the score, each in 0..1."""
    majors = Fraction(1) if not posting.majors or student.major in posting.majors else Fraction(0)
    if posting.languages:
        spoken = sum(1 for code in posting.languages if student.languages.get(code, 0) > 0)
        languages = Fraction(spoken, len(posting.languages))
    else:
        languages = Fraction(1)
    return {
        "competencies": competency_credit(student, posting),
        "majors": majors,
        "languages": languages,
        "district": district_credit(student, posting),
    }


def exact_score(student: StudentSignals, posting: PostingSignals) -> Fraction:
    """The weighted sum before rounding."""
    return sum((WEIGHTS[k] * v for k, v in parts(student, posting).items()), Fraction(0))


def score(student: StudentSignals, posting: PostingSignals) -> Match:
    """The fit of `student` to `posting`: a score in 0..1 and what matched or was missing."""
    reasons: list[dict] = []
    for code, need in sorted(posting.competencies.items()):
        have = student.competencies.get(code, 0)
        reasons.append(
            {
                "kind": "competency",
                "code": code,
                "matched": have >= need,
                "required_level": need,
                "student_level": have,
            }
        )
    for code in sorted(posting.majors):
        reasons.append({"kind": "major", "code": code, "matched": student.major == code})
    for code in sorted(posting.languages):
        level = student.languages.get(code, 0)
        reasons.append(
            {"kind": "language", "code": code, "matched": level > 0, "student_level": level}
        )
    reasons.append(
        {
            "kind": "district",
            "code": posting.district,
            "matched": district_credit(student, posting) == 1,
            "mode": posting.mode,
            "student_district": student.district,
        }
    )
    return Match(round_score(exact_score(student, posting)), reasons)
