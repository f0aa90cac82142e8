"""Creating and reading competitions: rubric, schedule, tracks, organizers, filters, authz."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cbec_alliance.core.timeutil import utcnow
from tests import factories
from tests.competitions.factories import CompetitionFactory
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student

URL = "/api/v1/competitions"


def body(orgs: list[int], **overrides) -> dict:
    """A complete, valid competition."""
    now = utcnow()
    data = {
        "title": "第三届粤港澳跨境电商直播大赛",
        "description": "Co-organized by universities and enterprises of the alliance.",
        "organizer_ids": orgs,
        "tracks": [
            {"name": "直播带货 live selling", "competencies": ["content-creation", "english"]},
            {"name": "数据分析", "competencies": ["data-analysis"]},
        ],
        "registration_opens_at": (now - timedelta(days=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=7)).isoformat(),
        "starts_at": (now + timedelta(days=10)).isoformat(),
        "ends_at": (now + timedelta(days=12)).isoformat(),
        "scoreboard_freeze_at": (now + timedelta(days=11)).isoformat(),
        "max_team_size": 4,
        "rubric": [
            {"criterion": "创意", "weight": 0.3},
            {"criterion": "execution", "weight": "0.45"},
            {"criterion": "presentation", "weight": 0.25},
        ],
    }
    data.update(overrides)
    return data


def test_an_organizer_creates_a_competition_with_partners(as_user):
    university = factories.UniversityFactory()
    enterprise = factories.OrganizationFactory()
    api = as_user(factories.member(university, "staff"))
    resp = api.post(URL, json=body([university.id, enterprise.id]))
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["organizer_ids"] == sorted([university.id, enterprise.id])
    assert got["tracks"][0] == {
        "name": "直播带货 live selling",
        "competencies": ["content-creation", "english"],
    }
    assert [criterion["criterion"] for criterion in got["rubric"]] == [
        "创意",
        "execution",
        "presentation",
    ]
    assert got["results_published_at"] is None
    public = as_user(student()).get(f"{URL}/{got['id']}").get_json()
    assert public["title"] == "第三届粤港澳跨境电商直播大赛"


def test_coordinators_create_for_any_organizers(coord):
    org = factories.OrganizationFactory()
    assert coord.post(URL, json=body([org.id])).status_code == 201


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("outsider_staff", 403), ("student_of_organizer", 403)],
)
def test_only_organizer_staff_create(client, as_user, who, status):
    university = factories.UniversityFactory()
    if who == "anonymous":
        api = client
    elif who == "outsider_staff":
        api = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    else:
        api = as_user(student(university))
    problem = assert_problem(api.post(URL, json=body([university.id])), status)
    assert "id" not in problem


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"rubric": [{"criterion": "a", "weight": 0.5}, {"criterion": "b", "weight": 0.4}]},
            "rubric",
        ),
        (
            {"rubric": [{"criterion": "a", "weight": 0.7}, {"criterion": "b", "weight": 0.4}]},
            "rubric",
        ),
        (
            {"rubric": [{"criterion": "a", "weight": 0.5}, {"criterion": "a", "weight": 0.5}]},
            "rubric",
        ),
        (
            {
                "rubric": [
                    {"criterion": "a", "weight": "0.33333"},
                    {"criterion": "b", "weight": "0.66667"},
                ]
            },
            "rubric",
        ),
        ({"rubric": [{"criterion": "a", "weight": 0}, {"criterion": "b", "weight": 1}]}, "rubric"),
        ({"rubric": [{"criterion": "a", "weight": "NaN"}]}, "rubric"),
        ({"rubric": []}, "rubric"),
        ({"tracks": [{"name": "x", "competencies": ["juggling"]}]}, "tracks"),
        ({"tracks": [{"name": "x"}, {"name": "x"}]}, "tracks"),
        ({"tracks": []}, "tracks"),
        ({"max_team_size": 0}, "max_team_size"),
        ({"max_team_size": 21}, "max_team_size"),
        ({"max_team_size": "3"}, "max_team_size"),
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"organizer_ids": []}, "organizer_ids"),
        ({"organizer_ids": [987654]}, "organizer_ids"),
        ({"starts_at": "not a date"}, "starts_at"),
        (
            {"scoreboard_freeze_at": (utcnow() + timedelta(days=30)).isoformat()},
            "scoreboard_freeze_at",
        ),
        (
            {"registration_closes_at": (utcnow() - timedelta(days=3)).isoformat()},
            "registration_closes_at",
        ),
        ({"ends_at": (utcnow() + timedelta(days=9)).isoformat()}, "ends_at"),
        ({"starts_at": (utcnow() + timedelta(days=5)).isoformat()}, "starts_at"),
    ],
)
def test_bad_competitions_are_422_naming_the_field(coord, overrides, field):
    org = factories.OrganizationFactory()
    errors = validation_errors(coord.post(URL, json=body([org.id], **overrides)))
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors


def test_a_pending_organizer_is_refused(coord):
    pending = factories.OrganizationFactory(status="pending")
    assert "organizer_ids" in validation_errors(coord.post(URL, json=body([pending.id])))


def test_list_filters_and_detail(client):
    university = factories.UniversityFactory()
    mine = CompetitionFactory(organizer=university, tracks={"物流": ["international-logistics"]})
    other = CompetitionFactory(title="Data cup 数据杯")

    def ids(query):
        return [item["id"] for item in client.get(URL, query_string=query).get_json()["items"]]

    assert set(ids({})) == {mine.id, other.id}
    assert ids({"organization_id": university.id}) == [mine.id]
    assert ids({"q": "数据杯"}) == [other.id]
    assert ids({"track_competency": "international-logistics"}) == [mine.id]
    assert ids({"track_competency": "international"}) == []
    assert "per_page" in validation_errors(client.get(URL, query_string={"per_page": 0}))
    assert "organization_id" in validation_errors(
        client.get(URL, query_string={"organization_id": "x"})
    )
    assert_problem(client.get(f"{URL}/{other.id + 1000}"), 404)
