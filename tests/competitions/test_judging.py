"""Judges, scores and revisions, the leaderboard (ties, tracks, z), the freeze, publishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Notification
from tests import factories
from tests.competitions.factories import CompetitionFactory, judge, team
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student

C1, C2 = "创意 creativity", "execution"


def url(competition, tail: str) -> str:
    return f"/api/v1/competitions/{competition.id}/{tail}"


@pytest.fixture
def contest():
    """A competition being judged, its organizer staff, three teams of one student each."""
    organizer = factories.OrganizationFactory()
    competition = CompetitionFactory(judging=True, organizer=organizer)
    uni = factories.UniversityFactory()
    members = [student(uni) for _ in range(3)]
    teams = [
        team(competition, [(m, uni)], name=f"队{k}", track=competition.tracks[k % 2].name)
        for k, m in enumerate(members)
    ]
    return competition, factories.member(organizer, "staff"), teams, members


def score(api, competition, team_id, scores):
    return api.post(url(competition, "scores"), json={"team_id": team_id, "scores": scores})


def board(api, competition, **query):
    resp = api.get(url(competition, "leaderboard"), query_string=query)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_organizers_assign_judges_who_score_and_revise(as_user, contest):
    competition, staff, teams, _ = contest
    referee = factories.UserFactory()
    resp = as_user(staff).post(url(competition, "judges"), json={"user_id": referee.id})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["name"] == referee.name
    cj = as_user(referee)
    assert score(cj, competition, teams[0].id, {C1: 80, C2: 90}).status_code == 201
    revised = score(cj, competition, teams[0].id, {C2: 70})
    assert revised.get_json() == {
        "team_id": teams[0].id,
        "judge_id": referee.id,
        "scores": {C1: 80, C2: 70},
    }
    # 0.4 * 80 + 0.6 * 70 = 74
    items = board(cj, competition)["items"]
    assert items == [
        {
            "rank": 1,
            "team_id": teams[0].id,
            "name": "队0",
            "track": teams[0].track,
            "score": 74.0,
            "score_exact": "74",
        }
    ]
    assert [referee.id] == [
        x["user_id"] for x in as_user(staff).get(url(competition, "judges")).get_json()
    ]
    # The judge sees their own scores; the organizer everyone's.
    assert len(cj.get(url(competition, "scores")).get_json()) == 1


def test_ties_share_a_rank_and_tracks_rank_apart(as_user, contest):
    competition, _, teams, _ = contest
    first, second = (
        judge(competition, factories.UserFactory()),
        judge(competition, factories.UserFactory()),
    )
    ca, cb = as_user(first), as_user(second)
    score(ca, competition, teams[0].id, {C1: 90, C2: 60})  # 72
    score(ca, competition, teams[1].id, {C1: 60, C2: 80})  # 72
    score(ca, competition, teams[2].id, {C1: 50, C2: 50})  # 50
    score(cb, competition, teams[2].id, {C1: 100, C2: 100})  # team 2: mean 75 per criterion
    items = board(ca, competition)["items"]
    assert [(i["team_id"], i["rank"]) for i in items] == [
        (teams[2].id, 1),
        (teams[0].id, 2),
        (teams[1].id, 2),
    ]
    track = teams[0].track  # teams 0 and 2 share track 0
    ranked = board(ca, competition, track=track)["items"]
    assert [(i["team_id"], i["rank"]) for i in ranked] == [(teams[2].id, 1), (teams[0].id, 2)]


def test_normalize_z_corrects_a_generous_judge(as_user, contest):
    competition, _, teams, _ = contest
    fair, generous = (judge(competition, factories.UserFactory()) for _ in range(2))
    cf, cg = as_user(fair), as_user(generous)
    for entry, value in zip(teams, (60, 80, 70), strict=True):
        score(cf, competition, entry.id, {C1: value, C2: value})
    score(cg, competition, teams[0].id, {C1: 95, C2: 95})
    score(cg, competition, teams[2].id, {C1: 100, C2: 100})
    raw = board(cf, competition)
    normalized = board(cf, competition, normalize="z")
    assert [i["team_id"] for i in raw["items"]] == [teams[2].id, teams[1].id, teams[0].id]
    assert [i["team_id"] for i in normalized["items"]] == [teams[1].id, teams[2].id, teams[0].id]
    assert normalized["normalize"] == "z"
    assert len(normalized["items"][0]["score_exact"].split(".")[1]) == 30


def test_after_the_freeze_participants_see_the_board_as_it_was(as_user, contest, client):
    competition, staff, teams, members = contest
    referee = judge(competition, factories.UserFactory())
    cj = as_user(referee)
    score(cj, competition, teams[0].id, {C1: 50, C2: 50})
    competition.scoreboard_freeze_at = utcnow()
    db.session.commit()
    score(cj, competition, teams[0].id, {C1: 100, C2: 100})
    score(cj, competition, teams[1].id, {C1: 90, C2: 90})
    for outsider in (client, as_user(members[0])):
        seen = board(outsider, competition)
        assert seen["frozen"] is True
        assert [(i["team_id"], i["score"]) for i in seen["items"]] == [(teams[0].id, 50.0)]
    for insider in (cj, as_user(staff)):
        live = board(insider, competition)
        assert live["frozen"] is False
        assert [i["score"] for i in live["items"]] == [100.0, 90.0]
    resp = as_user(staff).post(url(competition, "publish-results"))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["results_published_at"]
    public = board(client, competition)
    assert (public["frozen"], public["published"]) == (False, True)
    assert [i["score"] for i in public["items"]] == [100.0, 90.0]
    # Final: no more scores, no second publication; members were told.
    assert_problem(score(cj, competition, teams[2].id, {C1: 1}), 409)
    assert_problem(as_user(staff).post(url(competition, "publish-results")), 409)
    told = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.title.contains(competition.title))
    ).all()
    assert {m.id for m in members} | {staff.id} <= set(told)


def test_judging_waits_for_the_start(as_user):
    competition = CompetitionFactory()  # registration open, not started
    uni = factories.UniversityFactory()
    entry = team(competition, [(student(uni), uni)])
    referee = judge(competition, factories.UserFactory())
    assert_problem(score(as_user(referee), competition, entry.id, {C1: 50}), 409)


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({C1: 101}, "scores"),
        ({C1: -1}, "scores"),
        ({C1: 50.5}, "scores"),
        ({C1: "50"}, "scores"),
        ({"不存在的标准": 50}, "scores"),
        ({}, "scores"),
    ],
)
def test_bad_scores_are_422(as_user, contest, scores, field):
    competition, _, teams, _ = contest
    referee = judge(competition, factories.UserFactory())
    errors = validation_errors(score(as_user(referee), competition, teams[0].id, scores))
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors


def test_a_team_of_another_competition_is_422(as_user, contest):
    competition, _, _, _ = contest
    other = CompetitionFactory(judging=True)
    uni = factories.UniversityFactory()
    foreign = team(other, [(student(uni), uni)])
    referee = judge(competition, factories.UserFactory())
    assert "team_id" in validation_errors(score(as_user(referee), competition, foreign.id, {C1: 5}))


def caller(who: str, client, as_user, contest):
    """(client, expected status) for someone who may not do the thing under test."""
    _, staff, _, members = contest
    if who == "anonymous":
        return client, 401
    user = {
        "member": lambda: members[0],
        "outsider_staff": lambda: factories.member(factories.OrganizationFactory(), "admin"),
        "organizer_staff": lambda: staff,
    }[who]()
    return as_user(user), 403


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider_staff", "organizer_staff"])
def test_only_judges_score(client, as_user, contest, who):
    competition, _, teams, _ = contest
    api, status = caller(who, client, as_user, contest)
    problem = assert_problem(score(api, competition, teams[0].id, {C1: 5}), status)
    assert "scores" not in problem
    if who != "organizer_staff":
        assert_problem(api.get(url(competition, "scores")), status)


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider_staff"])
def test_only_organizers_assign_judges_and_publish(client, as_user, contest, who):
    competition = contest[0]
    api, status = caller(who, client, as_user, contest)
    referee = factories.UserFactory()
    assert_problem(api.post(url(competition, "judges"), json={"user_id": referee.id}), status)
    assert_problem(api.get(url(competition, "judges")), status)
    assert_problem(api.post(url(competition, "publish-results")), status)


def test_judge_assignment_rules(coord, contest):
    competition, _, _, members = contest
    assert_problem(coord.post(url(competition, "judges"), json={"user_id": members[0].id}), 409)
    assert "user_id" in validation_errors(
        coord.post(url(competition, "judges"), json={"user_id": 987654})
    )
    assert "user_id" in validation_errors(
        coord.post(url(competition, "judges"), json={"user_id": "1"})
    )
    referee = factories.UserFactory()
    assert coord.post(url(competition, "judges"), json={"user_id": referee.id}).status_code == 201
    assert_problem(coord.post(url(competition, "judges"), json={"user_id": referee.id}), 409)


def test_bad_leaderboard_arguments(client, contest):
    competition, _, _, _ = contest
    bad = client.get(url(competition, "leaderboard"), query_string={"normalize": "minmax"})
    assert "normalize" in validation_errors(bad)
    bad_track = client.get(url(competition, "leaderboard"), query_string={"track": "无此赛道"})
    assert "track" in validation_errors(bad_track)
    assert_problem(client.get("/api/v1/competitions/987654/leaderboard"), 404)


def test_publishing_waits_for_the_start(as_user):
    organizer = factories.OrganizationFactory()
    competition = CompetitionFactory(organizer=organizer, starts_at=utcnow() + timedelta(days=2))
    staff = factories.member(organizer, "staff")
    assert_problem(as_user(staff).post(url(competition, "publish-results")), 409)
