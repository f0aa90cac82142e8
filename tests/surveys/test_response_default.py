"""POST /surveys/{id}/responses without `enterprise_id`: the caller's one enterprise answers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.surveys.models import SurveyResponse
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/surveys"
ANSWERS = {"job_category": "marketing", "competencies": ["data-analysis", "english"]}


@pytest.fixture
def open_survey(coord) -> int:
    """An open talent-demand survey's id."""
    body = {"title": "2027 跨境电商人才需求调查", "year": 2027, "template": "talent-demand"}
    created = coord.post(URL, json=body | {"distributed": 50})
    assert created.status_code == 201, created.get_json()
    survey_id = created.get_json()["id"]
    assert coord.post(f"{URL}/{survey_id}/open", json={}).status_code == 200
    return survey_id


def responses(survey_id: int) -> list[tuple[int, int]]:
    return db.session.execute(
        sa.select(SurveyResponse.enterprise_id, SurveyResponse.submitted_by_id).where(
            SurveyResponse.survey_id == survey_id
        )
    ).all()


def test_the_callers_one_enterprise_answers(open_survey, as_user, coord):
    enterprise = factories.OrganizationFactory()
    user = factories.member(enterprise, "staff")
    resp = as_user(user).post(f"{URL}/{open_survey}/responses", json={"answers": ANSWERS})
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert (got["enterprise_id"], got["answers"]) == (enterprise.id, ANSWERS)
    assert responses(open_survey) == [(enterprise.id, user.id)]
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "survey_responses")
    ).one()
    assert entry.organization_id == enterprise.id
    report = coord.get(f"{URL}/{open_survey}/report").get_json()
    assert report["responses"] == 1
    # One answer per enterprise, whether it was named or not.
    again = as_user(user).post(
        f"{URL}/{open_survey}/responses",
        json={"enterprise_id": enterprise.id, "answers": ANSWERS},
    )
    assert_problem(again, 409)


def test_a_null_enterprise_id_is_the_same_as_none(open_survey, as_user):
    enterprise = factories.OrganizationFactory()
    client = as_user(factories.member(enterprise, "admin"))
    data = {"enterprise_id": None, "answers": ANSWERS}
    resp = client.post(f"{URL}/{open_survey}/responses", json=data)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["enterprise_id"] == enterprise.id


def test_a_caller_of_several_enterprises_names_one(open_survey, as_user):
    first, second = factories.OrganizationFactory(), factories.OrganizationFactory()
    user = factories.member(first, "admin")
    factories.MembershipFactory(user=user, organization=second, role="staff")
    client = as_user(user)
    errors = validation_errors(
        client.post(f"{URL}/{open_survey}/responses", json={"answers": ANSWERS})
    )
    message = errors["enterprise_id"][0]
    assert f"{first.id} ({first.name})" in message
    assert f"{second.id} ({second.name})" in message
    assert responses(open_survey) == []
    resp = client.post(
        f"{URL}/{open_survey}/responses", json={"enterprise_id": second.id, "answers": ANSWERS}
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["enterprise_id"] == second.id


def test_an_approved_enterprise_counts_before_a_pending_one(open_survey, as_user):
    approved = factories.OrganizationFactory()
    pending = factories.OrganizationFactory(status="pending")
    user = factories.member(pending, "admin")
    factories.MembershipFactory(user=user, organization=approved, role="staff")
    # A university the caller also works for is no enterprise: it is not a choice either.
    factories.MembershipFactory(user=user, organization=factories.UniversityFactory(), role="admin")
    resp = as_user(user).post(f"{URL}/{open_survey}/responses", json={"answers": ANSWERS})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["enterprise_id"] == approved.id


def test_students_and_other_organizations_cannot_answer(open_survey, as_user, client, coord):
    url = f"{URL}/{open_survey}/responses"
    enterprise = factories.OrganizationFactory()
    outsider = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    # Naming an enterprise the caller does not work for: 403, and nothing recorded.
    named = outsider.post(url, json={"enterprise_id": enterprise.id, "answers": ANSWERS})
    assert_problem(named, 403)
    # A plain member (no admin or staff role) has no enterprise to answer for.
    plain = as_user(factories.member(enterprise, "student"))
    assert_problem(plain.post(url, json={"answers": ANSWERS}), 404)
    university = as_user(factories.member(factories.UniversityFactory(), "admin"))
    assert_problem(university.post(url, json={"answers": ANSWERS}), 404)
    # Coordinators see every survey but answer for no enterprise.
    assert_problem(coord.post(url, json={"answers": ANSWERS}), 403)
    assert_problem(client.post(url, json={"answers": ANSWERS}), 401)
    assert responses(open_survey) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"enterprise_id": "十二", "answers": ANSWERS}, "enterprise_id"),
        ({"enterprise_id": 0, "answers": ANSWERS}, "enterprise_id"),
        ({}, "answers"),
        ({"answers": {}}, "answers"),
        ({"answers": {"job_category": "astronaut"}}, "answers.job_category"),
    ],
)
def test_bad_input_is_422_naming_the_field(open_survey, as_user, data, field):
    client = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    errors = validation_errors(client.post(f"{URL}/{open_survey}/responses", json=data))
    assert field in errors, errors


def test_the_default_is_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/surveys/{survey_id}/responses"]["post"]
    assert "`enterprise_id` may be left out" in operation["description"]
    assert "enterprise_id" not in spec["components"]["schemas"]["ResponseIn"].get("required", [])
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert "enterprise_id" not in example
    several = operation["responses"]["422"]["content"]["application/problem+json"]["example"]
    assert "enterprise_id" in several["errors"]
