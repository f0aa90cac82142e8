"""Teams' submissions (kind `competition_entry`): a file or a link within the window, the
latest counting; judges score it; after publication the public sees the entries teams
allowed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cbec_alliance.core.timeutil import iso_z, utcnow
from cbec_alliance.extensions import db
from tests import factories
from tests.competitions.factories import CompetitionFactory, judge, team
from tests.documents.factories import DocumentFactory
from tests.documents.seen import who_sees
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student


def _scene(**kw):
    organizer = factories.OrganizationFactory()
    competition = CompetitionFactory(judging=True, organizer=organizer, **kw)
    university = factories.UniversityFactory()
    members = [student(university), student(university)]
    crew = team(competition, [(u, university) for u in members], name="广外跨境先锋队")
    rival_uni = factories.UniversityFactory()
    rival = team(competition, [(student(rival_uni), rival_uni)], name="对手队")
    referee = judge(competition, factories.UserFactory())
    return competition, crew, members, rival, referee, organizer, university


def _url(competition, *rest):
    return "/".join([f"/api/v1/competitions/{competition.id}", *map(str, rest)])


def _submit(c, competition, team_id, **body):
    return c.post(_url(competition, "submissions"), json={"team_id": team_id, **body})


def test_files_and_links_the_latest_counts(as_user):
    competition, crew, members, rival, referee, _org, _uni = _scene()
    a, b = as_user(members[0]), as_user(members[1])
    doc = DocumentFactory(uploaded_by_id=members[0].id, type="zip", original_name="作品.zip")
    first = _submit(a, competition, crew.id, document_id=doc.id, note="初稿")
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["document"]["name"] == "作品.zip"
    second = _submit(b, competition, crew.id, link="https://example.com/演示", allow_public=True)
    assert second.status_code == 201
    assert second.get_json()["document"] is None
    history = a.get(_url(competition, "teams", crew.id, "submissions")).get_json()
    assert [s["id"] for s in history] == [second.get_json()["id"], first.get_json()["id"]]
    entries = as_user(referee).get(_url(competition, "submissions")).get_json()
    assert [(e["team_name"], e["submission"]["id"]) for e in entries] == [
        ("广外跨境先锋队", second.get_json()["id"])
    ]


def test_judges_score_the_latest(as_user):
    competition, crew, members, _rival, referee, organizer, _uni = _scene()
    a, j = as_user(members[0]), as_user(referee)
    old = _submit(a, competition, crew.id, link="https://example.com/v1").get_json()
    new = _submit(a, competition, crew.id, link="https://example.com/v2").get_json()
    assert_problem(
        j.put(_url(competition, "submissions", old["id"], "score"), json={"score": 80}), 409
    )
    url = _url(competition, "submissions", new["id"], "score")
    resp = j.put(url, json={"score": 80, "comment": "创意突出"})
    assert resp.status_code == 200
    assert resp.get_json()["score"] == 80
    assert j.put(url, json={"score": 90}).get_json()["score"] == 90  # again replaces
    for bad in ({"score": 101}, {"score": -1}, {"score": "90"}, {}):
        assert "score" in validation_errors(j.put(url, json=bad))
    boss = as_user(factories.member(organizer))
    [entry] = boss.get(_url(competition, "submissions")).get_json()
    assert [(s["judge_id"], s["score"]) for s in entry["scores"]] == [(referee.id, 90)]
    assert_problem(boss.put(url, json={"score": 50}), 403)  # organizers do not score
    assert_problem(a.put(url, json={"score": 100}), 404)  # nor do teams
    assert boss.post(_url(competition, "publish-results")).status_code == 200
    assert_problem(j.put(url, json={"score": 10}), 409)


def test_outside_the_window_409(as_user):
    now = utcnow()
    competition, crew, members, *_ = _scene(
        submission_opens_at=now + timedelta(hours=1), submission_closes_at=now + timedelta(days=1)
    )
    resp = _submit(as_user(members[0]), competition, crew.id, link="https://example.com")
    assert iso_z(competition.submission_opens_at) in assert_problem(resp, 409)["detail"]
    closed, crew2, members2, *_ = _scene(submission_closes_at=now - timedelta(minutes=1))
    assert_problem(_submit(as_user(members2[0]), closed, crew2.id, link="https://example.com"), 409)


def test_the_organizer_sets_the_window(as_user):
    competition, _crew, members, _rival, _referee, organizer, _uni = _scene()
    url = _url(competition, "submission-window")
    opens, closes = utcnow() + timedelta(days=1), utcnow() + timedelta(days=2)
    body = {"submission_opens_at": iso_z(opens), "submission_closes_at": iso_z(closes)}
    assert_problem(as_user(members[0]).put(url, json=body), 403)
    resp = as_user(factories.member(organizer)).put(url, json=body)
    assert resp.status_code == 200
    assert resp.get_json()["submission_opens_at"] is not None
    backwards = {"submission_opens_at": iso_z(closes), "submission_closes_at": iso_z(opens)}
    resp = as_user(factories.member(organizer)).put(url, json=backwards)
    assert "submission_closes_at" in validation_errors(resp)
    # Closing before the competition starts (the window's default opening): 422 too.
    early = {"submission_closes_at": iso_z(competition.starts_at - timedelta(days=1))}
    resp = as_user(factories.member(organizer)).put(url, json=early)
    assert "submission_closes_at" in validation_errors(resp)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "document_id"),  # neither file nor link
        ({"link": "ftp://example.com/x"}, "link"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "https://example.com", "document_id": "DOC"}, "document_id"),
    ],
)
def test_bad_submissions_name_the_field(as_user, body, field):
    competition, crew, members, *_ = _scene()
    c = as_user(members[0])
    if body.get("document_id") == "DOC":
        body = {**body, "document_id": DocumentFactory(uploaded_by_id=members[0].id).id}
    assert field in validation_errors(_submit(c, competition, crew.id, **body))


def test_only_members_submit_their_own_files(as_user):
    competition, crew, members, rival, *_ = _scene()
    outsider = student()
    resp = _submit(as_user(outsider), competition, crew.id, link="https://example.com")
    assert "team_id" in validation_errors(resp)
    resp = _submit(as_user(members[0]), competition, rival.id, link="https://example.com")
    assert "team_id" in validation_errors(resp)
    teammates = DocumentFactory(uploaded_by_id=members[1].id)
    resp = _submit(as_user(members[0]), competition, crew.id, document_id=teammates.id)
    assert "document_id" in validation_errors(resp)
    assert (
        as_user(members[0]).get(_url(competition, "teams", crew.id, "submissions")).get_json() == []
    )


def test_strangers_see_nothing_before_publication(as_user, client):
    competition, crew, members, rival, _referee, _org, university = _scene()
    _submit(
        as_user(members[0]),
        competition,
        crew.id,
        link="https://example.com/秘密",
        allow_public=True,
    )
    rival_member = as_user(db.session.get(type(members[0]), rival.members[0].user_id))
    for c in (rival_member, as_user(student(university)), as_user(factories.UserFactory())):
        assert "秘密" not in str(assert_problem(c.get(_url(competition, "submissions")), 404))
        resp = c.get(_url(competition, "teams", crew.id, "submissions"))
        assert "秘密" not in str(assert_problem(resp, 404))
    assert client.get(_url(competition, "entries")).get_json() == []


def test_the_public_sees_allowed_entries_after_publication(app, as_user, client):
    competition, crew, members, rival, referee, organizer, _uni = _scene()
    doc = DocumentFactory(uploaded_by_id=members[0].id)
    _submit(as_user(members[0]), competition, crew.id, document_id=doc.id, allow_public=True)
    hidden = DocumentFactory(uploaded_by_id=rival.members[0].user_id)
    rival_user = db.session.get(type(members[0]), rival.members[0].user_id)
    _submit(as_user(rival_user), competition, rival.id, document_id=hidden.id)
    assert who_sees(app, doc.id, {"public": None}) == {"public": False}
    assert (
        as_user(factories.member(organizer)).post(_url(competition, "publish-results")).status_code
        == 200
    )
    entries = client.get(_url(competition, "entries")).get_json()
    assert [e["team_name"] for e in entries] == ["广外跨境先锋队"]
    anyone = {"public": None, "student": student()}
    assert who_sees(app, doc.id, anyone) == {"public": True, "student": True}
    assert who_sees(app, hidden.id, anyone) == {"public": False, "student": False}


def test_who_sees_an_entry(app, as_user):
    competition, crew, members, rival, referee, organizer, university = _scene()
    doc = DocumentFactory(uploaded_by_id=members[0].id)
    resp = _submit(as_user(members[0]), competition, crew.id, document_id=doc.id)
    assert resp.get_json()["document"]["id"] == doc.id
    sees = {
        "teammate": members[1],
        "judge": referee,
        "organizer": factories.member(organizer),
        "coordinator": factories.CoordinatorFactory(),
    }
    others = {
        "stranger student": student(),
        "same university student": student(university),
        "rival team": db.session.get(type(members[0]), rival.members[0].user_id),
        "other enterprise": factories.member(factories.OrganizationFactory()),
        "other university": factories.member(factories.UniversityFactory()),
    }
    assert who_sees(app, doc.id, sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc.id, others) == dict.fromkeys(others, False)
