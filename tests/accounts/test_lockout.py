"""An attacker cannot lock the owner out: the per-account limit stops guessing, but an
address the owner has logged in from, and that has not failed since, still gets in.

NIST SP 800-63B (5.2.2; 3.2.2 in revision 4) names this allow-list of addresses as a way to
keep an attacker from locking the legitimate subscriber out; see accounts/throttle.py.
Testing limit: 5 failures per account in 15 minutes.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cbec_alliance.accounts import throttle
from cbec_alliance.accounts.models import LoginAddress, LoginFailure
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from tests import factories
from tests.helpers import assert_problem

LOGIN = "/api/v1/auth/login"
PER_ACCOUNT = 5
WRONG = "wrong password!"
HOME, OFFICE = "10.20.0.1", "2001:db8:20::7"  # where the owner has logged in before
ATTACKER, ATTACKER_2 = "10.66.0.1", "10.66.0.2"


def _login(client, email: str, password: str, addr: str):
    return client.post(
        LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def _owner_with_history(client):
    user = factories.UserFactory()
    for addr in (HOME, OFFICE):
        assert _login(client, user.email, factories.PASSWORD, addr).status_code == 200
    return user


def _attack(client, email: str, addr: str = ATTACKER) -> None:
    for _ in range(PER_ACCOUNT):
        assert_problem(_login(client, email, WRONG, addr), 401)


def _failures(email: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(LoginFailure.account == throttle.account_key(email))
    )


def test_the_owner_logs_in_from_a_known_address_while_the_attacker_is_blocked(client):
    user = _owner_with_history(client)
    _attack(client, user.email)
    # The attacker's address is blocked, even with the right password.
    assert_problem(_login(client, user.email, factories.PASSWORD, ATTACKER), 429)
    # The owner, from home, is not.
    resp = _login(client, user.email, factories.PASSWORD, HOME)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["user"]["id"] == user.id
    # The owner's login does not lift the attacker's block.
    assert_problem(_login(client, user.email, factories.PASSWORD, ATTACKER), 429)
    assert_problem(_login(client, user.email, WRONG, ATTACKER), 429)


def test_a_fresh_address_gets_no_guess_while_the_account_is_throttled(client):
    user = _owner_with_history(client)
    _attack(client, user.email)
    before = _failures(user.email)
    # A new address (another bot) is refused before its password is checked, right or
    # wrong: otherwise every fresh address would be one more guess, and 429 against 200
    # would tell a wrong guess from the right one.
    for password in (WRONG, factories.PASSWORD):
        resp = _login(client, user.email, password, ATTACKER_2)
        assert_problem(resp, 429)
        assert int(resp.headers["Retry-After"]) > 0
    assert _failures(user.email) == before


def test_a_known_address_that_fails_is_blocked_too(client):
    # An attacker behind the owner's own address (a shared campus or office NAT) gets at
    # most one guess there while the account is throttled, then that address is blocked.
    user = _owner_with_history(client)
    _attack(client, user.email)
    assert_problem(_login(client, user.email, WRONG, OFFICE), 401)
    assert_problem(_login(client, user.email, factories.PASSWORD, OFFICE), 429)
    assert_problem(_login(client, user.email, WRONG, OFFICE), 429)
    # Home has not failed: the owner still gets in there.
    assert _login(client, user.email, factories.PASSWORD, HOME).status_code == 200


def test_an_ipv6_known_address_is_its_slash_64(client):
    user = _owner_with_history(client)
    _attack(client, user.email)
    # The owner's IPv6 address changes inside the same /64 (privacy addresses).
    same_net = "2001:db8:20::abcd:1234"
    assert _login(client, user.email, factories.PASSWORD, same_net).status_code == 200
    assert_problem(_login(client, user.email, factories.PASSWORD, "2001:db8:21::7"), 429)


def test_a_known_address_is_forgotten_after_the_trusted_days(app, client):
    user = _owner_with_history(client)
    days = app.config["LOGIN_TRUSTED_ADDRESS_DAYS"]
    db.session.execute(
        sa.update(LoginAddress)
        .where(LoginAddress.user_id == user.id, LoginAddress.address == HOME)
        .values(last_login_at=utcnow() - timedelta(days=days, minutes=1))
    )
    db.session.commit()
    _attack(client, user.email)
    assert_problem(_login(client, user.email, factories.PASSWORD, HOME), 429)
    assert _login(client, user.email, factories.PASSWORD, OFFICE).status_code == 200


def test_a_known_address_of_someone_else_is_not_trusted(client):
    user = _owner_with_history(client)
    other = factories.UserFactory()
    assert _login(client, other.email, factories.PASSWORD, ATTACKER).status_code == 200
    _attack(client, user.email, ATTACKER_2)
    # The attacker logging in to an account of their own does not make their address
    # trusted for the victim's.
    assert_problem(_login(client, user.email, factories.PASSWORD, ATTACKER), 429)


def test_logging_in_forgets_the_users_own_failures_from_that_address(client):
    # NIST SP 800-63B-4 3.2.2: after a successful authentication the verifier SHOULD
    # disregard that user's earlier failures from the same address (typos at home do not
    # bring the account nearer its limit).
    user = _owner_with_history(client)
    for _ in range(PER_ACCOUNT - 1):
        assert_problem(_login(client, user.email, WRONG, HOME), 401)
    assert _login(client, user.email, factories.PASSWORD, HOME).status_code == 200
    assert _failures(user.email) == 0
    _attack(client, user.email)  # five more are allowed: the four typos were forgotten
    assert_problem(_login(client, user.email, WRONG, ATTACKER), 429)
    # Failures from other addresses are not forgotten by a login from home.
    assert _login(client, user.email, factories.PASSWORD, HOME).status_code == 200
    assert _failures(user.email) == PER_ACCOUNT
    assert_problem(_login(client, user.email, factories.PASSWORD, ATTACKER), 429)
