"""POST /api/v1/organizations: the four kinds, identifier checks, taxonomy codes, duplicates."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.organizations.helpers import (
    association_body,
    enterprise_body,
    government_body,
    university_body,
)

URL = "/api/v1/organizations"


@pytest.fixture
def user_client(as_user):
    user = factories.UserFactory()
    c = as_user(user)
    c.user = user
    return c


def test_anonymous_cannot_create(client):
    assert_problem(client.post(URL, json=enterprise_body()), 401)


def test_create_enterprise_is_pending_and_creator_is_admin(user_client):
    body = enterprise_body(uscc="91350100M000100Y43")
    resp = user_client.post(URL, json=body)
    assert resp.status_code == 201, resp.get_json()
    org = resp.get_json()
    assert org["status"] == "pending"
    assert org["kind"] == "enterprise"
    assert org["uscc"] == "91350100M000100Y43"
    assert org["size"] == "small"
    assert org["platforms"] == ["amazon", "aliexpress"]
    assert org["school_code"] is None
    assert org["level"] is None
    assert org["created_at"].endswith("Z")
    assert isinstance(org["id"], int)
    me = user_client.get("/api/v1/auth/me").get_json()
    assert me["memberships"] == [
        {"organization_id": org["id"], "organization_kind": "enterprise", "role": "admin"}
    ]


def test_create_university_with_majors(user_client):
    resp = user_client.post(URL, json=university_body(school_code="4144010559", level="vocational"))
    assert resp.status_code == 201, resp.get_json()
    org = resp.get_json()
    assert org["status"] == "pending"
    assert org["school_code"] == "4144010559"
    assert org["level"] == "vocational"
    assert sorted(org["majors"], key=lambda m: m["code"]) == [
        {"code": "e-commerce", "yearly_graduates": 420},
        {"code": "foreign-languages", "yearly_graduates": 120},
    ]
    assert org["uscc"] is None
    assert org["size"] is None
    assert org["platforms"] is None
    me = user_client.get("/api/v1/auth/me").get_json()
    assert {"organization_id": org["id"], "organization_kind": "university", "role": "admin"} in (
        me["memberships"]
    )


@pytest.mark.parametrize("body", [government_body(), association_body()])
def test_create_government_and_association(user_client, body):
    resp = user_client.post(URL, json=body)
    assert resp.status_code == 201, resp.get_json()
    org = resp.get_json()
    assert org["kind"] == body["kind"]
    assert org["status"] == "pending"
    assert org["name"] == body["name"]
    me = user_client.get("/api/v1/auth/me").get_json()
    assert me["memberships"][0]["role"] == "admin"
    assert me["memberships"][0]["organization_kind"] == body["kind"]


def test_chinese_text_round_trips_byte_for_byte(user_client):
    name = "广州·越秀　跨境电商（集团）有限公司 🚢 é́"  # ideographic space, emoji, combining mark
    description = "第一行\n第二行\t制表符 «引号» ＡＢＣ"
    resp = user_client.post(URL, json=enterprise_body(name=name, description=description))
    assert resp.status_code == 201
    assert name.encode() in resp.data  # UTF-8 on the wire, not \\u escapes
    org_id = resp.get_json()["id"]
    got = user_client.get(f"{URL}/{org_id}").get_json()
    assert got["name"].encode() == name.encode()
    assert got["description"].encode() == description.encode()


@pytest.mark.parametrize(
    "uscc",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4A",  # wrong check character (letter)
        "91350100M000100YX3",  # one body character changed
    ],
)
def test_bad_uscc_check_character_is_422_naming_uscc(user_client, uscc):
    errors = validation_errors(user_client.post(URL, json=enterprise_body(uscc=uscc)))
    assert list(errors) == ["uscc"]
    assert "check" in errors["uscc"][0]


@pytest.mark.parametrize(
    "uscc",
    [
        "91350100I000100Y43",  # I is never used
        "91350100O000100Y43",  # O
        "91350100S000100Y43",  # S
        "91350100V000100Y43",  # V
        "91350100Z000100Y43",  # Z
        "91350100m000100y43",  # lower case
        "９1350100M000100Y43",  # full-width digit
        "91350100M00010-Y43",
    ],
)
def test_uscc_with_characters_outside_the_alphabet_is_422(user_client, uscc):
    errors = validation_errors(user_client.post(URL, json=enterprise_body(uscc=uscc)))
    assert "uscc" in errors
    assert "not allowed" in errors["uscc"][0]


@pytest.mark.parametrize("uscc", ["", "91350100M000100Y4", "91350100M000100Y430", "9" * 40])
def test_uscc_of_wrong_length_is_422(user_client, uscc):
    errors = validation_errors(user_client.post(URL, json=enterprise_body(uscc=uscc)))
    assert "uscc" in errors
    assert "18" in errors["uscc"][0]


@pytest.mark.parametrize("field", ["uscc", "size"])
def test_enterprise_needs_uscc_and_size(user_client, field):
    body = enterprise_body()
    del body[field]
    assert field in validation_errors(user_client.post(URL, json=body))


@pytest.mark.parametrize("field", ["school_code", "level"])
def test_university_needs_school_code_and_level(user_client, field):
    body = university_body()
    del body[field]
    assert field in validation_errors(user_client.post(URL, json=body))


@pytest.mark.parametrize(
    "school_code",
    ["123456789", "12345678901", "12345678A0", "１２３４５６７８９０", "", "12345 6789"],
)
def test_school_code_must_be_10_digits(user_client, school_code):
    errors = validation_errors(user_client.post(URL, json=university_body(school_code=school_code)))
    assert "school_code" in errors


def test_university_level_must_be_a_known_code(user_client):
    errors = validation_errors(user_client.post(URL, json=university_body(level="doctoral")))
    assert "level" in errors


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (university_body, "uscc", "91350100M000100Y43"),
        (university_body, "size", "small"),
        (university_body, "platforms", ["amazon"]),
        (enterprise_body, "school_code", "4144010559"),
        (enterprise_body, "level", "undergraduate"),
        (enterprise_body, "majors", [{"code": "e-commerce", "yearly_graduates": 1}]),
        (government_body, "uscc", "91350100M000100Y43"),
        (government_body, "school_code", "4144010559"),
        (association_body, "size", "micro"),
        (association_body, "majors", [{"code": "marketing", "yearly_graduates": 1}]),
    ],
)
def test_fields_of_another_kind_are_422(user_client, make, field, value):
    errors = validation_errors(user_client.post(URL, json=make(**{field: value})))
    assert field in errors


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (enterprise_body, "district", "shenzhen"),
        (enterprise_body, "platforms", ["amazon", "myspace"]),
        (enterprise_body, "size", "huge"),
        (university_body, "majors", [{"code": "astrology", "yearly_graduates": 10}]),
        (government_body, "district", "Tianhe"),  # codes are exact, lower case
    ],
)
def test_unknown_taxonomy_codes_are_422_naming_the_field(user_client, make, field, value):
    errors = validation_errors(user_client.post(URL, json=make(**{field: value})))
    assert list(errors) == [field]


def test_duplicate_major_is_422(user_client):
    majors = [
        {"code": "marketing", "yearly_graduates": 1},
        {"code": "marketing", "yearly_graduates": 2},
    ]
    assert "majors" in validation_errors(user_client.post(URL, json=university_body(majors=majors)))


def test_negative_graduates_is_422(user_client):
    majors = [{"code": "marketing", "yearly_graduates": -1}]
    errors = validation_errors(user_client.post(URL, json=university_body(majors=majors)))
    assert any(k.startswith("majors") for k in errors)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "无类型", "district": "tianhe"},  # kind missing
        government_body(kind="ngo"),
        government_body(name=""),
        government_body(name="名" * 201),
        government_body(unexpected="field"),
        government_body(status="approved"),  # cannot self-approve
    ],
)
def test_invalid_bodies_are_422(user_client, body):
    assert validation_errors(user_client.post(URL, json=body))


def test_malformed_json_is_400(user_client):
    resp = user_client.post(URL, data="{not json", content_type="application/json")
    assert_problem(resp, 400)


def test_duplicate_uscc_is_409(user_client):
    existing = factories.OrganizationFactory()
    resp = user_client.post(URL, json=enterprise_body(uscc=existing.uscc))
    assert_problem(resp, 409)
    # The same through the API twice.
    body = enterprise_body()
    assert user_client.post(URL, json=body).status_code == 201
    assert_problem(user_client.post(URL, json=enterprise_body(uscc=body["uscc"])), 409)


def test_duplicate_school_code_is_409(user_client):
    existing = factories.UniversityFactory()
    resp = user_client.post(URL, json=university_body(school_code=existing.school_code))
    assert_problem(resp, 409)


def test_rejected_create_leaves_no_membership(user_client):
    user_client.post(URL, json=enterprise_body(uscc="91350100M000100Y44"))
    assert user_client.get("/api/v1/auth/me").get_json()["memberships"] == []
