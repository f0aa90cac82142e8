"""One roster row checked on its own (rosters.services.check_row): property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.rosters.services import YEARS_AHEAD, YEARS_BACK, check_row

YEAR = 2026
MAJORS = {"e-commerce": "e-commerce", "电子商务": "e-commerce"}
GOOD = {
    "row": 2,
    "name": "张三",
    "student_number": "2026001",
    "email": "zhang@example.cn",
    "major": "电子商务",
    "graduation_year": str(YEAR),
}


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield


@given(st.integers(min_value=0, max_value=9999))
def test_a_graduation_year_is_kept_only_within_its_range(year):
    clean, problem = check_row({**GOOD, "graduation_year": str(year)}, MAJORS, YEAR)
    if YEAR - YEARS_BACK <= year <= YEAR + YEARS_AHEAD:
        assert problem is None
        assert clean["graduation_year"] == year
    else:
        assert problem[0] == "graduation_year"
        assert str(YEAR - YEARS_BACK) in problem[1]


@given(st.text(alphabet="abcXYZ", min_size=1, max_size=20), st.sampled_from(["", " ", "  "]))
def test_emails_are_normalised(local, pad):
    clean, problem = check_row({**GOOD, "email": f"{pad}{local}@Example.CN{pad}"}, MAJORS, YEAR)
    assert problem is None
    assert clean["email"] == f"{local.lower()}@example.cn"


@given(st.sampled_from(["name", "student_number", "email", "major", "graduation_year"]))
def test_a_missing_cell_names_its_column(column):
    values = {k: v for k, v in GOOD.items() if k != column}
    assert check_row(values, MAJORS, YEAR)[1][0] == column


@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip().lower() not in MAJORS))
def test_a_major_outside_the_taxonomy_is_refused(major):
    assert check_row({**GOOD, "major": major}, MAJORS, YEAR)[1][0] == "major"
