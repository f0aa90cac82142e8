"""Survey reports in the console: the list and a report compared with another year, the same
figures as the API's report; parties other than coordinators and government refused."""

from __future__ import annotations

import pytest

from tests import factories
from tests.console.conftest import text_of


def make_survey(coord, year: int) -> int:
    resp = coord.post(
        "/api/v1/surveys",
        json={
            "title": f"{year} 广州跨境电商人才需求调查",
            "year": year,
            "template": "talent-demand",
            "distributed": 100,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_list_and_report_with_the_year_comparison(coord):
    first, second = make_survey(coord, 2025), make_survey(coord, 2026)
    listing = text_of(coord.get("/console/monitoring/surveys/"))
    assert "2025 广州跨境电商人才需求调查" in listing
    assert "2026 广州跨境电商人才需求调查" in listing
    alone = coord.get(f"/console/monitoring/surveys/{second}")
    assert alone.status_code == 200
    api = coord.get(f"/api/v1/surveys/{second}/report").get_json()
    assert api["questions"], "the standard questionnaire has questions"
    assert api["questions"][0]["text"] in text_of(alone)
    compared = coord.get(f"/console/monitoring/surveys/{second}?compare_to={first}")
    assert compared.status_code == 200
    assert "变化（百分点）" in text_of(compared)
    assert f"compare_to={first}" in compared.get_data(as_text=True)


def test_comparing_a_survey_with_itself_names_the_field(coord):
    survey = make_survey(coord, 2026)
    resp = coord.get(f"/console/monitoring/surveys/{survey}?compare_to={survey}")
    assert resp.status_code == 200
    assert "compare_to" in text_of(resp)
    assert "变化（百分点）" not in text_of(resp)
    assert coord.get("/console/monitoring/surveys/999999").status_code == 404


@pytest.mark.parametrize("role", ["admin", "student"])
def test_enterprises_and_students_are_refused(coord, as_user, ctx, role):
    survey = make_survey(coord, 2026)
    org = factories.UniversityFactory() if role == "student" else factories.OrganizationFactory()
    person = as_user(factories.member(org, role))
    for path in ("/console/monitoring/surveys/", f"/console/monitoring/surveys/{survey}"):
        resp = person.get(path)
        assert resp.status_code == 403
        assert "人才需求调查" not in text_of(resp)
