"""Login throttling: failed attempts count per account and per address; 429 with Retry-After.

Testing limits (config/settings.py, TestingConfig): 5 failures per account and 20 per
address, in 15 minutes.
"""

from __future__ import annotations

from cbec_alliance.extensions import limiter
from tests import factories
from tests.helpers import assert_problem

LOGIN = "/api/v1/auth/login"
PER_ACCOUNT = 5
PER_ADDRESS = 20


def _login(client, email: str, password: str, addr: str = "10.1.0.1"):
    return client.post(
        LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def _assert_429(resp) -> None:
    assert_problem(resp, 429)
    retry = int(resp.headers["Retry-After"])
    assert 0 < retry <= 15 * 60


def test_repeated_wrong_passwords_get_429_with_retry_after(client):
    user = factories.UserFactory()
    assert _login(client, user.email, factories.PASSWORD).status_code == 200
    for _ in range(PER_ACCOUNT):
        assert_problem(_login(client, user.email, "wrong password!"), 401)
    _assert_429(_login(client, user.email, "wrong password!"))
    # A locked account cannot be probed further, not even with the right password...
    _assert_429(_login(client, user.email, factories.PASSWORD))
    # ...and the lock is the account's, whatever address the guesses come from.
    _assert_429(_login(client, user.email, "wrong password!", addr="10.9.9.9"))


def test_account_lock_ignores_email_case(client):
    user = factories.UserFactory()
    for i in range(PER_ACCOUNT):
        email = user.email.upper() if i % 2 else user.email
        assert_problem(_login(client, email, "wrong password!"), 401)
    _assert_429(_login(client, user.email.title(), "wrong password!"))


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


def test_successful_logins_never_count(client):
    users = [factories.UserFactory() for _ in range(3)]
    for i in range(PER_ADDRESS + PER_ACCOUNT + 5):
        resp = _login(client, users[i % 3].email, factories.PASSWORD)
        assert resp.status_code == 200, (i, resp.get_json())
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
    # Another address is not affected.
    assert _login(client, user.email, factories.PASSWORD, addr="10.2.0.1").status_code == 200


def test_validation_errors_do_not_lock_an_account(client):
    user = factories.UserFactory()
    for _ in range(PER_ACCOUNT + 2):
        resp = client.post(LOGIN, json={"email": user.email, "password": ""})
        assert resp.status_code == 422
    assert _login(client, user.email, factories.PASSWORD).status_code == 200


def test_429_carries_retry_after_even_without_rate_limit_headers(client, monkeypatch):
    # Retry-After on 429 is the contract's, not a side effect of the X-RateLimit-* headers.
    monkeypatch.setattr(limiter, "_headers_enabled", False)
    for _ in range(PER_ACCOUNT):
        resp = _login(client, "someone@example.cn", "wrong password!")
        assert_problem(resp, 401)
        assert "X-RateLimit-Limit" not in resp.headers
    _assert_429(_login(client, "someone@example.cn", "wrong password!"))
