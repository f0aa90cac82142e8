"""GET /api/v1/monitoring/employment: the rates, the downloads, and whose figures who sees."""

from __future__ import annotations

import pytest

from tests import factories
from tests.applications.factories import ApplicationFactory
from tests.destinations.factories import YEAR, DestinationFactory, alliance
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.monitoring.test_export_injection import safe_csv, safe_xlsx
from tests.students.factories import student

URL = "/api/v1/monitoring/employment"


@pytest.fixture
def world(app):
    """University 1: 4 graduates of YEAR (3 e-commerce, 1 trade); 3 destinations: one
    confirmed at the enterprise they interned with, in Tianhe, CBEC-related; one declared in
    Shenzhen; one not yet employed. University 2: one graduate, confirmed at the other
    enterprise."""
    before = app.config["MONITORING_REFRESH_SECONDS"]
    app.config["MONITORING_REFRESH_SECONDS"] = 0
    with app.app_context():
        w = alliance()
        extra = student(w.uni, graduation_year=YEAR)
        posting = InternshipFactory(enterprise_id=w.ent.id)
        ApplicationFactory(
            internship_id=posting.id,
            student_id=w.student.id,
            university_id=w.uni.id,
            status="completed",
        )
        DestinationFactory(
            student_id=w.student.id,
            university_id=w.uni.id,
            major="e-commerce",
            employer_id=w.ent.id,
            employer_name=None,
            confirmation="confirmed",
            location_code="440106",
            cbec_related=True,
            salary_band="6000-8000",
        )
        DestinationFactory(
            student_id=w.student2.id,
            university_id=w.uni.id,
            major="international-trade",
            outcome="flexible",
            location_code="440300",
            salary_band="4000-6000",
        )
        DestinationFactory(
            student_id=extra.id,
            university_id=w.uni.id,
            major="e-commerce",
            outcome="not-employed",
            employer_name=None,
        )
        DestinationFactory(
            student_id=w.other_student.id,
            university_id=w.other_uni.id,
            major="e-commerce",
            employer_id=w.other_ent.id,
            employer_name=None,
            confirmation="confirmed",
            location_code="440100",
            cbec_related=True,
        )
        # A graduate without a report yet.
        student(w.uni, graduation_year=YEAR)
    yield w
    app.config["MONITORING_REFRESH_SECONDS"] = before


def test_coordinators_see_every_university(world, coord):
    body = coord.get(f"{URL}?year={YEAR}").get_json()
    assert body["year"] == YEAR
    assert body["scope"] is None
    totals = body["totals"]
    assert (totals["graduates"], totals["reported"], totals["placed"]) == (5, 4, 3)
    assert (totals["confirmed"], totals["declared"]) == (2, 1)
    assert totals["destination_rate"] == 0.6
    assert totals["confirmed_rate"] == round(2 / 3, 4)
    assert totals["cbec_related_share"] == round(2 / 3, 4)
    assert totals["in_guangzhou"] == 2  # Tianhe and the city code; Shenzhen is not
    first = next(r for r in body["by_university"] if r["university_id"] == world.uni.id)
    assert (first["graduates"], first["placed"], first["confirmed"]) == (4, 2, 1)
    assert first["destination_rate"] == 0.5
    majors = {(r["university_id"], r["major"]): r for r in body["by_major"]}
    assert majors[(world.uni.id, "e-commerce")]["graduates"] == 3
    assert majors[(world.uni.id, "international-trade")]["placed"] == 1
    outcomes = {r["code"]: r["count"] for r in body["by_outcome"]}
    assert outcomes["employed-contract"] == 2
    assert outcomes["military"] == 0
    bands = {r["code"]: r for r in body["salary_bands"]}
    assert bands["6000-8000"] == {"code": "6000-8000", "count": 1, "confirmed": 1}
    conversions = {r["enterprise_id"]: r for r in body["conversions"]}
    assert conversions[world.ent.id]["converted"] == 1
    assert conversions[world.other_ent.id]["converted"] == 0
    assert body["certificates"] == []
    assert coord.get(f"{URL}?year={YEAR - 1}").get_json()["totals"]["graduates"] == 0


