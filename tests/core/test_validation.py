"""Validation problems: per-field `errors`, unknown fields, unstorable text, number ranges,
and hostile JSON (too deep, numbers JSON cannot carry, times and cursors out of range)."""

from __future__ import annotations

import base64
import json

import pytest

from cbec_alliance.core.guards import JSON_MAX_DEPTH
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.organizations.helpers import university_body

REGISTER = "/api/v1/auth/register"
ORGS = "/api/v1/organizations"
UNSTORABLE = "cannot be stored"


def _register(**fields) -> dict:
    body = {"email": "v@example.cn", "password": "0123456789", "name": "李华"}
    body.update(fields)
    return body


@pytest.fixture
def user_client(as_user):
    return as_user(factories.UserFactory())


def test_flat_field_errors_are_keyed_by_field(client):
    errors = validation_errors(client.post(REGISTER, json={"email": "not-an-email", "name": ""}))
    assert set(errors) == {"email", "password", "name"}
    assert any("Missing" in m for m in errors["password"])


def test_detail_names_the_fields(client):
    resp = client.post(REGISTER, json=_register(email="nope"))
    validation_errors(resp)
    assert "email" in resp.get_json()["detail"]


def test_nested_errors_use_dotted_paths(user_client):
    resp = user_client.post(
        ORGS,
        json=university_body(
            majors=[
                {"code": "e-commerce", "yearly_graduates": 1},
                {"yearly_graduates": "many"},
            ]
        ),
    )
    errors = validation_errors(resp)
    assert set(errors) == {"majors.1.code", "majors.1.yearly_graduates"}
    resp = user_client.post(ORGS, json=university_body(majors=[{"yearly_graduates": 10}]))
    assert set(validation_errors(resp)) == {"majors.0.code"}


def test_unknown_fields_are_422_naming_them(client):
    errors = validation_errors(client.post(REGISTER, json=_register(is_admin=True)))
    assert set(errors) == {"is_admin"}


def test_unknown_nested_fields_are_422(user_client):
    majors = [{"code": "e-commerce", "yearly_graduates": 1, "rank": 3}]
    errors = validation_errors(user_client.post(ORGS, json=university_body(majors=majors)))
    assert set(errors) == {"majors.0.rank"}


def test_nul_in_register_name_is_422(client):
    errors = validation_errors(client.post(REGISTER, json=_register(name="李\u0000华")))
    assert set(errors) == {"name"}
    assert UNSTORABLE in errors["name"][0]


def test_nul_in_organization_name_is_422(user_client):
    resp = user_client.post(ORGS, json=university_body(name="广州\u0000大学"))
    assert set(validation_errors(resp)) == {"name"}


def test_nul_deep_inside_a_body_names_the_path(user_client):
    majors = [{"code": "e-\u0000commerce", "yearly_graduates": 1}]
    resp = user_client.post(ORGS, json=university_body(majors=majors))
    assert set(validation_errors(resp)) == {"majors.0.code"}


@pytest.mark.parametrize("value", ["%00", "a%00b", "%00&q=x"])
def test_nul_in_query_parameter_is_422_naming_it(client, value):
    errors = validation_errors(client.get(f"{ORGS}?q={value}"))
    assert set(errors) == {"q"}
    assert UNSTORABLE in errors["q"][0]


def test_nul_in_any_query_parameter_is_422(client):
    assert set(validation_errors(client.get(f"{ORGS}?district=%00"))) == {"district"}
    assert set(validation_errors(client.get(f"{ORGS}?page=%00"))) == {"page"}


def test_lone_surrogate_in_json_is_422(client):
    data = '{"email": "s@example.cn", "password": "0123456789", "name": "\\ud800"}'
    resp = client.post(REGISTER, data=data, content_type="application/json")
    assert set(validation_errors(resp)) == {"name"}


def test_lone_surrogate_in_a_key_is_422_not_500(client, user_client):
    data = '{"email": "s@example.cn", "password": "0123456789", "name": "A", "\\udfff": 1}'
    resp = client.post(REGISTER, data=data, content_type="application/json")
    validation_errors(resp)
    data = (
        '{"kind": "university", "name": "U", "district": "panyu",'
        ' "majors": [{"code": "e-commerce", "yearly_graduates": 1, "\\ud800x": 2}]}'
    )
    resp = user_client.post(ORGS, data=data, content_type="application/json")
    assert set(validation_errors(resp)) == {"majors.0"}


def test_paired_surrogates_are_fine(client):
    # "\ud83d\ude00" is a valid escape for U+1F600 and must be stored and returned as sent.
    data = '{"email": "emoji@example.cn", "password": "0123456789", "name": "\\ud83d\\ude00 李"}'
    resp = client.post(REGISTER, data=data, content_type="application/json")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["name"] == "\U0001f600 李"


def test_any_unicode_text_is_returned_byte_for_byte(client):
    name = "李华 Zoë ﷺ ‏مرحبا‏ e\u0301 \u200d👩‍💻 𠀀 ~!@#$%^&*()_+{}|:<>?"
    resp = client.post(REGISTER, json=_register(email="bytes@example.cn", name=name))
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["name"] == name
    assert name.encode() in resp.data


