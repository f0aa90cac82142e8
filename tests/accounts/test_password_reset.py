"""Password reset by mailed token, through the HTTP API."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.accounts.models import AccountToken, ResetRequest
from cbec_alliance.accounts.services import sha256
from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Delivery, OutboxEvent
from tests import factories
from tests.helpers import assert_problem, validation_errors

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
NEW_PASSWORD = "新的密码 new password 2027"


def _ask(client, email: str, addr: str = "10.0.0.1"):
    return client.post(RESET, json={"email": email}, environ_base={"REMOTE_ADDR": addr})


def test_reset_mails_a_token_that_sets_the_password_and_ends_every_session(
    app, client, as_user, mailbox
):
    user = factories.UserFactory(email="li.na@example.cn", name="李娜", language="zh")
    session = as_user(user)
    bearer = app.test_client()
    bearer.bearer = session.post("/api/v1/auth/tokens", json={"name": "cli"}).get_json()["token"]
    assert bearer.get("/api/v1/auth/me").status_code == 200

    resp = _ask(client, "Li.Na@Example.cn")
    assert resp.status_code == 202, resp.get_json()
    (mail,) = mailbox.to("li.na@example.cn")
    assert "李娜" in mail
    assert "重置" in mail
    token = mailbox.token("li.na@example.cn")
    assert len(token) >= 43  # 256 random bits

    done = client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["revoked_tokens"] == 1
    assert_problem(session.get("/api/v1/auth/me"), 401)
    assert_problem(bearer.get("/api/v1/auth/me"), 401)
    old = {"email": user.email, "password": factories.PASSWORD}
    assert_problem(client.post("/api/v1/auth/login", json=old), 401)
    new = client.post("/api/v1/auth/login", json={"email": user.email, "password": NEW_PASSWORD})
    assert new.status_code == 200
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_id == str(user.id))
    ).all()
    assert {"request_password_reset", "reset_password"} <= set(actions)


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(client, mailbox):
    factories.UserFactory(email="known@example.cn")
    known = _ask(client, "known@example.cn")
    unknown = _ask(client, "nobody@example.cn")
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    assert known.mimetype == unknown.mimetype
    assert sorted(known.headers.keys()) == sorted(unknown.headers.keys())
    assert len(mailbox.to("known@example.cn")) == 1
    assert mailbox.to("nobody@example.cn") == []
    # Both requests were recorded for the throttle: the same write and commit for each.
    counted = db.session.scalars(sa.select(ResetRequest.account)).all()
    assert sorted(counted) == sorted(sha256(e) for e in ("known@example.cn", "nobody@example.cn"))
    # An inactive account is treated as no account.
    factories.UserFactory(email="gone@example.cn", is_active=False)
    assert _ask(client, "gone@example.cn").get_json() == unknown.get_json()
    assert mailbox.to("gone@example.cn") == []


def test_the_token_is_stored_only_as_its_hash_and_the_audit_never_holds_it(client, mailbox):
    user = factories.UserFactory(email="hash@example.cn")
    _ask(client, user.email)
    token = mailbox.token(user.email)
    row = db.session.scalar(sa.select(AccountToken).where(AccountToken.user_id == user.id))
    assert row.token_hash == sha256(token)
    assert token not in {row.token_hash, row.email, row.purpose}
    entries = db.session.scalars(sa.select(AuditEntry.changes)).all()
    assert all(token not in str(changes) for changes in entries)
    expires = row.expires_at.replace(tzinfo=None) - row.created_at.replace(tzinfo=None)
    assert expires == timedelta(minutes=60)


def test_once_mailed_the_token_is_kept_nowhere_in_plain(client, mailbox):
    user = factories.UserFactory(email="plain@example.cn")
    _ask(client, user.email)
    token = mailbox.token(user.email)
    (mail,) = db.session.scalars(sa.select(Delivery).where(Delivery.email == user.email)).all()
    assert mail.status == "sent"
    assert token not in (mail.body_text or "") + (mail.body_html or "")
    assert "[sent]" in (mail.body_text or "")
    (event,) = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "account.password_reset")
    ).all()
    assert "token" not in event.payload
    assert token not in str(event.payload)


def test_a_token_works_once_then_is_410(client, mailbox):
    user = factories.UserFactory(email="once@example.cn")
    _ask(client, user.email)
    token = mailbox.token(user.email)
    assert client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD}).status_code == 200
    again = client.post(CONFIRM, json={"token": token, "password": "another password 1"})
    assert "used" in assert_problem(again, 410)["detail"]


def test_using_one_reset_token_voids_the_others(client, mailbox):
    user = factories.UserFactory(email="two@example.cn")
    _ask(client, user.email)
    _ask(client, user.email)
    first, second = mailbox.tokens(user.email)
    assert client.post(CONFIRM, json={"token": second, "password": NEW_PASSWORD}).status_code == 200
    assert_problem(client.post(CONFIRM, json={"token": first, "password": NEW_PASSWORD}), 410)


def test_an_expired_token_is_410_and_changes_nothing(client, mailbox):
    user = factories.UserFactory(email="late@example.cn")
    _ask(client, user.email)
    token = mailbox.token(user.email)
    row = db.session.scalar(sa.select(AccountToken).where(AccountToken.user_id == user.id))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    resp = client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})
    assert "expired" in assert_problem(resp, 410)["detail"]
    login = {"email": user.email, "password": factories.PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200


def test_unknown_token_is_404_and_a_verification_token_resets_nothing(client, mailbox):
    assert_problem(client.post(CONFIRM, json={"token": "x" * 43, "password": NEW_PASSWORD}), 404)
    signup = {"email": "wang@example.cn", "password": factories.PASSWORD, "name": "王"}
    assert client.post("/api/v1/auth/register", json=signup).status_code == 201
    verify_token = mailbox.token("wang@example.cn")
    resp = client.post(CONFIRM, json={"token": verify_token, "password": NEW_PASSWORD})
    assert_problem(resp, 404)


def test_a_reset_proves_the_address(client, mailbox):
    user = factories.UserFactory(email="unverified@example.cn", email_verified_at=None)
    _ask(client, user.email)
    client.post(CONFIRM, json={"token": mailbox.token(user.email), "password": NEW_PASSWORD})
    login = client.post("/api/v1/auth/login", json={"email": user.email, "password": NEW_PASSWORD})
    assert login.get_json()["user"]["email_verified"] is True


def test_english_users_get_english_mail(client, mailbox):
    factories.UserFactory(email="en@example.cn", name="Tom", language="en")
    _ask(client, "en@example.cn")
    (mail,) = mailbox.to("en@example.cn")
    assert "Reset your CBEC Alliance password" in mail
    assert "Hello Tom" in mail


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a" * 250 + "@example.cn"}, "email"),
        ({"email": "a@example.cn", "extra": 1}, "extra"),
    ],
)
def test_bad_reset_requests_are_422_naming_the_field(client, mailbox, body, field):
    assert field in validation_errors(client.post(RESET, json=body))
    assert mailbox.tokens(body.get("email", "")) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": NEW_PASSWORD}, "token"),
        ({"token": "t" * 43}, "password"),
        ({"token": "t" * 43, "password": "short"}, "password"),
        ({"token": "t" * 201, "password": NEW_PASSWORD}, "token"),
    ],
)
def test_bad_confirmations_are_422_naming_the_field(client, body, field):
    assert field in validation_errors(client.post(CONFIRM, json=body))


def test_a_short_password_spends_no_token(client, mailbox):
    user = factories.UserFactory(email="keep@example.cn")
    _ask(client, user.email)
    token = mailbox.token(user.email)
    validation_errors(client.post(CONFIRM, json={"token": token, "password": "short"}))
    assert client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD}).status_code == 200


def test_requests_are_throttled_per_email_alike_for_unknown_addresses(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_EMAIL", "2 per hour")
    factories.UserFactory(email="busy@example.cn")
    for email in ("busy@example.cn", "nobody@example.cn"):
        answers = [_ask(client, email, addr=f"10.0.1.{i}").status_code for i in range(3)]
        assert answers == [202, 202, 429], email
    # The count is per normalised address; another address is not held up.
    refused = assert_problem(_ask(client, "BUSY@example.cn", addr="10.0.1.9"), 429)
    assert refused["detail"]
    assert int(_ask(client, "busy@example.cn").headers["Retry-After"]) > 0
    assert _ask(client, "other@example.cn").status_code == 202


def test_requests_are_throttled_per_client_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_IP", "2 per hour")
    answers = [_ask(client, f"u{i}@example.cn", addr="10.0.2.1").status_code for i in range(3)]
    assert answers == [202, 202, 429]
    assert _ask(client, "u9@example.cn", addr="10.0.2.2").status_code == 202


def test_a_logged_in_caller_needs_no_csrf_and_changes_no_one_else(as_user, client, mailbox):
    # Another organization's admin asking for a reset learns nothing and gets no token.
    org = factories.OrganizationFactory()
    outsider = as_user(factories.member(org, "admin"))
    outsider.csrf = None
    victim = factories.UserFactory(email="victim@example.cn")
    resp = outsider.post(RESET, json={"email": victim.email})
    assert resp.status_code == 202
    assert mailbox.token(victim.email) not in resp.get_data(as_text=True)
    assert len(mailbox.to(victim.email)) == 1  # the token went to the victim's mailbox only
