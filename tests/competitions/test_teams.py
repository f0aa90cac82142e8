"""Teams: the registration window, sizes, one team per student, who registers, who sees members."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cbec_alliance.core.timeutil import utcnow
from tests import factories
from tests.competitions.factories import CompetitionFactory, team
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student


def url(competition) -> str:
    return f"/api/v1/competitions/{competition.id}/teams"


def team_body(members, **overrides) -> dict:
    data = {
        "name": "星火队 Spark",
        "track": "跨境直播 live commerce",
        "member_ids": [m.id for m in members],
        "advisor_name": "李老师",
    }
    data.update(overrides)
    return data


def test_a_member_registers_a_mixed_university_team(as_user):
    competition = CompetitionFactory()
    mentor = factories.OrganizationFactory()
    uni_a, uni_b = factories.UniversityFactory(), factories.UniversityFactory()
    first, second = student(uni_a), student(uni_b)
    api = as_user(first)
    resp = api.post(
        url(competition), json=team_body([first, second], mentor_enterprise_id=mentor.id)
    )
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["members"] == [
        {"user_id": first.id, "university_id": uni_a.id},
        {"user_id": second.id, "university_id": uni_b.id},
    ]
    assert got["mentor_enterprise_id"] == mentor.id
    assert api.get(url(competition)).get_json()["items"][0]["members"] == got["members"]


def test_members_are_hidden_from_outsiders(client, as_user):
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    team(competition, [(student(uni), uni)])
    for api in (client, as_user(student())):
        (item,) = api.get(url(competition)).get_json()["items"]
        assert item["members"] == []
        assert item["member_count"] == 1


def test_university_staff_register_their_students(as_user):
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    members = [student(uni), student(uni)]
    resp = as_user(factories.member(uni, "staff")).post(url(competition), json=team_body(members))
    assert resp.status_code == 201, resp.get_json()


@pytest.mark.parametrize("who", ["anonymous", "other_student", "other_university_staff"])
def test_others_cannot_register_a_team(client, as_user, who):
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    members = [student(uni)]
    api, status = {
        "anonymous": lambda: (client, 401),
        "other_student": lambda: (as_user(student(uni)), 403),
        "other_university_staff": lambda: (
            as_user(factories.member(factories.UniversityFactory(), "admin")),
            403,
        ),
    }[who]()
    problem = assert_problem(api.post(url(competition), json=team_body(members)), status)
    assert "members" not in problem


@pytest.mark.parametrize("when", ["before", "after"])
def test_registration_window_is_enforced(as_user, when):
    now = utcnow()
    window = (
        {"registration_opens_at": now + timedelta(hours=1)}
        if when == "before"
        else {
            "registration_opens_at": now - timedelta(days=3),
            "registration_closes_at": now - timedelta(seconds=1),
        }
    )
    competition = CompetitionFactory(**window)
    me = student()
    assert_problem(as_user(me).post(url(competition), json=team_body([me])), 409)


def test_a_student_is_in_one_team_per_competition(as_user):
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    busy, free = student(uni), student(uni)
    team(competition, [(busy, uni)], name="first")
    problem = assert_problem(
        as_user(free).post(url(competition), json=team_body([free, busy])), 409
    )
    assert problem["user_ids"] == [busy.id]
    # Another competition is fine.
    assert as_user(busy).post(url(CompetitionFactory()), json=team_body([busy])).status_code == 201


def test_team_names_are_unique_per_competition(as_user):
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    team(competition, [(student(uni), uni)], name="星火队 Spark")
    me = student(uni)
    assert_problem(as_user(me).post(url(competition), json=team_body([me])), 409)


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("too_many", "member_ids"),
        ("duplicate", "member_ids"),
        ("not_a_student", "member_ids"),
        ("pending_university", "member_ids"),
        ("empty", "member_ids"),
        ("unknown_track", "track"),
        ("mentor_is_a_university", "mentor_enterprise_id"),
        ("no_name", "name"),
        ("no_advisor", "advisor_name"),
        ("string_ids", "member_ids"),
    ],
)
def test_bad_teams_are_422_naming_the_field(as_user, case, field):
    competition = CompetitionFactory(max_team_size=2)
    uni = factories.UniversityFactory()
    me = student(uni)
    members = [me]
    extra: dict = {}
    if case == "too_many":
        members = [me, student(uni), student(uni)]
    elif case == "duplicate":
        members = [me, me]
    elif case == "not_a_student":
        members = [me, factories.member(factories.OrganizationFactory(), "staff")]
    elif case == "pending_university":
        members = [me, student(factories.UniversityFactory(status="pending"))]
    elif case == "empty":
        extra = {"member_ids": []}
    elif case == "unknown_track":
        extra = {"track": "没有这个赛道"}
    elif case == "mentor_is_a_university":
        extra = {"mentor_enterprise_id": factories.UniversityFactory().id}
    elif case == "no_name":
        extra = {"name": ""}
    elif case == "no_advisor":
        extra = {"advisor_name": None}
    elif case == "string_ids":
        extra = {"member_ids": [str(me.id)]}
    errors = validation_errors(as_user(me).post(url(competition), json=team_body(members, **extra)))
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors


def test_unknown_competition_is_404(as_user):
    me = student()
    assert_problem(as_user(me).post("/api/v1/competitions/999999/teams", json=team_body([me])), 404)


def test_a_member_of_another_organization_sees_no_members(as_user):
    competition = CompetitionFactory()
    uni = factories.UniversityFactory()
    team(competition, [(student(uni), uni)])
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    (item,) = outsider.get(url(competition)).get_json()["items"]
    assert item["members"] == []