def test_integer_out_of_column_range_is_422_not_500(user_client):
    big = 10**30
    resp = user_client.post(
        ORGS, json=university_body(majors=[{"code": "x", "yearly_graduates": big}])
    )
    assert set(validation_errors(resp)) == {"majors.0.yearly_graduates"}
    resp = user_client.get(f"/api/v1/auth/tokens?page={big}")
    assert set(validation_errors(resp)) == {"page"}


@pytest.mark.parametrize("org_id", ["2147483648", "99999999999999999999999", "0"])
def test_id_outside_the_key_range_is_404_not_500(client, org_id):
    resp = client.get(f"{ORGS}/{org_id}")
    assert resp.status_code == 404
    assert resp.mimetype == "application/problem+json"


# --- hostile JSON: refused before json.loads or where each field is loaded (issue 15) ----


def _post_raw(client, url: str, text: str):
    return client.post(url, data=text, content_type="application/json")


@pytest.mark.parametrize("url", [REGISTER, "/api/v1/auth/login"])
@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_too_deep_is_400_before_parsing(client, url, depth):
    body = assert_problem(_post_raw(client, url, "[" * depth + "]" * depth), 400)
    assert f"nests {depth} levels" in body["detail"]
    body = assert_problem(_post_raw(client, url, '{"a":' * depth + "1" + "}" * depth), 400)
    assert "nests" in body["detail"]


def test_json_as_deep_as_allowed_reaches_validation(client):
    nested = "[" * (JSON_MAX_DEPTH - 1) + "]" * (JSON_MAX_DEPTH - 1)
    errors = validation_errors(_post_raw(client, REGISTER, f'{{"name": {nested}}}'))
    assert "name" in errors


def test_brackets_inside_strings_do_not_count_as_nesting(client):
    name = "[{" * 200 + '\\"' + "}]" * 200
    resp = _post_raw(
        client, REGISTER, f'{{"email": "x", "password": "0123456789", "name": "{name}"}}'
    )
    assert set(validation_errors(resp)) == {"email", "name"}  # too long, not too deep


@pytest.mark.parametrize(
    ("literal", "detail"),
    [
        ("1" * 5000, "more than 40 digits"),
        ("-" + "9" * 41, "more than 40 digits"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
        ("1e400", "too large for a double"),
    ],
)
def test_numbers_json_cannot_carry_are_400(client, literal, detail):
    text = f'{{"email": "n@example.cn", "password": {literal}, "name": "李"}}'
    assert detail in assert_problem(_post_raw(client, REGISTER, text), 400)["detail"]


def test_forty_digit_integers_reach_the_field_bound(user_client):
    majors = [{"code": "e-commerce", "yearly_graduates": int("9" * 40)}]
    resp = user_client.post(ORGS, json=university_body(majors=majors))
    assert set(validation_errors(resp)) == {"majors.0.yearly_graduates"}


@pytest.fixture
def course_author(as_user):
    uni = factories.UniversityFactory()
    return uni, as_user(factories.member(uni, "staff"))


@pytest.mark.parametrize("credits", [1e308, -1e308, "1e308", 10**30, "1e400", "Infinity", 1e16])
def test_huge_or_infinite_floats_are_422_naming_the_field(course_author, credits):
    uni, staff = course_author
    body = {"university_id": uni.id, "code": "C1", "title": "跨境", "credits": credits}
    errors = validation_errors(staff.post("/api/v1/courses", json=body))
    assert "credits" in errors
    if credits not in ("1e400", "Infinity"):  # marshmallow's own "not a valid number"
        assert errors["credits"] == ["Must be a finite number from -10^15 to 10^15."]


@pytest.mark.parametrize(
    "when",
    [
        "9999-12-31T23:00:00-14:00",  # its UTC form is in year 10000
        "0001-01-01T00:00:00+14:00",  # and this one in year 0
        "3000-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
    ],
)
def test_datetimes_outside_the_accepted_range_are_422(client, when):
    resp = client.get("/api/v1/events", query_string={"starts_from": when})
    errors = validation_errors(resp)
    assert set(errors) == {"starts_from"}
    assert "between 1900-01-01T00:00:00Z and 2999-12-31T23:59:59Z" in errors["starts_from"][0]


@pytest.mark.parametrize("when", ["2999-12-31T23:59:59Z", "1900-01-01T00:00:00Z"])
def test_the_ends_of_the_datetime_range_are_accepted(client, when):
    resp = client.get("/api/v1/events", query_string={"starts_from": when, "starts_to": when})
    assert resp.status_code == 200, resp.get_json()


def _cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor("-published_at", "9999-12-31T23:00:00-14:00", 1),
        _cursor("-published_at", "0001-01-01T00:00:00+14:00", 1),
        _cursor("-published_at", "2026-01-01T00:00:00Z", 10**30),
        _cursor("-published_at", "2026-01-01T00:00:00Z", -(2**31) - 1),
    ],
)
def test_cursors_out_of_range_are_422_naming_after(client, cursor):
    resp = client.get("/api/v1/internships", query_string={"after": cursor})
    assert set(validation_errors(resp)) == {"after"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/monitoring/employment?organization_id=9223372036854775808",
        "/api/v1/monitoring/placements?organization_id=9223372036854775808",
    ],
)
def test_an_id_bounded_at_one_end_still_gets_the_column_bound(coord, url):
    """`Range(min=1)` alone once let 2**63 through to SQLite (OverflowError, a 500)."""
    assert "organization_id" in validation_errors(coord.get(url))
