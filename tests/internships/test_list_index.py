"""The in-process index of the postings (listing_index.py) gives the same pages as the
filtered SQL, and follows every change at once.

PostgreSQL only: the index serves the database path (SQLite lists through the portable one,
which never uses it). Each case compares the body with the index on and off
(INTERNSHIP_LIST_INDEX), so the SQL is the reference.
"""

from __future__ import annotations

import os
import random
from datetime import date, timedelta

import pytest

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.internships import listing_index, listing_json
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL, body, enterprise_staff

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith(("postgresql", "postgres:")),
    reason="the index serves the PostgreSQL path",
)
VALUES = {
    "category": ["marketing", "data", "technical"],
    "district": ["tianhe", "panyu", "haizhu"],
    "mode": ["onsite", "remote", "hybrid"],
    "competency": ["english", "data-analysis", "platform-operation"],
    "major": ["e-commerce", "marketing"],
    "language": ["en", "es"],
    "status": ["open", "closed", "filled"],
    "kind": ["internship", "full_time", "part_time", "flexible"],
    "salary_band": ["4000-6000", "6000-8000"],
}


@pytest.fixture(autouse=True)
def database_path(app, monkeypatch):
    """The database path (the one that uses the index), whatever the environment says."""
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_PORTABLE", False)
    monkeypatch.setitem(app.config, "INTERNSHIP_PAGE_CACHE", False)


def _both(client, app, monkeypatch, query: dict) -> dict:
    """The body with the index, after checking it equals the body without."""
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_INDEX", False)
    reference = client.get(URL, query_string=query)
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_INDEX", True)
    served = []
    real = listing_json._from_index
    monkeypatch.setattr(listing_json, "_from_index", lambda *a: _kept(served, real(*a)))
    indexed = client.get(URL, query_string=query)
    assert indexed.status_code == reference.status_code == 200, indexed.get_json()
    assert served, "the database path was taken"
    assert served[0] is not None, "the index answered"
    assert indexed.get_json() == reference.get_json(), query
    return indexed.get_json()


def _kept(served: list, value):
    served.append(value)
    return value


def _corpus(enterprises: list[int], count: int = 45) -> None:
    rng = random.Random(3)  # noqa: S311 (test data)
    now, today = utcnow(), date.today()
    for k in range(count):
        kind = rng.choice(VALUES["kind"])
        InternshipFactory(
            kind=kind,
            # Bands on jobs only (internships have none: NULL is a word of its own).
            salary_band=None if kind == "internship" else rng.choice(VALUES["salary_band"]),
            contract_type="fixed-term" if kind == "full_time" else None,
            enterprise_id=rng.choice(enterprises),
            category=rng.choice(VALUES["category"]),
            district=rng.choice(VALUES["district"]),
            mode=rng.choice(VALUES["mode"]),
            status=rng.choice(["open", "open", "closed", "filled", "draft"]),
            # Ties on both sort keys, so the id decides as in SQL.
            published_at=now - timedelta(hours=rng.randint(0, 5)),
            apply_by=today + timedelta(days=rng.randint(1, 4)),
            competencies={c: 2 for c in rng.sample(VALUES["competency"], rng.randint(0, 2))},
            majors=rng.sample(VALUES["major"], rng.randint(0, 2)),
            languages=rng.sample(VALUES["language"], rng.randint(0, 2)),
            title=f"岗位 {k}",
        )


def _queries(enterprises: list[int], count: int = 60) -> list[dict]:
    rng = random.Random(4)  # noqa: S311
    out = [{}]
    for _ in range(count):
        query = {name: rng.choice(v) for name, v in VALUES.items() if rng.random() < 0.3}
        if rng.random() < 0.15:
            query["enterprise_id"] = rng.choice(enterprises)
        if rng.random() < 0.15:
            query[rng.choice(["category", "competency"])] = "unknown-code"
        query["sort"] = rng.choice(["-published_at", "apply_by"])
        query["per_page"] = rng.choice([2, 5, 20])
        query["page"] = rng.choice([1, 1, 2, 3])
        out.append(query)
    return out


