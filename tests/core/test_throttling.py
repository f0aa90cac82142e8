"""Login throttling: failed attempts count per account and per address; 429 with Retry-After.

Testing limits (config/settings.py, TestingConfig): 5 failures per account and 20 per
address, in 15 minutes. The counts are rows of `login_failures` (accounts/throttle.py).
Who may still log in while an account is throttled: tests/accounts/test_lockout.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.accounts import throttle
from cbec_alliance.accounts.models import LoginFailure
from cbec_alliance.core.timeutil import as_utc
from cbec_alliance.extensions import db
from tests import factories
from tests.helpers import assert_problem, at_once, held_at_barrier

LOGIN = "/api/v1/auth/login"
PER_ACCOUNT = 5
PER_ADDRESS = 20
WINDOW = 15 * 60


def _login(client, email: str, password: str, addr: str = "10.1.0.1"):
    return client.post(
        LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def _assert_429(resp) -> int:
    assert_problem(resp, 429)
    retry = int(resp.headers["Retry-After"])
    assert 0 < retry <= WINDOW
    return retry


def _age_failures(seconds: int) -> None:
    """Move every recorded failure `seconds` into the past."""
    # In Python: SQLite cannot subtract an interval from its stored timestamps.
    for row in db.session.scalars(sa.select(LoginFailure)):
        row.created_at = as_utc(row.created_at) - timedelta(seconds=seconds)
    db.session.commit()


def _failures(email: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(LoginFailure.account == throttle.account_key(email))
    )


def test_repeated_wrong_passwords_get_429_with_retry_after(client):
    user = factories.UserFactory()
    assert _login(client, user.email, factories.PASSWORD).status_code == 200
    for _ in range(PER_ACCOUNT):
        assert_problem(_login(client, user.email, "wrong password!"), 401)
    retry = _assert_429(_login(client, user.email, "wrong password!"))
    # The window started with the first failure, a moment ago.
    assert retry >= WINDOW - 60
    # A locked account cannot be probed further from the address that failed, not even with
    # the right password...
    _assert_429(_login(client, user.email, factories.PASSWORD))
    # ...nor from an address the user never logged in from, whatever the password.
    _assert_429(_login(client, user.email, "wrong password!", addr="10.9.9.9"))
    _assert_429(_login(client, user.email, factories.PASSWORD, addr="10.9.9.9"))


def test_refused_attempts_are_not_counted_and_failures_leave_the_window(client):
    user = factories.UserFactory()
    for _ in range(PER_ACCOUNT):
        assert_problem(_login(client, user.email, "wrong password!"), 401)
    for _ in range(3):
        _assert_429(_login(client, user.email, "wrong password!"))
    assert _failures(user.email) == PER_ACCOUNT
    # A sliding window: once the failures are older than 15 minutes the account is free.
    _age_failures(WINDOW - 30)
    _assert_429(_login(client, user.email, factories.PASSWORD))
    _age_failures(31)
    assert _login(client, user.email, factories.PASSWORD).status_code == 200


def test_retry_after_is_when_the_oldest_counted_failure_leaves_the_window(client):
    user = factories.UserFactory()
    for _ in range(PER_ACCOUNT):
        assert_problem(_login(client, user.email, "wrong password!"), 401)
    _age_failures(600)
    retry = _assert_429(_login(client, user.email, "wrong password!"))
    assert WINDOW - 600 - 60 <= retry <= WINDOW - 600 + 1


def test_account_lock_ignores_email_case(client):
    user = factories.UserFactory()
    for i in range(PER_ACCOUNT):
        email = user.email.upper() if i % 2 else user.email
        assert_problem(_login(client, email, "wrong password!"), 401)
    _assert_429(_login(client, user.email.title(), "wrong password!"))


def test_unknown_emails_are_counted_like_real_ones(client):
    # The same answers for an account that does not exist, so throttling reveals nothing.
    for _ in range(PER_ACCOUNT):
        assert_problem(_login(client, "nobody@example.cn", "wrong password!"), 401)
    _assert_429(_login(client, "nobody@example.cn", "wrong password!"))
    _assert_429(_login(client, "nobody@example.cn", "wrong password!", addr="10.9.9.9"))


def test_other_accounts_failures_below_the_address_limit_do_not_block_a_login(client):
    victims = [factories.UserFactory() for _ in range(5)]
    for i in range(PER_ADDRESS - 1):
        victim = victims[i % len(victims)]
        assert_problem(_login(client, victim.email, "wrong password!"), 401)
    user = factories.UserFactory()
    resp = _login(client, user.email, factories.PASSWORD)
    assert resp.status_code == 200, resp.get_json()
    # The limit of the address is not lifted by that success: one more failure is allowed.
    assert_problem(_login(client, victims[0].email, "wrong password!"), 401)
    _assert_429(_login(client, user.email, factories.PASSWORD))


def test_successful_logins_never_count(client):
    users = [factories.UserFactory() for _ in range(3)]
    for i in range(PER_ADDRESS + PER_ACCOUNT + 5):
        resp = _login(client, users[i % 3].email, factories.PASSWORD)
        assert resp.status_code == 200, (i, resp.get_json())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0
    # The address still has its whole allowance of failures.
    user = factories.UserFactory()
    for _ in range(PER_ACCOUNT - 1):
        assert_problem(_login(client, user.email, "wrong password!"), 401)
    assert _login(client, user.email, factories.PASSWORD).status_code == 200


def test_too_many_failures_from_one_address_get_429(client):
    for i in range(PER_ADDRESS):
        resp = _login(client, f"nobody{i}@example.cn", "wrong password!")
        assert_problem(resp, 401)
    user = factories.UserFactory()
    _assert_429(_login(client, user.email, "wrong password!"))
    _assert_429(_login(client, user.email, factories.PASSWORD))
    # Another address is not affected.
    assert _login(client, user.email, factories.PASSWORD, addr="10.2.0.1").status_code == 200


def test_an_ipv6_client_is_counted_by_its_slash_64(client):
    # One subscriber holds a whole /64; rotating addresses inside it must not help.
    for i in range(PER_ADDRESS):
        addr = f"2001:db8:aa:bb::{i + 1:x}"
        assert_problem(_login(client, f"nobody{i}@example.cn", "wrong password!", addr), 401)
    user = factories.UserFactory()
    _assert_429(_login(client, user.email, factories.PASSWORD, addr="2001:db8:aa:bb:ffff::1"))
    other_net = "2001:db8:aa:cc::1"
    assert _login(client, user.email, factories.PASSWORD, addr=other_net).status_code == 200


def test_validation_errors_do_not_lock_an_account(client):
    user = factories.UserFactory()
    for _ in range(PER_ACCOUNT + 2):
        resp = client.post(LOGIN, json={"email": user.email, "password": ""})
        assert resp.status_code == 422
    assert _login(client, user.email, factories.PASSWORD).status_code == 200


def test_429_carries_retry_after_and_no_rate_limit_headers(client):
    # Retry-After on 429 is the contract's; X-RateLimit-* on every login is not wanted.
    for _ in range(PER_ACCOUNT):
        resp = _login(client, "someone@example.cn", "wrong password!")
        assert_problem(resp, 401)
        assert "X-RateLimit-Limit" not in resp.headers
    resp = _login(client, "someone@example.cn", "wrong password!")
    _assert_429(resp)
    assert "X-RateLimit-Limit" not in resp.headers


def test_several_windows_in_one_setting(app, client, monkeypatch):
    # flask-limiter's syntax: "3 per 15 minutes; 4 per day" holds the account for the day.
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 15 minutes; 4 per day")
    user = factories.UserFactory()
    for _ in range(3):
        assert_problem(_login(client, user.email, "wrong password!"), 401)
    _assert_429(_login(client, user.email, "wrong password!"))
    _age_failures(WINDOW + 1)
    assert_problem(_login(client, user.email, "wrong password!"), 401)
    resp = _login(client, user.email, "wrong password!")
    assert_problem(resp, 429)
    assert int(resp.headers["Retry-After"]) > WINDOW


@pytest.mark.committed
def test_parallel_guesses_cannot_pass_the_limit(app, monkeypatch):
    """Guesses sent at once: every one has recorded itself before any counts the others.

    This bites on PostgreSQL; SQLite takes its write lock at the start of every login
    (core/db.py), which serialises whole attempts, so there it holds either way.
    """
    with app.app_context():
        user = factories.UserFactory()
        db.session.commit()
        email = user.email
    clients = [app.test_client() for _ in range(PER_ACCOUNT + 1)]
    for c in clients[: PER_ACCOUNT - 2]:
        assert_problem(_login(c, email, "wrong password!"), 401)
    # Hold every request after its own row is committed until all have one: without the
    # row written first, all would count 3 earlier failures and guess (6 more, 9 in all).
    held_at_barrier(monkeypatch, throttle, "_reserve", parties=len(clients))
    statuses = at_once(*(lambda c=c: _login(c, email, "wrong password!") for c in clients))
    codes = sorted(resp.status_code for resp in statuses)
    assert codes.count(401) <= 2, codes
    assert set(codes) <= {401, 429}, codes
    with app.app_context():
        assert _failures(email) <= PER_ACCOUNT
