"""Every catalogue event that concerns an organization reaches its webhooks, signed, in the
documented envelope with the documented payload; one domain per test, through the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from pathlib import Path

import pytest

from cbec_alliance.core.db import commit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.notifications import catalogue, docs, outbox
from cbec_alliance.notifications.catalogue import EventSpec, spec_for
from tests import factories
from tests.competitions.factories import CompetitionFactory
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.matching.conftest import scene  # noqa: F401 - the match round fixture
from tests.students.factories import student

SECRET = "webhook-events-signing-secret-2026"
ENVELOPE = {"id", "type", "occurred_at", "organization_id", "data", "event_id", "created_at"}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def subscribe(as_user, org, receiver, *events: str) -> None:
    """A new admin of `org` registers a webhook to the receiver for `events`."""
    admin = as_user(factories.member(org, "admin"))
    resp = admin.post(
        f"/api/v1/organizations/{org.id}/webhooks",
        json={"url": receiver.url, "events": list(events), "secret": SECRET},
    )
    assert resp.status_code == 201, resp.get_json()


def deliveries(receiver, event_type: str) -> dict[int, dict]:
    """The receiver's deliveries of `event_type` by receiving organization, each checked:
    signed, the envelope complete, `data` exactly the documented fields."""
    out: dict[int, dict] = {}
    for headers, raw in receiver.requests:
        body = json.loads(raw)
        if body["type"] != event_type:
            continue
        expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        assert headers["X-Alliance-Signature"] == expected
        assert headers["X-Alliance-Delivery"] == body["id"]
        assert headers["X-Alliance-Event"] == event_type
        assert set(body) == ENVELOPE
        assert body["occurred_at"] == body["created_at"]
        assert set(body["data"]) == set(spec_for(event_type).payload), event_type
        assert body["organization_id"] not in out, "one delivery per organization"
        out[body["organization_id"]] = body
    return out


# --- applications and internships --------------------------------------------------------


def test_application_steps_reach_the_enterprise_and_the_university(as_user, receiver):
    enterprise, university = factories.OrganizationFactory(), factories.UniversityFactory()
    posting = InternshipFactory(enterprise_id=enterprise.id)
    strangers = [factories.OrganizationFactory(), factories.UniversityFactory()]
    for org in (enterprise, university, *strangers):
        subscribe(as_user, org, receiver, "application.submitted", "application.shortlisted")
    applicant = student(university)
    resp = as_user(applicant).post(
        f"/api/v1/internships/{posting.id}/applications", json={"cover_letter": "您好"}
    )
    assert resp.status_code == 201, resp.get_json()
    application_id = resp.get_json()["id"]
    submitted = deliveries(receiver, "application.submitted")
    assert set(submitted) == {enterprise.id, university.id}
    data = submitted[enterprise.id]["data"]
    assert (data["application_id"], data["internship_id"]) == (application_id, posting.id)
    assert (data["student_id"], data["university_id"]) == (applicant.id, university.id)
    assert (data["status"], data["title"]) == ("submitted", posting.title)
    assert submitted[university.id]["data"] == data
    assert submitted[university.id]["id"] != submitted[enterprise.id]["id"]
    assert submitted[university.id]["event_id"] == submitted[enterprise.id]["event_id"]
    # The enterprise acts: the event carries no organization, its webhook still hears it.
    staff = as_user(factories.member(enterprise, "staff"))
    resp = staff.post(f"/api/v1/applications/{application_id}/shortlist", json={})
    assert resp.status_code == 200, resp.get_json()
    shortlisted = deliveries(receiver, "application.shortlisted")
    assert set(shortlisted) == {enterprise.id, university.id}
    assert shortlisted[enterprise.id]["data"]["status"] == "shortlisted"


def test_internship_events_reach_only_the_posting_enterprise(as_user, coord, receiver):
    enterprise, other = factories.OrganizationFactory(), factories.OrganizationFactory()
    for org in (enterprise, other):
        subscribe(as_user, org, receiver, "internship.published", "internship.taken_down")
    posting = InternshipFactory(enterprise_id=enterprise.id, status="draft", published_at=None)
    staff = as_user(factories.member(enterprise, "staff"))
    assert staff.post(f"/api/v1/internships/{posting.id}/publish").status_code == 200
    published = deliveries(receiver, "internship.published")
    assert set(published) == {enterprise.id}
    assert published[enterprise.id]["data"]["internship_id"] == posting.id
    assert published[enterprise.id]["data"]["competencies"] == ["platform-operation"]
    resp = coord.post(f"/api/v1/internships/{posting.id}/take-down", json={"reason": "虚假招聘"})
    assert resp.status_code == 200, resp.get_json()
    down = deliveries(receiver, "internship.taken_down")
    assert set(down) == {enterprise.id}
    assert down[enterprise.id]["data"]["reason"] == "虚假招聘"


# --- courses, training bases, competitions, events ------------------------------------


def test_course_events_reach_the_university_and_its_partner(as_user, receiver):
    university, partner = factories.UniversityFactory(), factories.OrganizationFactory()
    stranger = factories.OrganizationFactory()
    for org in (university, partner, stranger):
        subscribe(as_user, org, receiver, "course.confirmation_requested", "course.confirmed")
    staff = as_user(factories.member(university, "staff"))
    resp = staff.post(
        "/api/v1/courses",
        json={
            "university_id": university.id,
            "code": "CBEC-301",
            "title": "跨境电商数据分析",
            "credits": 2.5,
            "hours": 40,
            "semester": "2027-spring",
            "language": "zh",
            "competencies": ["data-analysis"],
            "partner_enterprise_ids": [partner.id],
            "capacity": 30,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    course_id = resp.get_json()["id"]
    assert staff.post(f"/api/v1/courses/{course_id}/propose").status_code == 200
    asked = deliveries(receiver, "course.confirmation_requested")
    assert set(asked) == {university.id, partner.id}
    assert asked[partner.id]["data"]["course_id"] == course_id
    assert asked[partner.id]["data"]["university_name"] == university.name
    partner_staff = as_user(factories.member(partner, "staff"))
    resp = partner_staff.post(f"/api/v1/courses/{course_id}/partners/{partner.id}/confirm")
    assert resp.status_code == 200, resp.get_json()
    confirmed = deliveries(receiver, "course.confirmed")
    assert set(confirmed) == {university.id, partner.id}
    assert confirmed[university.id]["data"]["enterprise_id"] == partner.id


def test_training_base_events_reach_the_host_and_its_universities(as_user, coord, receiver):
    host, university = factories.OrganizationFactory(), factories.UniversityFactory()
    stranger = factories.UniversityFactory()
    for org in (host, university, stranger):
        subscribe(as_user, org, receiver, "training_base.applied", "training_base.approved")
    resp = as_user(factories.member(host, "staff")).post(
        "/api/v1/training-bases",
        json={
            "name": "天河跨境电商产教融合实践基地",
            "host_enterprise_id": host.id,
            "university_ids": [university.id],
            "district": "tianhe",
            "capacity": 30,
            "competencies": ["platform-operation"],
        },
    )
    assert resp.status_code == 201, resp.get_json()
    base_id = resp.get_json()["id"]
    assert set(deliveries(receiver, "training_base.applied")) == {host.id, university.id}
    resp = coord.post(f"/api/v1/training-bases/{base_id}/approve", json={"level": "provincial"})
    assert resp.status_code == 200, resp.get_json()
    approved = deliveries(receiver, "training_base.approved")
    assert set(approved) == {host.id, university.id}
    data = approved[university.id]["data"]
    assert (data["base_id"], data["level"], data["university_ids"]) == (
        base_id,
        "provincial",
        [university.id],
    )


def test_a_team_registration_reaches_organizers_universities_and_mentor(as_user, receiver):
    organizer = factories.OrganizationFactory(kind="association", uscc=None)
    competition = CompetitionFactory(organizer=organizer)
    mentor, university = factories.OrganizationFactory(), factories.UniversityFactory()
    stranger = factories.UniversityFactory()
    for org in (organizer, mentor, university, stranger):
        subscribe(as_user, org, receiver, "competition.team_registered")
    first = student(university)
    resp = as_user(first).post(
        f"/api/v1/competitions/{competition.id}/teams",
        json={
            "name": "星火队 Spark",
            "track": "跨境直播 live commerce",
            "member_ids": [first.id],
            "advisor_name": "李老师",
            "mentor_enterprise_id": mentor.id,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    got = deliveries(receiver, "competition.team_registered")
    assert set(got) == {organizer.id, mentor.id, university.id}
    data = got[organizer.id]["data"]
    assert (data["competition_id"], data["team_id"], data["team_name"]) == (
        competition.id,
        resp.get_json()["id"],
        "星火队 Spark",
    )


def test_seats_and_cancellation_reach_the_host_and_the_venue(as_user, receiver):
    host, venue = factories.OrganizationFactory(), factories.UniversityFactory()
    home = factories.UniversityFactory()  # the student's own university: not concerned
    seat_events = ("event.registered", "event.unregistered", "event.cancelled")
    for org in (host, venue, home):
        subscribe(as_user, org, receiver, *seat_events)
    staff = as_user(factories.member(host, "staff"))
    start = utcnow() + dt.timedelta(days=3)
    resp = staff.post(
        "/api/v1/events",
        json={
            "kind": "job_fair",
            "host_organization_id": host.id,
            "university_id": venue.id,
            "title": "跨境电商春季招聘会",
            "location": "广州大学城 B201",
            "starts_at": start.isoformat(),
            "capacity": 50,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    event_id = resp.get_json()["id"]
    person = student(home)
    c = as_user(person)
    resp = c.post(f"/api/v1/events/{event_id}/registrations")
    assert resp.status_code == 201, resp.get_json()
    registered = deliveries(receiver, "event.registered")
    assert set(registered) == {host.id, venue.id}
    data = registered[host.id]["data"]
    assert (data["event_id"], data["user_id"], data["registrant_university_id"]) == (
        event_id,
        person.id,
        home.id,
    )
    assert data["registration_id"] == resp.get_json()["id"]
    assert c.delete(f"/api/v1/events/{event_id}/registrations/mine").status_code == 204
    assert set(deliveries(receiver, "event.unregistered")) == {host.id, venue.id}
    resp = staff.post(f"/api/v1/events/{event_id}/cancel", json={"reason": "台风 typhoon"})
    assert resp.status_code == 200, resp.get_json()
    cancelled = deliveries(receiver, "event.cancelled")
    assert set(cancelled) == {host.id, venue.id}
    assert cancelled[venue.id]["data"]["reason"] == "台风 typhoon"


# --- match rounds, partnerships, surveys ----------------------------------------------


def test_match_round_results_reach_each_enterprise_with_its_share(scene, as_user, receiver):  # noqa: F811
    for org in (scene.ent1, scene.ent2):
        subscribe(as_user, org, receiver, "match_round.opened", "match_round.enterprise_results")
    r = scene.round()
    opened = deliveries(receiver, "match_round.opened")
    assert set(opened) == {scene.ent1.id, scene.ent2.id}
    assert opened[scene.ent1.id]["data"]["round_id"] == r["id"]
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.c)
    assert scene.close_and_run(r["id"])["status"] == "done"
    scene.publish(r["id"])
    results = deliveries(receiver, "match_round.enterprise_results")
    assert set(results) == {scene.ent1.id, scene.ent2.id}
    mine, theirs = results[scene.ent1.id]["data"], results[scene.ent2.id]["data"]
    assert (mine["slots"], mine["assigned"], mine["unfilled"]) == (3, 1, 2)
    assert (theirs["slots"], theirs["assigned"], theirs["unfilled"]) == (1, 1, 0)


def test_partnership_steps_reach_both_sides(as_user, receiver):
    enterprise, university = factories.OrganizationFactory(), factories.UniversityFactory()
    stranger = factories.UniversityFactory()
    for org in (enterprise, university, stranger):
        subscribe(as_user, org, receiver, "partnership.proposed", "partnership.active")
    resp = as_user(factories.member(enterprise, "staff")).post(
        "/api/v1/partnerships",
        json={
            "enterprise_id": enterprise.id,
            "university_id": university.id,
            "modes": ["internship-employment"],
            "starts_on": dt.date.today().isoformat(),
        },
    )
    assert resp.status_code == 201, resp.get_json()
    partnership_id = resp.get_json()["id"]
    proposed = deliveries(receiver, "partnership.proposed")
    assert set(proposed) == {enterprise.id, university.id}
    data = proposed[university.id]["data"]
    assert (data["partnership_id"], data["enterprise_id"], data["university_id"]) == (
        partnership_id,
        enterprise.id,
        university.id,
    )
    university_admin = as_user(factories.member(university, "admin"))
    resp = university_admin.post(f"/api/v1/partnerships/{partnership_id}/accept", json={})
    assert resp.status_code == 200, resp.get_json()
    active = deliveries(receiver, "partnership.active")
    assert set(active) == {enterprise.id, university.id}
    assert active[enterprise.id]["data"]["status"] == "active"


def test_an_opened_survey_reaches_approved_enterprises_only(as_user, coord, receiver):
    approved = factories.OrganizationFactory()
    pending = factories.OrganizationFactory(status="pending")
    for org in (approved, pending):
        subscribe(as_user, org, receiver, "survey.opened")
    resp = coord.post(
        "/api/v1/surveys",
        json={
            "title": "2026 跨境电商人才需求调查",
            "year": 2026,
            "template": "talent-demand",
            "distributed": 170,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    survey_id = resp.get_json()["id"]
    assert coord.post(f"/api/v1/surveys/{survey_id}/open", json={}).status_code == 200
    got = deliveries(receiver, "survey.opened")
    assert set(got) == {approved.id}
    assert got[approved.id]["data"] == {
        "survey_id": survey_id,
        "title": "2026 跨境电商人才需求调查",
        "year": 2026,
    }


# --- the rules: what may be subscribed, new event types, the documentation ---------------


@pytest.mark.parametrize(
    ("kind", "event_type", "says"),
    [
        ("university", "internship.taken_down", "only reaches enterprise"),
        ("government", "application.submitted", "only reaches enterprise and university"),
        ("enterprise", "match_round.published", "people only"),
        ("association", "approval.overdue", "people only"),
    ],
)
def test_an_event_that_can_never_arrive_is_refused(as_user, receiver, kind, event_type, says):
    org = factories.OrganizationFactory(kind=kind, uscc=None)
    admin = as_user(factories.member(org, "admin"))
    url = f"/api/v1/organizations/{org.id}/webhooks"
    body = {"url": receiver.url, "events": ["organization.approved", event_type]}
    errors = validation_errors(admin.post(url, json=body))
    assert says in errors["events"][0]
    assert event_type in errors["events"][0]
    assert admin.get(url).get_json()["total"] == 0


def test_a_new_event_type_reaches_webhooks_with_no_code_of_its_own(
    ctx, as_user, receiver, monkeypatch
):
    # A later domain registers a spec that says nothing about webhooks.
    spec = EventSpec(
        type="later.thing_happened",
        description="Something in a later domain",
        recipients=lambda event, batch: iter(()),
        title={"zh": "{name}", "en": "{name}"},
        body={"zh": "{name}", "en": "{name}"},
        payload={"name": ("string", "its name"), "university_id": ("integer", "a party")},
    )
    monkeypatch.setitem(catalogue.SPECS, spec.type, spec)
    enterprise, university = factories.OrganizationFactory(), factories.UniversityFactory()
    for org in (enterprise, university, factories.OrganizationFactory()):
        subscribe(as_user, org, receiver, spec.type)
    outbox.emit(
        spec.type,
        {"name": "新事物", "university_id": university.id},
        organization_id=enterprise.id,
    )
    commit()
    got = deliveries(receiver, spec.type)
    assert set(got) == {enterprise.id, university.id}
    assert got[university.id]["data"] == {"name": "新事物", "university_id": university.id}


def test_an_undocumented_payload_field_is_logged(ctx, caplog, monkeypatch):
    spec = EventSpec(
        type="later.grew_a_field",
        description="A payload that grew a field nobody documented",
        recipients=lambda event, batch: iter(()),
        title={"zh": "{name}", "en": "{name}"},
        body={"zh": "{name}", "en": "{name}"},
        payload={"name": ("string", "its name")},
    )
    monkeypatch.setitem(catalogue.SPECS, spec.type, spec)
    org = factories.OrganizationFactory()
    with caplog.at_level(logging.WARNING, logger="cbec_alliance.notifications.delivery"):
        outbox.emit(spec.type, {"name": "旧", "colour": "red"}, organization_id=org.id)
        outbox.emit(spec.type, {"name": "新"}, organization_id=org.id)
        commit()
    warned = [r.getMessage() for r in caplog.records if "does not document" in r.getMessage()]
    assert warned == [
        f"event {spec.type} carries payload fields its EventSpec does not document: colour"
    ]


def test_the_catalogue_lists_what_each_kind_may_subscribe_to(as_user, client):
    c = as_user(factories.member(factories.UniversityFactory(), "staff"))
    assert_problem(client.get("/api/v1/webhooks/events"), 401)
    everything = c.get("/api/v1/webhooks/events?per_page=100").get_json()
    types = {item["type"] for item in everything["items"]}
    assert everything["total"] == len(types) == len(catalogue.webhook_specs())
    assert {"internship.taken_down", "survey.opened", "application.submitted"} <= types
    assert "approval.overdue" not in types  # for coordinators only
    got = c.get("/api/v1/webhooks/events?kind=university&per_page=100").get_json()
    by_type = {item["type"]: item for item in got["items"]}
    assert "internship.taken_down" not in by_type
    submitted = by_type["application.submitted"]
    assert submitted["organization_kinds"] == ["enterprise", "university"]
    assert "university" in submitted["organizations"]
    fields = {f["name"]: f["type"] for f in submitted["payload"]}
    assert fields["application_id"] == "integer"
    assert set(fields) == set(spec_for("application.submitted").payload)
    page = c.get("/api/v1/webhooks/events?kind=university&per_page=2&page=2").get_json()
    assert [i["type"] for i in page["items"]] == [i["type"] for i in got["items"][2:4]]
    assert page["total"] == got["total"]
    assert "kind" in validation_errors(c.get("/api/v1/webhooks/events?kind=school"))


def test_every_event_type_documents_its_payload(app):
    for type_, spec in catalogue.SPECS.items():
        assert spec.payload, f"{type_}: document its payload (EventSpec(payload=...))"
        assert set(spec.webhook_kinds) <= set(catalogue.ORG_KINDS), type_
        assert not set(spec.payload) & catalogue.SECRET_FIELDS, type_
        for name, (json_type, meaning) in spec.payload.items():
            assert json_type, f"{type_}.{name}"
            assert meaning, f"{type_}.{name}"


def test_the_documented_examples_match_the_catalogue(app):
    body = docs.BODY_EXAMPLE
    assert set(body) == ENVELOPE == set(docs.ENVELOPE_FIELDS)
    assert set(body["data"]) == set(spec_for(body["type"]).payload)
    for item in docs.EVENTS_EXAMPLE["items"]:
        documented = spec_for(item["type"]).payload
        assert {f["name"] for f in item["payload"]} <= set(documented)


def test_docs_webhooks_md_is_current(app):
    assert DOCS.read_text(encoding="utf-8") == docs.markdown(), (
        "docs/webhooks.md is stale: python -m cbec_alliance.notifications.docs > docs/webhooks.md"
    )


def test_the_openapi_spec_documents_the_envelope_and_the_catalogue(client):
    spec = client.get("/api/openapi.json").get_json()
    tag = next(t for t in spec["tags"] if t["name"] == "notifications")
    assert "`occurred_at`" in tag["description"]
    assert "X-Alliance-Signature" in tag["description"]
    operation = spec["paths"]["/api/v1/webhooks/events"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["example"]["items"]
    create = spec["paths"]["/api/v1/organizations/{org_id}/webhooks"]["post"]["responses"]
    example = create["422"]["content"]["application/problem+json"]["example"]
    assert "only reaches enterprise webhooks" in example["errors"]["events"][0]
