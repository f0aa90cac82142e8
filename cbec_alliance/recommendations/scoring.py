"""How well a student fits an internship: one documented function, `score`.

    score = 0.5 * competencies + 0.2 * majors + 0.2 * languages + 0.1 * district

and, when the posting names certificates (issue 19), 0.1 of the competencies' half goes to
them (one weight, CERTIFICATES):

    score = 0.4 * competencies + 0.1 * certificates + 0.2 * majors + 0.2 * languages
            + 0.1 * district

- competencies: for each competency the posting requires at `min_level`, the student earns
  min(student_level / min_level, 1) (0 without it); the average over the required ones.
  A posting that requires none gives full credit.
- majors: 1 if the posting lists none or lists the student's major, else 0.
- languages: the share of the posting's languages the student speaks at the level asked
  (`min_level`, 1 unless the posting says more; 1 if it lists none).
- district: 1 if the posting is in the district of the student's university or is remote,
  0.5 if it is hybrid elsewhere, 0 if it is onsite elsewhere.
- certificates: the share of the posting's certificates the student holds at `min_level` or
  above (junior < intermediate < senior); a verified record (issued by an exam) and a
  declared one count alike, and the reason says "(declared)" for a declared one. A posting
  naming none scores exactly as before certificates existed.

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
# The certificates' weight, taken from the competencies' when a posting names certificates.
CERTIFICATES = Fraction(1, 10)
# Certificate levels as ranks (0: not held).
CERTIFICATE_RANKS = {"junior": 1, "intermediate": 2, "senior": 3}
LEVEL_OF_RANK = {rank: level for level, rank in CERTIFICATE_RANKS.items()}


@dataclass(frozen=True)
class StudentSignals:
    """What the score reads of a student."""

    competencies: Mapping[str, int] = field(default_factory=dict)  # code -> level 1..5
    major: str | None = None
    languages: Mapping[str, int] = field(default_factory=dict)  # code -> level 1..5
    district: str | None = None  # the district of the student's university
    # code -> (rank 1..3 of the best level held, whether that record is verified)
    certificates: Mapping[str, tuple[int, bool]] = field(default_factory=dict)


@dataclass(frozen=True)
class PostingSignals:
    """What the score reads of an internship posting."""

    competencies: Mapping[str, int] = field(default_factory=dict)  # code -> min_level 1..5
    majors: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    district: str = ""
    mode: str = "onsite"
    certificates: Mapping[str, int] = field(default_factory=dict)  # code -> min rank 1..3
    # code -> min level, for the languages asked above level 1 (the rest: any level)
    language_levels: Mapping[str, int] = field(default_factory=dict)

    def language_level(self, code: str) -> int:
        """The level the posting asks for in `code` (1 unless it says more)."""
        return self.language_levels.get(code, 1)


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
        spoken = sum(
            1
            for code in posting.languages
            if student.languages.get(code, 0) >= posting.language_level(code)
        )
        languages = Fraction(spoken, len(posting.languages))
    else:
        languages = Fraction(1)
    return {
        "competencies": competency_credit(student, posting),
        "majors": majors,
        "languages": languages,
        "district": district_credit(student, posting),
        "certificates": certificate_credit(student, posting),
    }


def holds(student: StudentSignals, code: str, need: int) -> bool:
    """The student holds certificate `code` at rank `need` or above."""
    return student.certificates.get(code, (0, False))[0] >= need


def certificate_credit(student: StudentSignals, posting: PostingSignals) -> Fraction:
    """The share of the posting's certificates held at their level (1 if it names none)."""
    if not posting.certificates:
        return Fraction(1)
    held = sum(1 for code, need in posting.certificates.items() if holds(student, code, need))
    return Fraction(held, len(posting.certificates))


def weights(posting: PostingSignals) -> dict[str, Fraction]:
    """The weights for `posting`: CERTIFICATES moves from competencies when it names any."""
    if not posting.certificates:
        return {**WEIGHTS, "certificates": Fraction(0)}
    return {
        **WEIGHTS,
        "competencies": WEIGHTS["competencies"] - CERTIFICATES,
        "certificates": CERTIFICATES,
    }


def exact_score(student: StudentSignals, posting: PostingSignals) -> Fraction:
    """The weighted sum before rounding."""
    w = weights(posting)
    return sum((w[k] * v for k, v in parts(student, posting).items()), Fraction(0))


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
        level, need = student.languages.get(code, 0), posting.language_level(code)
        reasons.append(
            {
                "kind": "language",
                "code": code,
                "matched": level >= need,
                "required_level": need,
                "student_level": level,
            }
        )
    for code, need in sorted(posting.certificates.items()):
        rank, verified = student.certificates.get(code, (0, False))
        reasons.append(
            {
                "kind": "certificate",
                "code": code,
                "matched": rank >= need,
                "required_certificate_level": LEVEL_OF_RANK[need],
                "certificate_level": LEVEL_OF_RANK.get(rank),
                "verified": verified if rank else None,
            }
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
