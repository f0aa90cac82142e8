"""GET/POST/PATCH /api/v1/taxonomy/{vocabulary}: the stable codes, bilingual labels, editing."""

from __future__ import annotations

import re

import pytest

from cbec_alliance.taxonomy.models import VOCABULARIES
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.organizations.helpers import enterprise_body

URL = "/api/v1/taxonomy"

# domain.md, section "Codes": clients and tests use exactly these.
CODES = {
    "job-categories": {"marketing", "technical", "management", "procurement", "data", "other"},
    "majors": {
        "e-commerce",
        "foreign-languages",
        "international-business",
        "product-related",
        "international-economics-trade",
        "marketing",
        "logistics-management",
        "computer-science",
    },
    "competencies": {
        "marketing",
        "platform-operation",
        "cross-cultural-communication",
        "english",
        "international-logistics",
        "data-analysis",
        "ai-tools",
        "minor-languages",
        "product-sourcing",
        "customer-service",
        "content-creation",
    },
    "qualities": {
        "professional-ethics",
        "honesty",
        "business-etiquette",
        "interpersonal-skills",
        "language-communication",
        "text-editing",
        "self-learning",
        "innovation",
        "organization-coordination",
        "teamwork",
    },
    "training-needs": {
        "platform-operation",
        "enterprise-management",
        "ecommerce-technology",
        "internet-marketing",
        "other",
    },
    "training-channels": {
        "higher-education",
        "in-company",
        "commercial-training",
        "online-platform",
    },
    "cooperation-modes": {
        "internship-employment",
        "lectures",
        "co-developed-courses",
        "joint-teaching",
        "joint-training-bases",
        "joint-competitions",
    },
    "languages": set(
        "en es ru ar pt fr de ja ko th vi id ms tr it pl zh".split()  # noqa: SIM905
    ),
    "districts": {
        "yuexiu",
        "haizhu",
        "liwan",
        "tianhe",
        "baiyun",
        "huangpu",
        "panyu",
        "huadu",
        "nansha",
        "conghua",
        "zengcheng",
    },
    "platforms": {
        "amazon",
        "aliexpress",
        "ebay",
        "shopee",
        "lazada",
        "tiktok-shop",
        "temu",
        "shein",
        "alibaba-com",
        "own-site",
        "other",
    },
    "enterprise-sizes": {"micro", "small", "medium", "large"},
    "university-levels": {"undergraduate", "vocational"},
    "certificate-levels": {"junior", "intermediate", "senior"},
    "certificates": {"cbec-b2b-data-operation"},
    "salary-bands": {
        "below-4000",
        "4000-6000",
        "6000-8000",
        "8000-10000",
        "10000-15000",
        "above-15000",
    },
    "contract-types": {"fixed-term", "open-ended", "project", "labour-dispatch"},
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _items(client, vocabulary: str) -> list[dict]:
    resp = client.get(f"{URL}/{vocabulary}")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["vocabulary"] == vocabulary
    return body["items"]


def test_every_vocabulary_of_the_contract_is_known():
    assert set(CODES) == set(VOCABULARIES)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_vocabulary_has_the_domain_codes_with_bilingual_labels(client, vocabulary):
    items = _items(client, vocabulary)
    for item in items:
        expected = {"code", "name_en", "name_zh"} | (
            {"details"} if vocabulary == "certificates" else set()
        )
        assert set(item) == expected
        assert item["name_en"].strip()
        assert item["name_zh"].strip()
        if vocabulary != "platforms":  # brand names (TikTok Shop, Temu) stay as they are
            assert HAN.search(item["name_zh"]), item  # a Chinese label, not the English copied
    codes = [i["code"] for i in items]
    assert len(codes) == len(set(codes))
    assert CODES[vocabulary] <= set(codes)


def test_labels_are_the_expected_ones(client):
    by_code = {i["code"]: i for i in _items(client, "districts")}
    assert by_code["tianhe"]["name_en"] == "Tianhe"
    assert "天河" in by_code["tianhe"]["name_zh"]
    assert b"\\u" not in client.get(f"{URL}/districts").data  # UTF-8, not escapes
    job = {i["code"]: i for i in _items(client, "job-categories")}
    assert job["marketing"]["name_en"].startswith("Marketing")


def test_vocabulary_keeps_display_order(client):
    codes = [i["code"] for i in _items(client, "enterprise-sizes")]
    assert codes[:4] == ["micro", "small", "medium", "large"]


@pytest.mark.parametrize("name", ["colours", "JOB-CATEGORIES", "job_categories", "organizations"])
def test_unknown_vocabulary_is_404(client, coord, name):
    assert_problem(client.get(f"{URL}/{name}"), 404)
    body = {"code": "x", "name_en": "X", "name_zh": "某"}
    assert_problem(coord.post(f"{URL}/{name}", json=body), 404)
    assert_problem(coord.patch(f"{URL}/{name}/x", json={"name_en": "Y"}), 404)


def test_coordinator_adds_item(client, coord):
    body = {
        "code": "cross-border-live-streaming",
        "name_en": "Live streaming",
        "name_zh": "跨境直播",
    }
    resp = coord.post(f"{URL}/competencies", json=body)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json() == body
    items = _items(client, "competencies")
    assert items[-1] == body  # appended after the seeded ones
    log = coord.get("/api/v1/audit-log", query_string={"object_type": "taxonomy_items"}).get_json()
    assert log["items"][0]["action"] == "create"
    assert log["items"][0]["changes"]["code"] == "cross-border-live-streaming"
    assert log["items"][0]["organization_id"] is None


def test_added_code_is_accepted_by_organizations(as_user, coord):
    coord.post(
        f"{URL}/platforms",
        json={"code": "mercado-libre", "name_en": "Mercado Libre", "name_zh": "美客多"},
    )
    c = as_user(factories.UserFactory())
    resp = c.post("/api/v1/organizations", json=enterprise_body(platforms=["mercado-libre"]))
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["platforms"] == ["mercado-libre"]


def test_same_code_in_another_vocabulary_is_fine(coord):
    body = {"code": "tianhe", "name_en": "Tianhe", "name_zh": "天河"}
    assert coord.post(f"{URL}/majors", json=body).status_code == 201


def test_duplicate_code_is_409(client, coord):
    body = {"code": "marketing", "name_en": "Marketing again", "name_zh": "营销"}
    assert_problem(coord.post(f"{URL}/job-categories", json=body), 409)
    labels = [i["name_en"] for i in _items(client, "job-categories") if i["code"] == "marketing"]
    assert labels == ["Marketing (promotion, customer service, logistics)"]


@pytest.mark.parametrize(
    "code",
    [
        "Upper",
        "with space",
        "under_score",
        "-leading-hyphen",
        "",
        "a" * 61,
        "数据",
        "new-code\n",  # a trailing newline must not slip past the pattern
        "dot.ted",
    ],
)
def test_bad_code_format_is_422(client, coord, code):
    body = {"code": code, "name_en": "Something", "name_zh": "某物"}
    assert "code" in validation_errors(coord.post(f"{URL}/competencies", json=body))
    assert code not in {i["code"] for i in _items(client, "competencies")}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "ok-code", "name_zh": "好"}, "name_en"),
        ({"code": "ok-code", "name_en": "Ok"}, "name_zh"),
        ({"code": "ok-code", "name_en": "", "name_zh": "好"}, "name_en"),
        ({"code": "ok-code", "name_en": "Ok", "name_zh": "好", "position": 1}, "position"),
    ],
)
def test_incomplete_item_is_422(coord, body, field):
    assert field in validation_errors(coord.post(f"{URL}/competencies", json=body))


