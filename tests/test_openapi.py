"""Property-based API testing: schemathesis fuzzes every documented operation in-process.

Nothing a client sends may produce a 5xx, and every response must match the OpenAPI spec
(a documented status, a body valid against the documented schema). Each operation runs
anonymously, as an organization admin and as a coordinator (bearer tokens: no CSRF), with
both valid and invalid data. Writes are rolled back with the test's transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from cbec_alliance import create_app
from cbec_alliance.accounts import services as account_services
from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db, limiter
from tests import factories

# CBEC_FUZZ_EXAMPLES raises the fuzzing budget per operation for a deeper (slower) local run.
CONFIG = {
    "seed": 20240611,
    "generation": {
        "max-examples": int(os.environ.get("CBEC_FUZZ_EXAMPLES", "20")),
        "deterministic": True,
        "database": "none",
        "mode": "all",
    },
    # Examples, coverage (boundary values) and fuzzing; no stateful phase.
    "phases": {"stateful": {"enabled": False}},
}
CHECKS = [not_a_server_error, response_schema_conformance]

# The spec is read at collection time from an app of its own: schemathesis' lazy
# `from_fixture` loader breaks under pytest 9 (it reads the removed `Node._nodeid`).
# Requests go to the suite's `app` fixture and its per-test transaction.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app("testing"), config=SchemathesisConfig.from_dict(CONFIG)
)


@dataclass
class World:
    """Rows the fuzzer can aim at, so it reaches past 404s into the handlers."""

    admin_id: int
    coordinator_id: int
    ids: dict[str, int]


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        admin = factories.UserFactory()
        enterprise = factories.OrganizationFactory()
        university = factories.UniversityFactory()
        pending = factories.OrganizationFactory(status="pending")
        factories.MembershipFactory(user=admin, organization=enterprise, role="admin")
        factories.MembershipFactory(user=admin, organization=university, role="admin")
        factories.MembershipFactory(user=admin, organization=pending, role="admin")
        staff = factories.member(enterprise, "staff")
        coordinator = factories.CoordinatorFactory()
        # Commit (release the test's savepoint) so an error response, which rolls the
        # request's session back, does not take these rows with it.
        db.session.commit()
        return World(
            admin_id=admin.id,
            coordinator_id=coordinator.id,
            ids={"org_id": enterprise.id, "user_id": staff.id},
        )


@pytest.fixture(autouse=True)
def _no_throttling():
    # Fuzzing the login endpoint must exercise validation, not the brute-force limiter.
    limiter.enabled = False
    yield
    limiter.enabled = True


def _aim(case, ids: dict[str, int]) -> None:
    """Point every other generated integer path id at a real row (deterministically)."""
    for name, value in list(case.path_parameters.items()):
        if name in ids and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = ids[name]


def _fresh_token(app, user_id: int) -> str:
    # A new token for every example: a fuzzed DELETE /auth/tokens/{id} may revoke the last one.
    with app.app_context():
        user = db.session.get(User, user_id)
        _row, plain = account_services.create_token(user, "schemathesis", 1)
        db.session.commit()
    return plain


def _run_authenticated(case, app, user_id: int, world: World) -> None:
    _aim(case, world.ids)
    token = _fresh_token(app, user_id)
    resp = case.call_and_validate(
        app=app, checks=CHECKS, headers={"Authorization": f"Bearer {token}"}
    )
    if case.operation.path != "/api/v1/auth/login":  # 401 there is a wrong password
        assert resp.status_code != 401, f"a live bearer token was refused: {resp.text[:300]}"


@schema.parametrize()
def test_anonymous_api_conforms(case, app):
    resp = case.call_and_validate(app=app, checks=CHECKS)
    assert resp.status_code != 403, "anonymous callers get 401, not 403"


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_admin_api_conforms(case, app, world):
    _run_authenticated(case, app, world.admin_id, world)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_coordinator_api_conforms(case, app, world):
    _run_authenticated(case, app, world.coordinator_id, world)
