"""Property-based API testing: schemathesis fuzzes every documented operation in-process.

Nothing a client sends may produce a 5xx, and every response must match the OpenAPI spec
(status documented, body valid against the documented schema). Run once anonymously and
once with a personal API token; writes are rolled back with the test's transaction.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from cbec_alliance import create_app
from cbec_alliance.accounts import services as account_services
from cbec_alliance.extensions import db, limiter
from tests import factories

CONFIG = {
    "seed": 20240611,
    "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
}
CHECKS = [not_a_server_error, response_schema_conformance]



# The spec is read at collection time from an app of its own (schemathesis' lazy fixture
# loader is broken under pytest 9); requests go to the suite's `app` fixture.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app("testing"), config=SchemathesisConfig.from_dict(CONFIG)
)


@pytest.fixture
def bearer(app):
    """A personal API token of a user who administers an approved enterprise."""
    with app.app_context():
        user = factories.UserFactory()
        org = factories.OrganizationFactory()
        factories.MembershipFactory(user=user, organization=org, role="admin")
        _token, plain = account_services.create_token(user, "schemathesis", 30)
        db.session.flush()
    return plain


@pytest.fixture(autouse=True)
def _no_throttling(app):
    # Fuzzing the login endpoint must exercise validation, not the brute-force limiter.
    limiter.enabled = False
    yield
    limiter.enabled = True


@schema.parametrize()
def test_anonymous_api_conforms(case, app):
    case.call_and_validate(app=app, checks=CHECKS)


@schema.parametrize()
def test_authenticated_api_conforms(case, app, bearer):
    case.call_and_validate(app=app, checks=CHECKS, headers={"Authorization": f"Bearer {bearer}"})