def test_code_max_length_60_is_fine(coord):
    code = "a" * 60
    body = {"code": code, "name_en": "Long", "name_zh": "长"}
    assert coord.post(f"{URL}/qualities", json=body).status_code == 201


def test_coordinator_renames_item(client, coord):
    resp = coord.patch(
        f"{URL}/districts/huangpu", json={"name_en": "Huangpu District", "name_zh": "黄埔区"}
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {
        "code": "huangpu",
        "name_en": "Huangpu District",
        "name_zh": "黄埔区",
    }
    by_code = {i["code"]: i for i in _items(client, "districts")}
    assert by_code["huangpu"]["name_zh"] == "黄埔区"
    log = coord.get(
        "/api/v1/audit-log", query_string={"object_type": "taxonomy_items", "action": "rename"}
    ).get_json()["items"]
    assert log[0]["changes"]["name_en"]["to"] == "Huangpu District"


def test_rename_one_label_keeps_the_other(client, coord):
    before = {i["code"]: i for i in _items(client, "languages")}["ar"]
    resp = coord.patch(f"{URL}/languages/ar", json={"name_zh": "阿拉伯语（标准）"})
    assert resp.status_code == 200
    after = {i["code"]: i for i in _items(client, "languages")}["ar"]
    assert after == {**before, "name_zh": "阿拉伯语（标准）"}


@pytest.mark.parametrize("body", [{"code": "new"}, {"name_en": ""}, {"name_zh": None}])
def test_rename_cannot_change_code_or_blank_a_label(coord, body):
    assert validation_errors(coord.patch(f"{URL}/languages/en", json=body))


def test_rename_unknown_code_is_404(coord):
    assert_problem(coord.patch(f"{URL}/districts/shenzhen", json={"name_en": "Shenzhen"}), 404)


@pytest.mark.parametrize("role", ["admin", "staff", None])
def test_non_coordinators_cannot_edit(client, as_user, role, coord):
    user = (
        factories.member(factories.OrganizationFactory(), role) if role else factories.UserFactory()
    )
    c = as_user(user)
    body = {"code": "forbidden-code", "name_en": "No", "name_zh": "不"}
    assert_problem(c.post(f"{URL}/competencies", json=body), 403)
    assert_problem(c.patch(f"{URL}/competencies/english", json={"name_en": "Hacked"}), 403)
    names = {i["code"]: i["name_en"] for i in _items(client, "competencies")}
    assert "forbidden-code" not in names
    assert names["english"] != "Hacked"


def test_anonymous_cannot_edit(client):
    body = {"code": "anon-code", "name_en": "No", "name_zh": "不"}
    assert_problem(client.post(f"{URL}/competencies", json=body), 401)
    assert_problem(client.patch(f"{URL}/competencies/english", json={"name_en": "Hacked"}), 401)


def test_certificates_carry_their_issuer_levels_and_competencies(client, coord):
    seeded = {i["code"]: i for i in _items(client, "certificates")}
    b2b = seeded["cbec-b2b-data-operation"]
    assert b2b["name_zh"] == "跨境电商B2B数据运营"
    assert b2b["details"]["official_1x"] is True
    assert b2b["details"]["levels"] == ["junior", "intermediate", "senior"]
    body = {
        "code": "cbec-spanish-customer-service",
        "name_en": "Spanish customer service",
        "name_zh": "西语跨境客服",
        "details": {
            "issuer": "广州某协会",
            "levels": ["senior", "junior"],
            "competencies": ["customer-service", "minor-languages"],
        },
    }
    resp = coord.post(f"{URL}/certificates", json=body)
    assert resp.status_code == 201, resp.get_json()
    added = resp.get_json()
    assert added["details"]["levels"] == ["junior", "senior"]  # lowest first
    assert added["details"]["official_1x"] is False


@pytest.mark.parametrize(
    ("vocabulary", "details", "field"),
    [
        ("certificates", None, "details"),
        ("certificates", {"levels": ["junior"]}, "details.issuer"),
        ("certificates", {"issuer": "某", "levels": []}, "details.levels"),
        ("certificates", {"issuer": "某", "levels": ["master"]}, "details.levels"),
        (
            "certificates",
            {"issuer": "某", "levels": ["junior"], "competencies": ["magic"]},
            "details.competencies",
        ),
        ("competencies", {"issuer": "某", "levels": ["junior"]}, "details"),
    ],
)
def test_bad_certificate_details_are_422_naming_the_field(coord, vocabulary, details, field):
    body = {"code": "some-certificate", "name_en": "Some", "name_zh": "某证书"}
    if details is not None:
        body["details"] = details
    errors = validation_errors(coord.post(f"{URL}/{vocabulary}", json=body))
    assert any(k == field or k.startswith(f"{field}.") for k in errors), errors


def test_index_lists_every_vocabulary_with_names_and_counts(client, coord):
    body = client.get(URL).get_json()
    assert [v["name"] for v in body["items"]] == list(VOCABULARIES)
    majors = next(v for v in body["items"] if v["name"] == "majors")
    assert majors["name_zh"] == "专业"
    assert majors["name_en"] == "Majors"
    assert majors["count"] == len(client.get(f"{URL}/majors").get_json()["items"])
    new = {"code": "cbec-live-commerce", "name_en": "Live commerce", "name_zh": "直播电商"}
    assert coord.post(f"{URL}/majors", json=new).status_code == 201
    again = next(v for v in client.get(URL).get_json()["items"] if v["name"] == "majors")
    assert again["count"] == majors["count"] + 1


def test_unknown_vocabulary_names_the_valid_ones(client):
    body = assert_problem(client.get(f"{URL}/major"), 404)
    assert body["vocabularies"] == list(VOCABULARIES)
    assert "majors" in body["detail"]
    assert "job-categories" in body["detail"]
