"""The scoring function: unit and property tests, and the vectorised index against it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.recommendations.index import from_signals
from cbec_alliance.recommendations.scoring import (
    PostingSignals,
    StudentSignals,
    exact_score,
    round_score,
    score,
)

COMPETENCIES = ["platform-operation", "english", "data-analysis", "logistics", "live-commerce"]
MAJORS = ["e-commerce", "international-trade", "marketing", "logistics"]
LANGUAGES = ["en", "es", "vi", "th", "ja"]
DISTRICTS = ["tianhe", "panyu", "haizhu", "baiyun"]
CERTIFICATES = ["cbec-b2b-data-operation", "cbec-b2c-data-operation", "cbec-multi-platform"]

levels = st.integers(min_value=1, max_value=5)
students = st.builds(
    StudentSignals,
    competencies=st.dictionaries(st.sampled_from(COMPETENCIES), levels),
    major=st.none() | st.sampled_from(MAJORS),
    languages=st.dictionaries(st.sampled_from(LANGUAGES), levels),
    district=st.none() | st.sampled_from(DISTRICTS),
    certificates=st.dictionaries(
        st.sampled_from(CERTIFICATES),
        st.tuples(st.integers(min_value=1, max_value=3), st.booleans()),
    ),
)
_postings = st.builds(
    PostingSignals,
    competencies=st.dictionaries(st.sampled_from(COMPETENCIES), levels),
    majors=st.frozensets(st.sampled_from(MAJORS)),
    languages=st.frozensets(st.sampled_from(LANGUAGES)),
    district=st.sampled_from(DISTRICTS),
    mode=st.sampled_from(["onsite", "hybrid", "remote"]),
    certificates=st.dictionaries(
        st.sampled_from(CERTIFICATES), st.integers(min_value=1, max_value=3), max_size=2
    ),
)


def _with_levels(posting: PostingSignals):
    """`posting` with some of its languages asked above level 1."""
    asked = sorted(posting.languages)
    if not asked:
        return st.just(posting)
    return st.dictionaries(st.sampled_from(asked), st.integers(min_value=2, max_value=5)).map(
        lambda levels: replace(posting, language_levels=levels)
    )


postings = _postings.flatmap(_with_levels)

POSTING = PostingSignals(
    competencies={"platform-operation": 3, "english": 4},
    majors=frozenset({"e-commerce"}),
    languages=frozenset({"en", "es"}),
    district="tianhe",
    mode="onsite",
)


def test_a_student_who_meets_everything_scores_one():
    fit = StudentSignals(
        competencies={"platform-operation": 5, "english": 4},
        major="e-commerce",
        languages={"en": 3, "es": 1},
        district="tianhe",
    )
    match = score(fit, POSTING)
    assert match.score == 1.0
    assert all(r["matched"] for r in match.reasons)


def test_each_part_is_weighted_as_documented():
    # A third of the level in one competency, none of the other, wrong major, one language
    # of two, onsite elsewhere: 0.5 * (1/3 + 0) / 2 + 0 + 0.2 * 1/2 + 0 = 1/12 + 1/10
    student = StudentSignals(
        competencies={"platform-operation": 1}, major="logistics", languages={"en": 2}
    )
    assert exact_score(student, POSTING) == Fraction(1, 2) * Fraction(1, 6) + Fraction(1, 10)
    match = score(student, POSTING)
    assert match.score == 0.1833
    missing = {(r["kind"], r["code"]) for r in match.reasons if not r["matched"]}
    assert missing == {
        ("competency", "platform-operation"),
        ("competency", "english"),
        ("major", "e-commerce"),
        ("language", "es"),
        ("district", "tianhe"),
    }
    english = next(r for r in match.reasons if r["code"] == "english")
    assert english == {
        "kind": "competency",
        "code": "english",
        "matched": False,
        "required_level": 4,
        "student_level": 0,
    }


def test_hybrid_elsewhere_earns_half_the_district_and_remote_all():
    student = StudentSignals(district="panyu")
    hybrid = PostingSignals(district="tianhe", mode="hybrid")
    remote = PostingSignals(district="tianhe", mode="remote")
    onsite = PostingSignals(district="tianhe", mode="onsite")
    assert exact_score(student, remote) - exact_score(student, onsite) == Fraction(1, 10)
    assert exact_score(student, hybrid) - exact_score(student, onsite) == Fraction(1, 20)


def test_rounding_is_half_up():
    assert round_score(Fraction(12345, 100000)) == 0.1235
    assert round_score(Fraction(12344, 100000)) == 0.1234
    assert round_score(Fraction(1, 3)) == 0.3333


@given(students, postings)
def test_the_score_stays_within_zero_and_one(student, posting):
    match = score(student, posting)
    assert 0.0 <= match.score <= 1.0
    assert 0 <= exact_score(student, posting) <= 1


@given(students, postings, st.sampled_from(COMPETENCIES), levels)
def test_gaining_a_competency_level_never_lowers_the_score(student, posting, code, gain):
    higher = min(5, student.competencies.get(code, 0) + gain)
    better = StudentSignals(
        competencies={**student.competencies, code: higher},
        major=student.major,
        languages=student.languages,
        district=student.district,
        certificates=student.certificates,
    )
    assert exact_score(better, posting) >= exact_score(student, posting)
    assert score(better, posting).score >= score(student, posting).score


@given(students, postings, st.sampled_from(LANGUAGES))
def test_gaining_a_language_never_lowers_the_score(student, posting, code):
    better = StudentSignals(
        competencies=student.competencies,
        major=student.major,
        languages={**student.languages, code: max(student.languages.get(code, 0), 1)},
        district=student.district,
        certificates=student.certificates,
    )
    assert exact_score(better, posting) >= exact_score(student, posting)


@given(students, postings)
def test_missing_requirements_are_named_in_the_reasons(student, posting):
    reasons = score(student, posting).reasons
    named = {(r["kind"], r["code"]) for r in reasons}
    assert {("competency", c) for c in posting.competencies} <= named
    assert {("major", c) for c in posting.majors} <= named
    assert {("language", c) for c in posting.languages} <= named
    assert {("certificate", c) for c in posting.certificates} <= named
    if all(r["matched"] for r in reasons):
        assert score(student, posting).score == 1.0


@given(students, st.lists(postings, min_size=1, max_size=12))
def test_the_vectorised_index_gives_the_same_scores(student, many):
    index = from_signals({k + 1: p for k, p in enumerate(many)})
    vectorised = index.scores(student)
    for row, posting in enumerate(many):
        assert vectorised[row] == score(student, posting).score
        assert index.signals(row) == posting


@given(students, postings, st.sampled_from(CERTIFICATES), st.integers(min_value=1, max_value=3))
def test_gaining_a_certificate_level_never_lowers_the_score(student, posting, code, rank):
    held = max(student.certificates.get(code, (0, False)), (rank, False))
    better = StudentSignals(
        competencies=student.competencies,
        major=student.major,
        languages=student.languages,
        district=student.district,
        certificates={**student.certificates, code: held},
    )
    assert exact_score(better, posting) >= exact_score(student, posting)


def test_certificates_take_their_weight_from_competencies_only_when_named():
    student = StudentSignals(
        competencies={"english": 2},
        certificates={"cbec-b2b-data-operation": (2, False)},
    )
    plain = PostingSignals(competencies={"english": 4}, district="tianhe", mode="remote")
    named = PostingSignals(
        competencies={"english": 4},
        district="tianhe",
        mode="remote",
        certificates={"cbec-b2b-data-operation": 3},
    )
    # Without certificates the score is what it always was: 0.5 * 1/2 + 0.2 + 0.2 + 0.1.
    assert exact_score(student, plain) == Fraction(3, 4)
    # Named and missing (intermediate held, senior asked): 0.4 * 1/2 + 0 + 0.5.
    assert exact_score(student, named) == Fraction(7, 10)
    (reason,) = [r for r in score(student, named).reasons if r["kind"] == "certificate"]
    assert reason == {
        "kind": "certificate",
        "code": "cbec-b2b-data-operation",
        "matched": False,
        "required_certificate_level": "senior",
        "certificate_level": "intermediate",
        "verified": False,
    }
    holder = StudentSignals(
        competencies={"english": 2}, certificates={"cbec-b2b-data-operation": (3, True)}
    )
    assert exact_score(holder, named) == Fraction(4, 5)


def test_a_language_asked_at_a_level_needs_that_level():
    posting = PostingSignals(
        languages=frozenset({"ar", "en"}), language_levels={"ar": 4}, district="tianhe"
    )
    beginner = StudentSignals(languages={"ar": 1, "en": 1}, district="tianhe")
    fluent = StudentSignals(languages={"ar": 4, "en": 1}, district="tianhe")
    # 0.5 + 0.2 + 0.2 * share + 0.1
    assert exact_score(beginner, posting) == Fraction(9, 10)
    assert exact_score(fluent, posting) == 1
    (arabic,) = [r for r in score(beginner, posting).reasons if r["code"] == "ar"]
    assert arabic == {
        "kind": "language",
        "code": "ar",
        "matched": False,
        "required_level": 4,
        "student_level": 1,
    }
