"""Property-based API testing: schemathesis fuzzes every documented operation in-process.

Nothing a client sends may produce a 5xx, and every response must match the OpenAPI spec:
a documented status and content type, documented headers, a body valid against the
documented schema, and data the spec calls invalid is refused. Each operation runs
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
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from cbec_alliance import create_app
from cbec_alliance.accounts import services as account_services
from cbec_alliance.accounts.models import User
from cbec_alliance.core.fields import TAXONOMY_CODE_RE
from cbec_alliance.core.schemas import INT32_MAX
from cbec_alliance.extensions import db, limiter
from tests import factories
from tests.helpers import validation_errors

# CBEC_FUZZ_EXAMPLES raises the fuzzing budget per operation for a deeper (slower) local run.
CONFIG = {
    "seed": 20240611,
    "generation": {
        "max-examples": int(os.environ.get("CBEC_FUZZ_EXAMPLES", "20")),
        "deterministic": True,
        "database": "none",
        "mode": "all",
        # The API ignores query parameters it does not know (clients add their own, such as
        # cache busters), so an unknown one is not invalid data it must refuse.
        "allow-extra-parameters": False,
    },
    # Examples, coverage (boundary values) and fuzzing; no stateful phase.
    "phases": {"stateful": {"enabled": False}},
}
# positive_data_acceptance is left out: valid JSON the spec cannot rule out is still refused
# (lone surrogates and NUL, ids of rows that do not exist, taxonomy codes no vocabulary has,
# "give a or b" rules), and a 422 for it is right.
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]

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


def _negative(case, location: ParameterLocation) -> bool:
    """Whether the case's invalid data is in `location` (it must reach the server as is)."""
    meta = case.meta
    component = meta.components.get(location) if meta is not None else None
    return component is not None and component.mode.is_negative


def _aim(case, ids: dict[str, int]) -> None:
    """Point every other generated integer path id at a real row (deterministically)."""
    if _negative(case, ParameterLocation.PATH):
        return  # an invalid id stays invalid
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
    if _negative(case, ParameterLocation.HEADER):
        # The invalid part may be the Authorization header itself: send it, not our token.
        case.call_and_validate(app=app, checks=CHECKS)
        return
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


# --- the spec says what the server enforces --------------------------------------------


def _spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def test_fields_a_require_hook_demands_are_required_in_the_spec(client):
    schemas = _spec(client)["components"]["schemas"]
    assert {"kind", "title", "starts_at", "capacity"} <= set(schemas["EventCreate"]["required"])
    assert {"modes", "starts_on"} <= set(schemas["PartnershipCreate"]["required"])
    assert "required" not in schemas["EventPatch"]  # the same fields, all optional


def test_a_schemas_meta_example_is_its_components_example(client):
    """What a request schema gives as its example (`Meta.example`) is in the spec."""
    from cbec_alliance.programmes.teaching_views import ProgrammeAssignmentIn
    from cbec_alliance.teaching.schemas import AssignmentIn

    components = _spec(client)["components"]["schemas"]
    for schema in (AssignmentIn, ProgrammeAssignmentIn):
        assert components[schema.__name__.removesuffix("Schema")]["example"] == (
            schema.Meta.example
        )


def test_a_body_is_required_in_the_spec_exactly_when_the_server_requires_one(client, coord):
    paths = _spec(client)["paths"]
    reject = paths["/api/v1/training-bases/{base_id}/reject"]["post"]["requestBody"]
    suspend = paths["/api/v1/organizations/{org_id}/suspend"]["post"]["requestBody"]
    patch = paths["/api/v1/organizations/{org_id}"]["patch"]["requestBody"]
    assert (reject["required"], suspend["required"], patch["required"]) == (True, False, False)
    # The server agrees: no body is a 422 naming the reason for one, and fine for the other.
    assert "reason" in validation_errors(coord.post(f"/api/v1/training-bases/{INT32_MAX}/reject"))
    org = factories.OrganizationFactory()
    resp = coord.post(f"/api/v1/organizations/{org.id}/suspend")
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["status"] == "suspended"


def test_taxonomy_codes_carry_their_pattern_and_the_server_checks_it(client, as_user):
    schemas = _spec(client)["components"]["schemas"]
    documented = [
        schemas["OrganizationCreate"]["properties"]["district"],
        schemas["InternshipCreate"]["properties"]["category"],
        schemas["InternshipCreate"]["properties"]["majors"]["items"],
        schemas["BaseCreate"]["properties"]["competencies"]["items"],
        schemas["PartnershipCreate"]["properties"]["modes"]["items"],
    ]
    assert {prop.get("pattern") for prop in documented} == {TAXONOMY_CODE_RE}
    user = as_user(factories.UserFactory())
    body = {"kind": "enterprise", "name": "广州跨境", "district": "Tian He 天河"}
    errors = validation_errors(user.post("/api/v1/organizations", json=body))
    assert "not a taxonomy code" in errors["district"][0]
