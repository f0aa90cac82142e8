"""Lists: `?page&per_page` (at most 100) and the `{items, total, page, per_page}` envelope."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors

ORGS = "/api/v1/organizations"


def test_envelope_and_defaults(client):
    factories.OrganizationFactory()
    body = client.get(ORGS).get_json()
    assert set(body) == {"items", "total", "page", "per_page"}
    assert body["page"] == 1
    assert body["per_page"] == 20
    assert isinstance(body["items"], list)
    assert body["total"] >= 1


def test_pages_partition_the_list(client):
    base = client.get(ORGS).get_json()["total"]
    created = {factories.OrganizationFactory().id for _ in range(5)}
    total = base + 5
    seen: list[int] = []
    page = 1
    while True:
        body = client.get(f"{ORGS}?page={page}&per_page=2").get_json()
        assert body["total"] == total
        assert body["page"] == page
        assert body["per_page"] == 2
        assert len(body["items"]) <= 2
        if not body["items"]:
            break
        seen += [item["id"] for item in body["items"]]
        page += 1
    assert len(seen) == len(set(seen)) == total
    assert created <= set(seen)


def test_page_past_the_end_is_empty_not_404(client):
    body = client.get(f"{ORGS}?page=1000").get_json()
    assert body["items"] == []
    assert body["page"] == 1000


def test_per_page_100_is_allowed(client):
    assert client.get(f"{ORGS}?per_page=100").get_json()["per_page"] == 100


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=-1", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=1.5", "per_page"),
    ],
)
def test_bad_paging_is_422(client, query, field):
    assert set(validation_errors(client.get(f"{ORGS}?{query}"))) == {field}


def test_every_paginated_list_caps_per_page(app, as_user):
    # Every list that takes `per_page` refuses more than 100, whoever asks.
    c = as_user(factories.CoordinatorFactory())
    spec = c.get("/api/openapi.json").get_json()
    checked = 0
    for path, item in spec["paths"].items():
        get = item.get("get")
        if not get or "{" in path:
            continue
        names = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
        if "per_page" not in names:
            continue
        checked += 1
        resp = c.get(f"{path}?per_page=101")
        assert "per_page" in validation_errors(resp), path
        resp = c.get(f"{path}?per_page=1")
        if resp.status_code == 200:
            body = resp.get_json()
            assert {"items", "total", "page", "per_page"} <= set(body), path
            assert len(body["items"]) <= 1
        else:
            assert_problem(resp, resp.status_code)
    assert checked >= 2


def _names(client, q: str) -> set[str]:
    body = client.get(ORGS, query_string={"q": q, "per_page": 100}).get_json()
    return {item["name"] for item in body["items"]}


def test_q_is_a_case_insensitive_substring_search_with_chinese(client):
    factories.OrganizationFactory(name="广州星河跨境电商有限公司", name_en="Galaxy CBEC Ltd")
    factories.OrganizationFactory(name="深圳月光贸易", name_en="Moonlight Trading")
    assert _names(client, "星河") == {"广州星河跨境电商有限公司"}
    assert _names(client, "galaxy") == {"广州星河跨境电商有限公司"}
    assert _names(client, "MOONLIGHT") == {"深圳月光贸易"}


@pytest.mark.parametrize("q", ["%", "_", "\\", "100%", "a_b", "'", '"'])
def test_q_treats_wildcards_and_quotes_literally(client, q):
    literal = factories.OrganizationFactory(name=f"字面{q}公司").name
    factories.OrganizationFactory(name="普通公司axb 100 x")  # matches if wildcards leak
    assert _names(client, q) == {literal}
