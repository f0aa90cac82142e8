"""The index of students against the scoring function: unit and property tests."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.recommendations import talent
from cbec_alliance.recommendations.scoring import PostingSignals, StudentSignals, score
from tests.recommendations.test_scoring import postings, students

# (university id, signals) per student id; a university's district is its own.
UNIVERSITIES = {1: "tianhe", 2: "panyu", 3: "haizhu"}
population = st.dictionaries(
    st.integers(min_value=1, max_value=10_000),
    st.tuples(st.sampled_from(sorted(UNIVERSITIES)), students),
    max_size=25,
)


def with_district(university: int, student: StudentSignals) -> StudentSignals:
    return StudentSignals(
        competencies=student.competencies,
        major=student.major,
        languages=student.languages,
        district=UNIVERSITIES[university],
        certificates=student.certificates,
    )


def near(index: talent.StudentIndex, district: str) -> np.ndarray:
    return np.array([UNIVERSITIES[int(u)] == district for u in index.university_ids])


@given(population, postings)
def test_the_index_scores_every_student_as_the_scoring_function(many, posting):
    index = talent.from_signals(many)
    units = talent.scores(index, posting, near(index, posting.district))
    for row, user_id in enumerate(index.ids):
        university, student = many[int(user_id)]
        expected = score(with_district(university, student), posting).score
        assert units[row] == round(expected * talent.UNIT), (user_id, posting)
        assert index.signals(row, None) == StudentSignals(
            competencies=student.competencies,
            major=student.major,
            languages=student.languages,
            certificates=student.certificates,
        )


@given(
    population,
    postings,
    st.sets(st.sampled_from(sorted(UNIVERSITIES))),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=1, max_value=10),
)
def test_a_page_is_the_slice_of_the_full_order(many, posting, closed, offset, limit):
    index = talent.from_signals(many)
    units = talent.scores(index, posting, near(index, posting.district))
    eligible = np.array([int(u) not in closed for u in index.university_ids])[index.university]
    order = sorted(
        (row for row in range(len(index)) if eligible[row]),
        key=lambda row: (-units[row], index.ids[row]),
    )
    page = talent.ranked(units, eligible, offset, limit)
    assert list(page) == order[offset : offset + limit]


def test_ties_keep_id_order_and_the_index_of_nobody_is_empty():
    same = StudentSignals(competencies={"english": 3})
    index = talent.from_signals({7: (1, same), 3: (2, same), 5: (1, same)})
    units = np.array([5_000, 5_000, 5_000])
    assert list(index.ids[talent.ranked(units, np.ones(3, bool), 0, 2)]) == [3, 5]
    empty = talent.from_signals({})
    assert len(empty) == 0
    units = talent.scores(empty, PostingSignals(district="tianhe"), np.zeros(0, bool))
    assert list(talent.ranked(units, np.zeros(0, bool), 0, 20)) == []
