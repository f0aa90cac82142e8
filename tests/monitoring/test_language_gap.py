"""Minor languages in the skills gap: postings asking for a language at level N or more
against students holding it at N or more, overall and per district (issue 19)."""

from __future__ import annotations

import csv as csv_module
import io

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

URL = "/api/v1/monitoring/skills-gap/languages"


def _alliance():
    ent = factories.OrganizationFactory(district="nansha")
    uni = factories.UniversityFactory(district="panyu")
    # Spanish at 3 (2 slots, full-time) and at 1 (1 slot), Arabic at 4 (3 slots, one taken).
    InternshipFactory(
        enterprise_id=ent.id,
        district="nansha",
        slots=2,
        languages={"es": 3},
        kind="full_time",
        salary_band="6000-8000",
        contract_type="fixed-term",
    )
    InternshipFactory(enterprise_id=ent.id, district="tianhe", slots=1, languages={"es": 1})
    InternshipFactory(
        enterprise_id=ent.id, district="nansha", slots=3, accepted_count=1, languages={"ar": 4}
    )
    InternshipFactory(enterprise_id=ent.id, status="closed", languages={"ar": 5})  # not open
    student(uni, languages={"es": 4})
    student(uni, languages={"es": 2, "ar": 1})
    student(uni, languages={"en": 3})
    return ent, uni


def _row(rows, **where):
    (found,) = [r for r in rows if all(r[k] == v for k, v in where.items())]
    return found


def test_postings_at_a_level_against_students_at_that_level(coord):
    _alliance()
    body = coord.get(URL).get_json()
    items = body["items"]
    es1 = _row(items, level=1, code="es")
    assert (es1["postings"], es1["demand"], es1["students"], es1["gap"]) == (2, 3, 2, 1)
    assert es1["label_zh"]
    es3 = _row(items, level=3, code="es")
    assert (es3["postings"], es3["demand"], es3["students"], es3["gap"]) == (1, 2, 1, 1)
    ar4 = _row(items, level=4, code="ar")
    assert (ar4["postings"], ar4["demand"], ar4["students"], ar4["gap"]) == (1, 2, 0, 2)
    assert _row(items, level=2, code="ar")["students"] == 0  # held at 1 only
    assert _row(items, level=5, code="ar")["postings"] == 0  # the closed posting is no demand
    by_district = body["by_district"]
    nansha = _row(by_district, level=3, district="nansha", code="es")
    assert (nansha["postings"], nansha["demand"], nansha["students"]) == (1, 2, 0)
    panyu = _row(by_district, level=1, district="panyu", code="es")
    assert (panyu["postings"], panyu["students"], panyu["gap"]) == (0, 2, -2)


def test_level_and_district_narrow_it_and_the_csv_has_both_tables(coord):
    _alliance()
    body = coord.get(f"{URL}?level=3&district=nansha").get_json()
    assert body["level"] == 3
    assert {r["level"] for r in body["items"]} == {3}
    assert {(r["district"], r["code"]) for r in body["by_district"]} == {
        ("nansha", "es"),
        ("nansha", "ar"),
    }
    resp = coord.get(f"{URL}?format=csv&level=1")
    rows = list(csv_module.reader(io.StringIO(resp.data[3:].decode("utf-8"))))
    overall = [r for r in rows[1:] if r[1] == ""]
    districts = [r for r in rows[1:] if r[1] != ""]
    assert overall
    assert districts
    assert _row_of(overall, "es")[:4] == ["1", "", "全市 all", "es"]
    svg = coord.get(f"{URL}?format=svg&level=3")
    assert (svg.status_code, svg.content_type) == (200, "image/svg+xml")


def _row_of(rows, code):
    (found,) = [r for r in rows if r[3] == code]
    return found


def test_bad_level_or_format_is_422(coord):
    for query, field in (("level=0", "level"), ("level=6", "level"), ("level=x", "level")):
        assert field in validation_errors(coord.get(f"{URL}?{query}"))
    assert "format" in validation_errors(coord.get(f"{URL}?format=pdf"))


def test_who_may_look_is_who_sees_the_skills_gap(client, as_user):
    ent, uni = _alliance()
    association = factories.OrganizationFactory(kind="association", uscc=None)
    assert as_user(factories.member(association, "staff")).get(URL).status_code == 200
    for outsider in (
        factories.member(ent, "admin"),
        factories.member(uni, "staff"),
        factories.member(uni, "student"),
    ):
        problem = assert_problem(as_user(outsider).get(URL), 403)
        assert "items" not in problem
    assert_problem(client.get(URL), 401)
