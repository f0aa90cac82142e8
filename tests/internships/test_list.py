"""GET /api/v1/internships: filters, q over Chinese text, sort, pages and keyset cursors.

On PostgreSQL every case runs twice, once through each way of building a page
(internships/listing.py): the page PostgreSQL builds as JSON, and the portable one built in
Python, the only one on SQLite.
"""

from __future__ import annotations

import functools
import os
from datetime import date, timedelta

import pytest

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.internships import listing, listing_json
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL, enterprise_staff

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgresql", "postgres:"))
# Each path, and the function that builds its pages.
PATHS = {"database": (listing_json, "page_response"), "portable": (listing, "page")}


@pytest.fixture(autouse=True, params=["database", "portable"] if ON_POSTGRES else ["portable"])
def path(request, app, monkeypatch):
    """List through one path only; gives the paths pages took, checked afterwards."""
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_PORTABLE", request.param == "portable")
    taken = []
    for name, (module, function) in PATHS.items():
        real = getattr(module, function)

        @functools.wraps(real)
        def spy(*args, _real=real, _name=name, **kwargs):
            taken.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, function, spy)
    yield taken
    assert set(taken) <= {request.param}, taken


def test_each_path_builds_the_pages_it_is_asked_for(client, path, request):
    posting = InternshipFactory()
    assert _ids(client.get(URL)) == [posting.id]
    assert path == [request.node.callspec.params["path"]]


def _ids(resp) -> list[int]:
    assert resp.status_code == 200, resp.get_json()
    return [i["id"] for i in resp.get_json()["items"]]


def test_default_lists_open_postings_newest_first(client):
    now = utcnow()
    old = InternshipFactory(published_at=now - timedelta(days=3))
    new = InternshipFactory(published_at=now - timedelta(days=1))
    InternshipFactory(status="draft", published_at=None)
    InternshipFactory(status="closed")
    body = client.get(URL).get_json()
    assert [i["id"] for i in body["items"]] == [new.id, old.id]
    assert body["total"] == 2
    assert body["page"] == 1
    assert body["per_page"] == 20
    item = body["items"][0]
    assert item["competencies"] == [{"code": "platform-operation", "min_level": 2}]
    assert item["majors"] == ["e-commerce"]
    assert item["hours_per_day"] == 8.0
    assert item["published_at"].endswith("Z")


def test_filters_combine(client):
    hit = InternshipFactory(
        category="data",
        district="nansha",
        mode="remote",
        competencies={"data-analysis": 3, "english": 2},
        majors=["marketing"],
        languages=["es"],
    )
    InternshipFactory(category="data", district="nansha", mode="onsite")
    InternshipFactory(category="marketing", district="nansha", mode="remote")
    InternshipFactory(competencies={"data-analysis": 1}, district="tianhe")
    query = {
        "category": "data",
        "district": "nansha",
        "mode": "remote",
        "competency": "data-analysis",
        "major": "marketing",
        "language": "es",
        "enterprise_id": hit.enterprise_id,
    }
    assert _ids(client.get(URL, query_string=query)) == [hit.id]
    for key in query:
        # Each filter alone keeps the hit.
        assert hit.id in _ids(client.get(URL, query_string={key: query[key]}))
    assert _ids(client.get(URL, query_string={**query, "language": "ru"})) == []


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("运营", True),
        ("跨境电商", True),
        ("AMAZON", True),
        ("amazon", True),
        ("数据分析", True),
        ("物流", False),
        ("100%", False),
        ("_", False),
    ],
)
def test_q_is_a_case_insensitive_substring_of_title_or_description(client, text, hit):
    posting = InternshipFactory(title="跨境电商运营实习生", description="Amazon 店铺与数据分析")
    assert (posting.id in _ids(client.get(URL, query_string={"q": text}))) is hit


def test_sort_by_apply_by_then_id(client):
    today = date.today()
    late = InternshipFactory(apply_by=today + timedelta(days=9))
    soon = InternshipFactory(apply_by=today + timedelta(days=2))
    soon2 = InternshipFactory(apply_by=today + timedelta(days=2))
    assert _ids(client.get(URL, query_string={"sort": "apply_by"})) == [soon.id, soon2.id, late.id]


def _walk_keyset(client, **query):
    ids, after = [], None
    while True:
        qs = {**query, "per_page": 3, **({"after": after} if after else {})}
        body = client.get(URL, query_string=qs).get_json()
        ids += [i["id"] for i in body["items"]]
        after = body["next_after"]
        if after is None:
            return ids