def test_a_university_sees_its_own_graduates_only(world, as_user):
    client = as_user(world.uni_staff)
    body = client.get(f"{URL}?year={YEAR}").get_json()
    assert body["scope"] == {"kind": "university", "organization_id": world.uni.id}
    assert [r["university_id"] for r in body["by_university"]] == [world.uni.id]
    assert body["totals"]["graduates"] == 4
    assert [r["enterprise_id"] for r in body["conversions"]] == [world.ent.id]
    assert_problem(client.get(f"{URL}?organization_id={world.other_uni.id}"), 403)


def test_an_enterprise_sees_its_confirmations_and_conversions(world, as_user):
    body = as_user(world.ent_staff).get(f"{URL}?year={YEAR}").get_json()
    assert body["scope"] == {"kind": "enterprise", "organization_id": world.ent.id}
    assert body["totals"] is None
    assert body["by_university"] == body["by_major"] == []
    assert body["confirmations"] == {"pending": 0, "confirmed": 1, "disputed": 0}
    assert [(r["enterprise_id"], r["converted"]) for r in body["conversions"]] == [
        (world.ent.id, 1)
    ]
    other = as_user(world.other_ent_staff).get(f"{URL}?year={YEAR}").get_json()
    assert [r["enterprise_id"] for r in other["conversions"]] == [world.other_ent.id]
    svg = as_user(world.ent_staff).get(f"{URL}?year={YEAR}&format=svg")
    assert (svg.status_code, svg.content_type) == (200, "image/svg+xml")


def test_downloads(world, coord):
    rows = safe_csv(coord.get(f"{URL}?year={YEAR}&format=csv"))
    sections = {r[0] for r in rows[1:]}
    assert {"total", "university", "major", "outcome", "salary_band", "conversion"} <= sections
    assert any("去向落实率" in cell for cell in rows[0])
    sheet = safe_xlsx(coord.get(f"{URL}?year={YEAR}&format=xlsx"))
    assert len(sheet) == len(rows)
    for fmt, mime in (("svg", "image/svg+xml"), ("png", "image/png")):
        resp = coord.get(f"{URL}?year={YEAR}&format={fmt}")
        assert (resp.status_code, resp.content_type) == (200, mime)


def test_authorization_and_bad_input(world, client, as_user, coord):
    assert_problem(client.get(URL), 401)
    # Students and members of no university or enterprise see no figures.
    assert_problem(as_user(world.student).get(URL), 403)
    assert_problem(as_user(factories.UserFactory()).get(URL), 403)
    assert "year" in validation_errors(coord.get(f"{URL}?year=20x6"))
    assert "year" in validation_errors(coord.get(f"{URL}?year=1900"))
    assert "format" in validation_errors(coord.get(f"{URL}?format=pdf"))
    assert_problem(coord.get(f"{URL}?organization_id=99999999"), 404)


def test_no_data_is_not_an_error(app, coord):
    before = app.config["MONITORING_REFRESH_SECONDS"]
    app.config["MONITORING_REFRESH_SECONDS"] = 0
    body = coord.get(URL).get_json()
    app.config["MONITORING_REFRESH_SECONDS"] = before
    assert body["totals"]["destination_rate"] is None
    assert body["by_university"] == []
    assert alliance  # the factories module is importable without data


def test_beat_refreshes_the_alliance_report_of_this_year_and_last(app, coord):
    from cbec_alliance.monitoring import employment

    before = app.config["MONITORING_REFRESH_SECONDS"]
    app.config["MONITORING_REFRESH_SECONDS"] = 600
    try:
        year = employment.default_year()
        first = coord.get(URL).get_json()
        assert first["totals"]["reported"] == 0
        w = alliance()
        DestinationFactory(student_id=w.student.id, university_id=w.uni.id, graduation_year=year)
        assert coord.get(URL).get_json()["as_of"] == first["as_of"]  # the snapshot
        with app.app_context():
            took = employment.refresh()  # what the beat task does
        assert set(took) == {f"employment:{year}", f"employment:{year - 1}"}
        assert coord.get(URL).get_json()["totals"]["reported"] == 1
    finally:
        app.config["MONITORING_REFRESH_SECONDS"] = before
