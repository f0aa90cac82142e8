"""TRUSTED_PROXIES: behind a reverse proxy the login limit counts the client's address from
X-Forwarded-For; without the setting the header is ignored (a client could forge it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import request

from cbec_alliance import create_app, register_proxy_fix
from cbec_alliance.accounts import throttle
from cbec_alliance.accounts.models import LoginFailure
from cbec_alliance.extensions import db
from config import ConfigError
from tests import factories
from tests.helpers import assert_problem

LOGIN = "/api/v1/auth/login"
PROXY = "10.0.0.2"
CLIENT = "198.51.100.9"


@pytest.fixture
def behind_proxies(app):
    """The app with TRUSTED_PROXIES set to `hops` for this test."""
    original = app.wsgi_app

    def trust(hops: int):
        app.config["TRUSTED_PROXIES"] = hops
        app.wsgi_app = original
        register_proxy_fix(app)

    yield trust
    app.config["TRUSTED_PROXIES"] = 0
    app.wsgi_app = original


def _fail_login(client, forwarded: str | None, **headers):
    user = factories.UserFactory()
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    resp = client.post(
        LOGIN,
        json={"email": user.email, "password": "wrong password!"},
        headers=headers,
        environ_base={"REMOTE_ADDR": PROXY},
    )
    assert_problem(resp, 401)
    return db.session.scalars(
        sa.select(LoginFailure.address).where(
            LoginFailure.account == throttle.account_key(user.email)
        )
    ).all()


def test_without_the_setting_the_forwarded_address_is_ignored(client, app):
    assert app.config["TRUSTED_PROXIES"] == 0
    assert _fail_login(client, CLIENT) == [throttle.address_key(PROXY)]


def test_behind_one_proxy_the_client_address_is_counted(client, behind_proxies):
    behind_proxies(1)
    assert _fail_login(client, CLIENT) == [throttle.address_key(CLIENT)]
    # Without the header (a request that did not come through the proxy) the peer counts.
    assert _fail_login(client, None) == [throttle.address_key(PROXY)]


def test_an_address_forged_by_the_client_is_not_trusted(client, behind_proxies):
    # The client sent "X-Forwarded-For: 203.0.113.66"; nginx appended the address it saw.
    behind_proxies(1)
    assert _fail_login(client, f"203.0.113.66, {CLIENT}") == [throttle.address_key(CLIENT)]
    behind_proxies(2)
    # Two proxies: the one before ours appended the client's address, ours the first proxy's.
    assert _fail_login(client, f"203.0.113.66, {CLIENT}, 10.0.0.7") == [
        throttle.address_key(CLIENT)
    ]


def _seen_by_a_fresh_app(monkeypatch, trusted: str) -> dict:
    """What request.scheme, host and remote_addr are in an app made with TRUSTED_PROXIES."""
    monkeypatch.setenv("TRUSTED_PROXIES", trusted)
    fresh = create_app("testing")
    seen: dict = {}

    @fresh.get("/_echo")
    def _echo():
        seen.update(scheme=request.scheme, host=request.host, addr=request.remote_addr)
        return ""

    fresh.test_client().get(
        "/_echo",
        headers={
            "X-Forwarded-For": CLIENT,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "a.cn",
        },
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return seen


def test_the_setting_is_read_from_the_environment(monkeypatch):
    assert _seen_by_a_fresh_app(monkeypatch, "0") == {
        "scheme": "http",
        "host": "localhost",
        "addr": PROXY,
    }
    assert _seen_by_a_fresh_app(monkeypatch, "1") == {
        "scheme": "https",
        "host": "a.cn",
        "addr": CLIENT,
    }


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_bad_setting_is_refused_at_start(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app("testing")