@pytest.mark.parametrize("sort", ["-published_at", "apply_by"])
def test_keyset_walk_equals_the_page_walk(client, sort):
    now = utcnow()
    today = date.today()
    for number in range(10):
        # Shared timestamps and dates: the id tie-break must keep the order total.
        InternshipFactory(
            published_at=now - timedelta(hours=number // 3),
            apply_by=today + timedelta(days=1 + number % 4),
        )
    pages = []
    for page in range(1, 5):
        pages += _ids(client.get(URL, query_string={"sort": sort, "per_page": 3, "page": page}))
    assert len(pages) == 10
    assert _walk_keyset(client, sort=sort) == pages


def test_taken_down_list_walks_published_then_never_published(coord):
    now = utcnow()
    published = [
        InternshipFactory(status="taken_down", published_at=now - timedelta(hours=n))
        for n in range(4)
    ]
    drafts = [InternshipFactory(status="taken_down", published_at=None) for _ in range(3)]
    expected = [p.id for p in published] + sorted((d.id for d in drafts), reverse=True)
    pages = []
    for page in range(1, 4):
        query = {"status": "taken_down", "per_page": 3, "page": page}
        pages += _ids(coord.get(URL, query_string=query))
    assert pages == expected
    assert _walk_keyset(coord, status="taken_down") == expected


@pytest.mark.parametrize(
    "after", ["garbage", "W10", "WyJhcHBseV9ieSIsIjIwMjYtMDEtMDEiLDFd", "bnVsbA", "%%%"]
)
def test_bad_cursors_are_422(client, after):
    assert "after" in validation_errors(client.get(URL, query_string={"after": after}))


@pytest.mark.parametrize(
    "query",
    [
        {"per_page": 0},
        {"per_page": 101},
        {"page": 0},
        {"sort": "title"},
        {"status": "lost"},
        {"mode": "x"},
        {"enterprise_id": "abc"},
        {"q": "x" * 201},
        {"q": "\x00"},
    ],
)
def test_bad_list_arguments_are_422(client, query):
    errors = validation_errors(client.get(URL, query_string=query))
    assert set(query) & set(errors), errors


def test_drafts_list_only_for_insiders(client, as_user):
    org, staff = enterprise_staff()
    mine = InternshipFactory(enterprise_id=org.id, status="draft", published_at=None)
    theirs = InternshipFactory(status="draft", published_at=None)
    assert _ids(client.get(URL, query_string={"status": "draft"})) == []
    assert _ids(as_user(staff).get(URL, query_string={"status": "draft"})) == [mine.id]
    coordinator = factories.CoordinatorFactory()
    seen = _ids(as_user(coordinator).get(URL, query_string={"status": "draft"}))
    assert set(seen) == {mine.id, theirs.id}
    drafts = _walk_keyset(as_user(staff), status="draft")
    assert drafts == [mine.id]


def test_total_counts_every_match_not_the_page(client):
    for _ in range(5):
        InternshipFactory(category="technical")
    body = client.get(URL, query_string={"category": "technical", "per_page": 2}).get_json()
    assert body["total"] == 5
    assert len(body["items"]) == 2
    assert body["next_after"]
    last = client.get(URL, query_string={"category": "technical", "per_page": 2, "page": 3})
    assert len(last.get_json()["items"]) == 1
    assert last.get_json()["next_after"] is None


def test_chinese_round_trips_byte_for_byte(client):
    title = "越南语客服实习生（胡志明市）— Tiếng Việt 😀"
    InternshipFactory(title=title)
    resp = client.get(URL)
    assert title.encode() in resp.data
    assert_problem(client.get(f"{URL}/0"), 404)


def test_totals_and_pages_follow_every_change_to_the_postings(client, as_user):
    org, staff = enterprise_staff()
    staff_client = as_user(staff)
    first = InternshipFactory(enterprise_id=org.id, competencies={"english": 2})

    def totals():
        return [
            client.get(URL, query_string=q).get_json()["total"]
            for q in ({}, {"competency": "english"}, {"q": "直播"})
        ]

    assert totals() == [1, 1, 0]
    draft = InternshipFactory(
        enterprise_id=org.id, status="draft", published_at=None, title="TikTok 直播运营"
    )
    assert totals() == [1, 1, 0]
    assert staff_client.post(f"{URL}/{draft.id}/publish").status_code == 200
    assert totals() == [2, 1, 1]
    english = {"competencies": [{"code": "english", "min_level": 1}]}
    resp = staff_client.patch(f"{URL}/{draft.id}", json=english)
    assert resp.status_code == 200, resp.get_json()
    assert totals() == [2, 2, 1]
    assert _ids(client.get(URL)) == [draft.id, first.id]
    assert staff_client.post(f"{URL}/{first.id}/close").status_code == 200
    assert totals() == [1, 1, 1]
    assert _ids(client.get(URL)) == [draft.id]
    resp = staff_client.patch(f"{URL}/{draft.id}", json={"title": "改过的标题"})
    assert resp.status_code == 200, resp.get_json()
    assert client.get(URL).get_json()["items"][0]["title"] == "改过的标题"
    closed = client.get(URL, query_string={"status": "closed"}).get_json()
    assert [closed["total"], [i["id"] for i in closed["items"]]] == [1, [first.id]]


@pytest.mark.parametrize("status", ["open", "closed", "filled"])
def test_a_single_requirement_filter_counts_only_postings_of_the_status(client, status):
    for number, state in enumerate(["draft", "open", "open", "closed", "filled", "taken_down"] * 2):
        InternshipFactory(
            status=state,
            published_at=None if state == "draft" else utcnow(),
            competencies={"english": 2} if number % 3 else {"english": 1, "data-analysis": 2},
            majors=["marketing"] if number % 2 else [],
            languages=["es", "en"] if number % 4 == 0 else ["en"],
        )
    for name, code in [("competency", "english"), ("major", "marketing"), ("language", "es")]:
        body = client.get(URL, query_string={name: code, "status": status, "per_page": 100})
        got = body.get_json()
        assert got["total"] == len(got["items"]), (name, status)
    both = client.get(URL, query_string={"competency": "english", "language": "es"}).get_json()
    assert both["total"] == len(both["items"])
