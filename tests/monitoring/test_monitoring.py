"""Monitoring through the API: the numbers, their downloads and charts, and who may look."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cbec_alliance.applications.models import Hire
from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from tests import factories
from tests.applications.factories import apply_for
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

URL = "/api/v1/monitoring"
ROUTES = ("overview", "skills-gap", "districts", "internships", "partnerships")


@pytest.fixture
def alliance():
    """Two open internships asking for English, students who have it, a course teaching it."""
    ent = factories.OrganizationFactory(district="tianhe")
    uni = factories.UniversityFactory(district="panyu")
    InternshipFactory(
        enterprise_id=ent.id, slots=3, competencies={"english": 2}, category="marketing"
    )
    posting = InternshipFactory(
        enterprise_id=ent.id, slots=2, competencies={"english": 3, "data-analysis": 2}
    )
    student(uni, competencies={"english": 4})
    student(uni, competencies={"english": 2, "data-analysis": 3})
    _user, app_ = apply_for(posting, "completed", university=uni)
    db.session.add(
        Hire(
            application_id=app_.id,
            enterprise_id=ent.id,
            university_id=uni.id,
            student_id=app_.student_id,
        )
    )
    db.session.add(
        Course(
            university_id=uni.id,
            code="EN-201",
            title="跨境商务英语",
            credits=Decimal("2"),
            hours=32,
            semester="2026-fall",
            language="zh",
            capacity=25,
            status="published",
            competencies=[CourseCompetency(code="english")],
        )
    )
    db.session.flush()
    return {"ent": ent, "uni": uni, "posting": posting}


def test_the_skills_gap_counts_demand_and_supply(coord, alliance):
    got = coord.get(f"{URL}/skills-gap").get_json()
    assert got["refresh_interval_seconds"] == 0
    assert got["as_of"].endswith("Z")
    row = {r["code"]: r for r in got["items"]}
    # 3 + 2 open slots ask for English; 1 student at level 3+ (the other has 2 and the hired
    # applicant's factory profile has platform-operation) and 25 course seats supply it.
    assert (row["english"]["demand"], row["english"]["supply_students"]) == (5, 1)
    assert (row["english"]["supply_seats"], row["english"]["gap"]) == (25, 5 - 26)
    assert (row["data-analysis"]["demand"], row["data-analysis"]["supply"]) == (2, 1)
    assert row["english"]["label_zh"]


def test_overview_districts_internships_and_partnerships(coord, alliance):
    overview = coord.get(f"{URL}/overview").get_json()
    assert overview["internships"]["posted"] == 2
    assert overview["internships"]["hired"] == 1
    assert overview["internships"]["conversion_rate"] == 100.0
    assert overview["students"] >= 3
    districts = {r["code"]: r for r in coord.get(f"{URL}/districts").get_json()["items"]}
    assert districts["tianhe"]["demand_slots"] == 5 + 2  # two competencies of one posting
    assert districts["panyu"]["supply_seats"] == 25
    months = coord.get(f"{URL}/internships?category=marketing").get_json()["items"]
    assert sum(r["posted"] for r in months) == 2
    assert sum(r["hired"] for r in months) == 1
    assert coord.get(f"{URL}/partnerships").get_json()["items"] == []


@pytest.mark.parametrize("route", ROUTES)
def test_csv_and_xlsx_downloads_keep_chinese(coord, alliance, route):
    csv = coord.get(f"{URL}/{route}?format=csv")
    assert csv.status_code == 200
    assert csv.content_type == "text/csv; charset=utf-8"
    assert csv.data.startswith(b"\xef\xbb\xbf")
    header = csv.data[3:].decode("utf-8").splitlines()[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in header)
    assert "attachment" in csv.headers["Content-Disposition"]
    xlsx = coord.get(f"{URL}/{route}?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.data)).active
    assert ws.cell(row=1, column=1).value == header.split(",")[0]


@pytest.mark.parametrize("route", ["internships", "skills-gap"])
def test_charts(coord, alliance, route):
    svg = coord.get(f"{URL}/{route}?format=svg")
    assert (svg.status_code, svg.content_type) == (200, "image/svg+xml")
    assert svg.data.startswith(b"<?xml")
    png = coord.get(f"{URL}/{route}?format=png")
    assert png.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("route", ROUTES)
def test_only_coordinators_and_associations_look(as_user, client, coord, alliance, route):
    association = factories.OrganizationFactory(kind="association", uscc=None)
    assert as_user(factories.member(association, "staff")).get(f"{URL}/{route}").status_code == 200
    for outsider in (
        factories.member(alliance["ent"], "admin"),
        factories.member(alliance["uni"], "admin"),
        factories.member(alliance["uni"], "student"),
        factories.member(factories.OrganizationFactory(kind="government", uscc=None), "staff"),
        factories.member(
            factories.OrganizationFactory(kind="association", uscc=None, status="pending"), "staff"
        ),
        factories.member(
            factories.OrganizationFactory(kind="association", uscc=None, status="suspended"),
            "admin",
        ),
    ):
        assert_problem(as_user(outsider).get(f"{URL}/{route}"), 403)
    assert_problem(client.get(f"{URL}/{route}"), 401)
    assert "format" in validation_errors(coord.get(f"{URL}/{route}?format=pdf"))


def test_tables_refuse_chart_formats_and_bad_months(coord):
    assert "format" in validation_errors(coord.get(f"{URL}/overview?format=svg"))
    assert "from" in validation_errors(coord.get(f"{URL}/internships?from=2026-13"))
    assert "from" in validation_errors(coord.get(f"{URL}/internships?from=2026-01%0A"))
    assert "to" in validation_errors(coord.get(f"{URL}/internships?to=2026-1"))
    assert "from" in validation_errors(coord.get(f"{URL}/internships?from=2026-05&to=2026-04"))
    assert "category" in validation_errors(coord.get(f"{URL}/internships?category="))
    assert "category" in validation_errors(coord.get(f"{URL}/internships?category={'x' * 41}"))
    assert coord.get(f"{URL}/internships?from=2026-04&to=2026-04").status_code == 200


def test_a_summary_is_served_from_its_snapshot_until_the_interval_passes(app, coord, alliance):
    app.config["MONITORING_REFRESH_SECONDS"] = 600
    try:
        first = coord.get(f"{URL}/overview").get_json()
        InternshipFactory()
        db.session.flush()
        cached = coord.get(f"{URL}/overview").get_json()
        assert cached["as_of"] == first["as_of"]
        assert cached["internships"]["posted"] == first["internships"]["posted"]
        from cbec_alliance.monitoring import services

        with app.app_context():
            services.refresh_all()  # what the beat task does
        fresh = coord.get(f"{URL}/overview").get_json()
        assert fresh["internships"]["posted"] == first["internships"]["posted"] + 1
    finally:
        app.config["MONITORING_REFRESH_SECONDS"] = 0
