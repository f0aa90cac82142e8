"""Lists: `?page&per_page` (at most 100) and the `{items, total, page, per_page}` envelope."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory

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


def _links(resp) -> dict[str, str]:
    """{rel: url} of a `Link` header (RFC 8288)."""
    links = {}
    for part in resp.headers.get("Link", "").split(", "):
        if part:
            url, rel = part.split("; ")
            links[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return links


def test_link_headers_walk_the_pages(client):
    for _ in range(5):
        factories.OrganizationFactory()
    total = client.get(ORGS).get_json()["total"]
    last = -(-total // 2)
    first = client.get(f"{ORGS}?per_page=2")
    links = _links(first)
    assert set(links) == {"first", "next", "last"}
    assert links["next"] == f"{ORGS}?per_page=2&page=2"
    assert links["last"] == f"{ORGS}?per_page=2&page={last}"
    seen, url = [], f"{ORGS}?per_page=2"
    while url:  # following `next` alone visits every item once
        resp = client.get(url)
        seen += [item["id"] for item in resp.get_json()["items"]]
        url = _links(resp).get("next")
    assert len(seen) == len(set(seen)) == total
    end = _links(client.get(links["last"]))
    assert "next" not in end
    assert end["prev"] == f"{ORGS}?per_page=2&page={last - 1}"


def test_link_headers_keep_the_filters(client):
    enterprise = factories.OrganizationFactory()
    for _ in range(3):
        InternshipFactory(enterprise_id=enterprise.id, district="panyu")
    url = "/api/v1/internships?district=panyu&per_page=1&q=%E8%B7%A8%E5%A2%83"
    for _ in range(2):  # built, then answered from the page cache: the same links
        links = _links(client.get(url))
        assert "district=panyu" in links["next"]
        assert "q=%E8%B7%A8%E5%A2%83" in links["next"]
        assert links["next"].endswith("page=2")
    cursor = client.get(url).get_json()["next_after"]
    following = client.get(f"{url}&after={cursor}")
    links = _links(following)
    assert set(links) == {"next"}  # cursor pages only go forward
    assert f"after={following.get_json()['next_after']}" in links["next"]


def test_no_link_header_on_errors_or_single_objects(client):
    assert "Link" not in client.get(f"{ORGS}?per_page=0").headers
    org = factories.OrganizationFactory()
    assert "Link" not in client.get(f"{ORGS}/{org.id}").headers
