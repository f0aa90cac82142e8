"""Email verification: a new account is mailed a token and joins no organization until it
is used (or an invitation to its address is accepted)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from cbec_alliance.accounts.models import AccountToken, User
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.test_migrations import _config

VERIFY = "/api/v1/auth/verify-email"
RESEND = "/api/v1/auth/verify-email/resend"
UNIVERSITY = {
    "kind": "university",
    "name": "广州跨境学院",
    "district": "baiyun",
    "school_code": "1400088888",
    "level": "vocational",
}


def _sign_up(app, email: str, language: str = "zh"):
    c = app.test_client()
    creds = {"email": email, "password": factories.PASSWORD}
    resp = c.post("/api/v1/auth/register", json=creds | {"name": "新用户", "language": language})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["email_verified"] is False
    login = c.post("/api/v1/auth/login", json=creds)
    c.csrf = login.get_json()["csrf_token"]
    return c


def test_a_new_account_verifies_by_the_mailed_token_then_may_create_an_organization(
    app, client, mailbox
):
    c = _sign_up(app, "xin@example.cn")
    (mail,) = mailbox.to("xin@example.cn")
    assert "请验证您的邮箱地址" in mail
    refused = assert_problem(c.post("/api/v1/organizations", json=UNIVERSITY), 403)
    assert refused["email_verified"] is False
    assert "verify-email" in refused["detail"]
    assert c.get("/api/v1/auth/me").get_json()["memberships"] == []

    done = client.post(VERIFY, json={"token": mailbox.token("xin@example.cn")})
    assert done.status_code == 200, done.get_json()
    assert done.get_json() == {"email": "xin@example.cn", "email_verified": True}
    assert c.get("/api/v1/auth/me").get_json()["email_verified"] is True
    assert c.post("/api/v1/organizations", json=UNIVERSITY).status_code == 201


def _invitation(as_user, org, email: str) -> str:
    """The token of an invitation to `email` made by a new admin of `org`."""
    admin = as_user(factories.member(org, "admin"))
    resp = admin.post(
        f"/api/v1/organizations/{org.id}/invitations", json={"email": email, "role": "staff"}
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["token"]


def test_accepting_an_invitation_to_ones_own_address_verifies_it(app, as_user, mailbox):
    org = factories.OrganizationFactory()
    c = _sign_up(app, "invited@example.cn")
    token = _invitation(as_user, org, "invited@example.cn")
    assert c.post(f"/api/v1/invitations/{token}/accept").status_code == 201
    me = c.get("/api/v1/auth/me").get_json()
    assert me["email_verified"] is True
    assert [m["organization_id"] for m in me["memberships"]] == [org.id]
    # The mailed token may still be used, and changes nothing.
    late = app.test_client().post(VERIFY, json={"token": mailbox.token("invited@example.cn")})
    assert late.status_code == 200
    # Verified now, the user may also create an organization.
    assert c.post("/api/v1/organizations", json=UNIVERSITY).status_code == 201


def test_an_invitation_to_another_address_neither_joins_nor_verifies(app, as_user):
    c = _sign_up(app, "someone@example.cn")
    token = _invitation(as_user, factories.OrganizationFactory(), "else@example.cn")
    assert_problem(c.post(f"/api/v1/invitations/{token}/accept"), 403)
    assert c.get("/api/v1/auth/me").get_json()["email_verified"] is False


def test_resend_mails_a_new_token_and_using_one_voids_the_other(app, client, mailbox):
    c = _sign_up(app, "again@example.cn")
    resp = c.post(RESEND)
    assert resp.status_code == 202, resp.get_json()
    first, second = mailbox.tokens("again@example.cn")
    assert client.post(VERIFY, json={"token": second}).status_code == 200
    assert_problem(client.post(VERIFY, json={"token": first}), 410)
    assert_problem(client.post(VERIFY, json={"token": second}), 410)
    assert "already verified" in assert_problem(c.post(RESEND), 409)["detail"]


def test_resend_is_throttled_per_user(app, monkeypatch, mailbox):
    monkeypatch.setitem(app.config, "VERIFY_EMAIL_RESEND_LIMIT", "2 per hour")
    c = _sign_up(app, "spam@example.cn")
    answers = [c.post(RESEND).status_code for _ in range(3)]
    assert answers == [202, 202, 429]
    assert len(mailbox.to("spam@example.cn")) == 3  # the sign-up mail and two resends
    # Another user is not held up.
    assert _sign_up(app, "calm@example.cn").post(RESEND).status_code == 202


def test_resend_needs_login_and_csrf(app, client):
    assert_problem(client.post(RESEND), 401)
    c = _sign_up(app, "csrf@example.cn")
    c.csrf = None
    assert_problem(c.post(RESEND), 403)


def test_an_expired_verification_token_is_410(app, client, mailbox):
    _sign_up(app, "slow@example.cn")
    row = db.session.scalar(sa.select(AccountToken).where(AccountToken.email == "slow@example.cn"))
    assert row.expires_at.replace(tzinfo=None) - row.created_at.replace(tzinfo=None) == timedelta(
        hours=72
    )
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    resp = client.post(VERIFY, json={"token": mailbox.token("slow@example.cn")})
    assert "expired" in assert_problem(resp, 410)["detail"]


def test_unknown_or_reset_tokens_verify_nothing(client, mailbox):
    assert_problem(client.post(VERIFY, json={"token": "y" * 43}), 404)
    user = factories.UserFactory(email="reset@example.cn", email_verified_at=None)
    client.post("/api/v1/auth/password-reset", json={"email": user.email})
    assert_problem(client.post(VERIFY, json={"token": mailbox.token(user.email)}), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "token"), ({"token": ""}, "token"), ({"token": "z" * 201}, "token"), ({"x": 1}, "x")],
)
def test_bad_verification_requests_are_422_naming_the_field(client, body, field):
    assert field in validation_errors(client.post(VERIFY, json=body))


def test_english_accounts_are_mailed_in_english(app, mailbox):
    _sign_up(app, "en@example.cn", language="en")
    (mail,) = mailbox.to("en@example.cn")
    assert "Verify your email address" in mail


def test_factories_and_the_command_line_make_verified_accounts(app, as_user):
    assert as_user(factories.UserFactory()).get("/api/v1/auth/me").get_json()["email_verified"]
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-coordinator", "--email", "gov@example.cn", "--password", "0123456789ab"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "gov@example.cn"))
    assert user.email_verified is True


def test_the_migration_marks_existing_users_verified(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'verified.db'}"
    config = _config()
    engine = sa.create_engine(url)
    try:
        with app.app_context(), engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0038_account_tokens-1")
            conn.execute(
                sa.text(
                    "INSERT INTO users (email, name, password_hash, platform_role, language, "
                    "is_active, created_at, password_changed_at) VALUES ('old@example.cn', "
                    "'老用户', 'x', 'user', 'zh', 1, '2026-01-02 03:04:05', '2026-01-02 03:04:05')"
                )
            )
            command.upgrade(config, "0038_account_tokens")
            verified = conn.execute(sa.text("SELECT email_verified_at FROM users")).scalar()
    finally:
        engine.dispose()
    assert str(verified).startswith("2026-01-02 03:04:05")
