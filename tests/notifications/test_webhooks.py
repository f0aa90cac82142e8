"""Organization webhooks: signed, retried with backoff, every attempt logged, no SSRF."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import uuid

import pytest

from cbec_alliance.notifications import webhooks
from tests import factories

SECRET = "s3cret-signing-key-0123456789"


@pytest.fixture
def org_admin(as_user):
    org = factories.OrganizationFactory(status="pending")
    admin = factories.member(org, "admin")
    return org, as_user(admin)


def _create(c, org, url, events=("organization.approved",), **kw):
    return c.post(
        f"/api/v1/organizations/{org.id}/webhooks",
        json={"url": url, "events": list(events), **kw},
    )


def test_secret_shown_once(org_admin, receiver):
    org, c = org_admin
    resp = _create(c, org, receiver.url, secret=SECRET)
    assert resp.status_code == 201
    assert resp.get_json()["secret"] == SECRET
    listed = c.get(f"/api/v1/organizations/{org.id}/webhooks").get_json()
    assert listed["total"] == 1
    assert "secret" not in listed["items"][0]
    generated = _create(c, org, receiver.url).get_json()["secret"]
    assert len(generated) >= 32


def test_delivery_is_signed_and_unique(org_admin, receiver, coordinator_client):
    org, c = org_admin
    hook = _create(c, org, receiver.url, secret=SECRET).get_json()
    assert (
        coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={}).status_code
        == 200
    )
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Alliance-Signature"] == expected
    uuid.UUID(headers["X-Alliance-Delivery"])
    payload = json.loads(body)
    assert payload["type"] == "organization.approved"
    assert payload["data"]["organization_id"] == org.id
    log = c.get(f"/api/v1/organizations/{org.id}/webhooks/{hook['id']}/deliveries").get_json()
    assert log["items"][0]["status"] == "sent"
    assert log["items"][0]["delivery_id"] == headers["X-Alliance-Delivery"]
    assert log["items"][0]["attempt_log"][0]["status_code"] == 200


def test_only_subscribed_events_are_sent(org_admin, receiver, coordinator_client):
    org, c = org_admin
    _create(c, org, receiver.url, events=["organization.suspended"])
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    assert receiver.requests == []
    coordinator_client.post(f"/api/v1/organizations/{org.id}/suspend", json={})
    assert len(receiver.requests) == 1


def test_failures_are_retried_and_logged(org_admin, receiver, coordinator_client):
    org, c = org_admin
    hook = _create(c, org, receiver.url, secret=SECRET).get_json()
    receiver.statuses = [500, 503]
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    assert len(receiver.requests) == 3
    # Every retry carries the same delivery id, so the receiver can deduplicate.
    assert len({h["X-Alliance-Delivery"] for h, _ in receiver.requests}) == 1
    item = c.get(f"/api/v1/organizations/{org.id}/webhooks/{hook['id']}/deliveries").get_json()[
        "items"
    ][0]
    assert item["status"] == "sent"
    assert [a["status_code"] for a in item["attempt_log"]] == [500, 503, 200]
    assert [a["ok"] for a in item["attempt_log"]] == [False, False, True]


def test_exhausted_retries_stay_failed_and_visible(app, org_admin, receiver, coordinator_client):
    org, c = org_admin
    hook = _create(c, org, receiver.url).get_json()
    attempts = app.config["NOTIFY_MAX_ATTEMPTS"]
    receiver.statuses = [500] * (attempts + 5)
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    assert len(receiver.requests) == attempts
    item = c.get(f"/api/v1/organizations/{org.id}/webhooks/{hook['id']}/deliveries").get_json()[
        "items"
    ][0]
    assert item["status"] == "failed"
    assert item["attempts"] == attempts
    assert item["last_error"] == "HTTP 500"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.1/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/hook",
    ],
)
def test_production_refuses_internal_targets(app, org_admin, monkeypatch, url):
    org, c = org_admin
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_LOOPBACK", False)
    resp = _create(c, org, url)
    assert resp.status_code == 422
    assert "url" in resp.get_json()["errors"]


def test_development_allows_loopback_but_not_private(org_admin, receiver):
    org, c = org_admin
    assert _create(c, org, receiver.url).status_code == 201
    resp = _create(c, org, "http://10.0.0.5/hook")
    assert resp.status_code == 422


def test_webhook_bad_input(org_admin, receiver):
    org, c = org_admin
    cases = [
        ({"url": "ftp://example.cn/x", "events": ["organization.approved"]}, "url"),
        ({"url": "not a url", "events": ["organization.approved"]}, "url"),
        ({"url": receiver.url, "events": []}, "events"),
        ({"url": receiver.url, "events": ["no.such.event"]}, "events"),
        ({"url": receiver.url, "events": ["organization.approved"], "secret": "short"}, "secret"),
        ({"url": "http://unresolvable.invalid/x", "events": ["organization.approved"]}, "url"),
    ]
    for payload, field in cases:
        resp = c.post(f"/api/v1/organizations/{org.id}/webhooks", json=payload)
        assert resp.status_code == 422, payload
        assert field in resp.get_json()["errors"], resp.get_json()


def test_webhook_authorization(org_admin, receiver, as_user, client):
    org, c = org_admin
    hook = _create(c, org, receiver.url).get_json()
    staff = as_user(factories.member(org, "staff"))
    other_admin = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    base = f"/api/v1/organizations/{org.id}/webhooks"
    for who in (staff, other_admin):
        assert who.get(base).status_code in (403, 404)
        assert who.get(f"{base}/{hook['id']}/deliveries").status_code in (403, 404)
        assert who.delete(f"{base}/{hook['id']}").status_code in (403, 404)
        resp = _create(who, org, receiver.url)
        assert resp.status_code in (403, 404)
        assert "secret" not in resp.get_json()
    assert client.get(base).status_code == 401
    assert c.get(base).get_json()["total"] == 1


def test_delete_stops_deliveries(org_admin, receiver, coordinator_client):
    org, c = org_admin
    hook = _create(c, org, receiver.url).get_json()
    assert c.delete(f"/api/v1/organizations/{org.id}/webhooks/{hook['id']}").status_code == 204
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    assert receiver.requests == []
    assert c.delete(f"/api/v1/organizations/{org.id}/webhooks/{hook['id']}").status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "2002:a00:1::1",  # 6to4 around 10.0.0.1
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 around 169.254.169.254 (cloud metadata)
        "2002:c0a8:101::1",  # 6to4 around 192.168.1.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::808:808",  # NAT64, even of a public address
        "64:ff9b:1::a00:1",  # NAT64 local-use prefix
        "::ffff:a00:1",  # IPv4-mapped 10.0.0.1 (URLs take no dotted form)
        "::ffff:808:808",  # IPv4-mapped, even a public one
        "::ffff:7f00:1",
        "::a00:1",  # IPv4-compatible
        "::808:808",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "fec0::1",  # site-local
        "fe80::1",
        "fc00::1",
        "::",
        "ff02::1",
    ],
)
def test_ipv6_forms_of_internal_targets_are_refused(app, org_admin, monkeypatch, address):
    org, c = org_admin
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_LOOPBACK", False)
    resp = _create(c, org, f"http://[{address}]/hook")
    assert resp.status_code == 422
    assert "non-public address" in resp.get_json()["errors"]["url"][0]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("2002:808:808::1", True),  # 6to4 around a public address
        ("2002:a00:1::1", False),
        ("2002:6440:1::1", False),  # 6to4 around 100.64.0.1 (shared address space)
        ("64:ff9b::808:808", False),
        ("::ffff:8.8.8.8", False),
        ("::8.8.8.8", False),
        ("2001::1", False),  # Teredo
        ("2001:db8::1", False),
        ("fec0::1", False),
        ("10.0.0.1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, not a bind
        ("224.0.0.1", False),
    ],
)
def test_address_rule(address, allowed):
    assert webhooks._address_allowed(ipaddress.ip_address(address), False) is allowed


def test_loopback_only_where_allowed():
    for address in ("127.0.0.1", "::1"):
        assert webhooks._address_allowed(ipaddress.ip_address(address), True)
        assert not webhooks._address_allowed(ipaddress.ip_address(address), False)
    # An embedded loopback is never "loopback", even in development.
    assert not webhooks._address_allowed(ipaddress.ip_address("2002:7f00:1::1"), True)
    assert not webhooks._address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"), True)


def test_a_name_that_moves_to_an_internal_address_is_refused_at_send_time(
    app, org_admin, coordinator_client, monkeypatch
):
    org, c = org_admin
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_LOOPBACK", False)
    real = socket.getaddrinfo
    resolves_to = {"hooks.example.cn": "2606:4700:4700::1111"}

    def fake(host, *args, **kwargs):
        if host in resolves_to:
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (resolves_to[host], 80, 0, 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake)
    sent = []
    monkeypatch.setattr(webhooks.requests, "post", lambda *a, **kw: sent.append(a))
    hook = _create(c, org, "http://hooks.example.cn/hook").get_json()
    assert "id" in hook, hook
    resolves_to["hooks.example.cn"] = "2002:a00:1::1"  # DNS now points at 10.0.0.1 via 6to4
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    item = c.get(f"/api/v1/organizations/{org.id}/webhooks/{hook['id']}/deliveries").get_json()[
        "items"
    ][0]
    assert sent == []
    assert item["status"] == "failed"  # a refused target is not retried
    assert item["last_error"].startswith("refused: resolves to a non-public address")
    assert "2002:a00:1::1" in item["last_error"]