def test_every_filter_mix_and_page_equals_the_sql(client, app, monkeypatch):
    enterprises = [enterprise_staff()[0].id for _ in range(3)]
    _corpus(enterprises)
    for query in _queries(enterprises):
        _both(client, app, monkeypatch, query)


@pytest.mark.parametrize("sort", ["-published_at", "apply_by"])
def test_keyset_pages_equal_the_sql(client, app, monkeypatch, sort):
    enterprises = [enterprise_staff()[0].id for _ in range(2)]
    _corpus(enterprises, count=25)
    for filters in ({}, {"mode": "onsite"}, {"competency": "english", "status": "closed"}):
        after, seen = None, []
        while True:
            query = {**filters, "sort": sort, "per_page": 3, **({"after": after} if after else {})}
            page = _both(client, app, monkeypatch, query)
            seen += [item["id"] for item in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert len(seen) == len(set(seen)) == page["total"]


def test_changes_show_at_once(client, app, monkeypatch, as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id, district="panyu", majors=["marketing"])
    query = {"district": "panyu", "major": "marketing"}
    assert _both(client, app, monkeypatch, query)["total"] == 1
    staff_client = as_user(staff)
    changed = staff_client.patch(f"{URL}/{posting.id}", json={"majors": ["e-commerce"]})
    assert changed.status_code == 200, changed.get_json()
    assert _both(client, app, monkeypatch, query)["total"] == 0
    assert _both(client, app, monkeypatch, {"major": "e-commerce"})["total"] == 1
    assert staff_client.post(f"{URL}/{posting.id}/close").status_code == 200
    assert _both(client, app, monkeypatch, {"major": "e-commerce"})["total"] == 0
    assert _both(client, app, monkeypatch, {"status": "closed"})["total"] == 1
    # A new posting, published: listed at once.
    created = staff_client.post(URL, json=body(org.id, district="panyu", majors=["marketing"]))
    assert staff_client.post(f"{URL}/{created.get_json()['id']}/publish").status_code == 200
    assert _both(client, app, monkeypatch, query)["total"] == 1


def test_a_change_of_kind_shows_at_once(client, app, monkeypatch, as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id, status="draft", published_at=None)
    assert _both(client, app, monkeypatch, {"kind": "full_time"})["total"] == 0
    job = {"kind": "full_time", "salary_band": "8000-10000", "contract_type": "open-ended"}
    staff_client = as_user(staff)
    assert staff_client.patch(f"{URL}/{posting.id}", json=job).status_code == 200
    assert staff_client.post(f"{URL}/{posting.id}/publish").status_code == 200
    assert _both(client, app, monkeypatch, {"kind": "full_time"})["total"] == 1
    assert _both(client, app, monkeypatch, {"salary_band": "8000-10000"})["total"] == 1
    assert _both(client, app, monkeypatch, {"kind": "internship"})["total"] == 0
    patched = staff_client.patch(f"{URL}/{posting.id}", json={"salary_band": "6000-8000"})
    assert patched.status_code == 200, patched.get_json()
    assert _both(client, app, monkeypatch, {"salary_band": "8000-10000"})["total"] == 0
    assert _both(client, app, monkeypatch, {"salary_band": "6000-8000"})["total"] == 1


def test_postings_gone_from_the_table_leave_the_index(client, app, monkeypatch):
    from cbec_alliance.extensions import db

    kept = InternshipFactory(district="haizhu")
    gone = InternshipFactory(district="haizhu")
    assert _both(client, app, monkeypatch, {"district": "haizhu"})["total"] == 2
    db.session.delete(gone)  # as a cascade or a rolled-back test would
    db.session.flush()
    InternshipFactory(district="tianhe")  # the next change the index reads
    page = _both(client, app, monkeypatch, {"district": "haizhu"})
    assert [item["id"] for item in page["items"]] == [kept.id]


def test_an_index_is_read_once_then_patched(client, app, monkeypatch):
    InternshipFactory()
    listing_index.INDEX.clear()
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_INDEX", True)
    reads = []
    real = listing_index._read_all
    monkeypatch.setattr(
        listing_index, "_read_all", lambda *a: reads.append(1) or real(*a), raising=True
    )
    client.get(URL)
    posting = InternshipFactory()
    posting.title = "改过"
    client.get(URL)
    assert reads == [1]
