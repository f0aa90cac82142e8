"""POST /events without `ends_at`: the event ends two hours after its start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cbec_alliance.core.timeutil import utcnow
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/events"


def body(host_id: int, **overrides) -> dict:
    """An event without an end."""
    data = {
        "kind": "workshop",
        "host_organization_id": host_id,
        "title": "亚马逊广告投放工作坊 Amazon ads workshop",
        "starts_at": "2030-05-08T06:30:00Z",
        "capacity": 30,
    }
    data.update(overrides)
    return data


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture
def host(as_user):
    """An enterprise and its staff client."""
    org = factories.OrganizationFactory()
    return org, as_user(factories.member(org, "staff"))


def test_without_ends_at_the_event_lasts_two_hours(host):
    org, staff = host
    resp = staff.post(URL, json=body(org.id))
    assert resp.status_code == 201, resp.get_json()
    created = resp.get_json()
    assert (created["starts_at"], created["ends_at"]) == (
        "2030-05-08T06:30:00Z",
        "2030-05-08T08:30:00Z",
    )
    assert staff.get(f"{URL}/{created['id']}").get_json()["ends_at"] == "2030-05-08T08:30:00Z"


def test_a_start_given_with_an_offset_ends_two_hours_later_in_utc(host):
    org, staff = host
    resp = staff.post(URL, json=body(org.id, starts_at="2030-05-08T14:30:00+08:00"))
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["ends_at"] == "2030-05-08T08:30:00Z"


def test_a_given_end_is_kept(host):
    org, staff = host
    start = (utcnow() + timedelta(days=5)).replace(microsecond=0)
    end = start + timedelta(hours=6, minutes=15)
    resp = staff.post(URL, json=body(org.id, starts_at=start.isoformat(), ends_at=end.isoformat()))
    assert resp.status_code == 201, resp.get_json()
    assert parse(resp.get_json()["ends_at"]) == end.astimezone(UTC)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2030-05-08T06:00:00Z"}, "ends_at"),  # before the start
        ({"ends_at": None}, "ends_at"),
        ({"ends_at": "两小时后"}, "ends_at"),
        ({"starts_at": "明天"}, "starts_at"),
        ({"starts_at": "2001-01-01T00:00:00Z"}, "starts_at"),
    ],
)
def test_bad_times_are_422_naming_the_field(host, overrides, field):
    org, staff = host
    errors = validation_errors(staff.post(URL, json=body(org.id, **overrides)))
    assert field in errors, errors


def test_without_a_start_only_the_start_is_missing(host):
    org, staff = host
    data = body(org.id)
    del data["starts_at"]
    errors = validation_errors(staff.post(URL, json=data))
    assert "starts_at" in errors
    assert "ends_at" not in errors


def test_only_the_hosts_staff_create_its_events(host, as_user, client):
    org, _staff = host
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    assert_problem(outsider.post(URL, json=body(org.id)), 403)
    assert_problem(client.post(URL, json=body(org.id)), 401)
    listed = client.get(URL, query_string={"host_organization_id": org.id}).get_json()
    assert listed["total"] == 0


def test_the_default_is_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    create = spec["paths"]["/api/v1/events"]["post"]
    assert "two hours after `starts_at`" in create["description"]
    example = create["requestBody"]["content"]["application/json"]["example"]
    assert "ends_at" not in example
    created = create["responses"]["201"]["content"]["application/json"]["example"]
    assert created["ends_at"] == "2027-03-10T08:00:00Z"
    schema = spec["components"]["schemas"]["EventCreate"]
    assert "two hours" in schema["properties"]["ends_at"]["description"]
    assert "ends_at" not in schema.get("required", [])
