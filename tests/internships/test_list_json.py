"""On PostgreSQL the list page is serialised by the database: it must equal the Python path."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cbec_alliance.internships import listing, listing_json
from cbec_alliance.internships.schemas import InternshipListArgs
from tests import factories
from tests.conftest import REQUIRE_SERVICES
from tests.internships.factories import InternshipFactory


@pytest.fixture
def on_postgres(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        message = "the database-built page exists only on PostgreSQL (TEST_DATABASE_URL)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)


def both(app, query: dict, user=None) -> tuple[dict, dict]:
    """(Python path, PostgreSQL path) for the same query string."""
    from flask_login import AnonymousUserMixin

    args = InternshipListArgs().load(query)
    user = user or AnonymousUserMixin()
    with app.test_request_context():
        python = json.loads(json.dumps(listing.page(args, user)))
        database = json.loads(listing_json.page_response(args, user).get_data(as_text=True))
    return python, database


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.parametrize("few", [0, 10_000], ids=["walk the index", "gather and sort"])
def test_the_database_page_equals_the_python_page(app, monkeypatch, few):
    monkeypatch.setattr(listing_json, "FEW", few)
    enterprise = factories.OrganizationFactory()
    whole_second = datetime(2026, 11, 20, 8, 30, 0, tzinfo=UTC)
    for n in range(7):
        InternshipFactory(
            enterprise_id=enterprise.id,
            title=f'跨境电商 "运营" \\ 实习生 {n}',
            description="含换行\n与 emoji 🚀 的描述",
            published_at=whole_second - timedelta(hours=n, microseconds=n * 1234),
            competencies={"english": 3, "data-analysis": 2, "ai-tools": 1} if n % 2 else {},
            majors=["marketing", "e-commerce"] if n % 3 else [],
            languages=["ja", "en"],
            stipend_min=None if n == 3 else 3000,
            status_reason=None,
        )
    InternshipFactory(enterprise_id=enterprise.id, status="draft", published_at=None)
    staff = factories.member(enterprise, "staff")
    queries = [
        {},
        {"per_page": "3"},
        {"per_page": "3", "page": "3"},
        {"per_page": "100", "page": "9"},
        {"sort": "apply_by", "per_page": "2"},
        {"q": "运营", "competency": "english"},
        {"status": "draft"},
    ]
    for query in queries:
        python, database = both(app, query, staff)
        assert database == python, query
    walked = []
    after = None
    for _ in range(5):
        query = {"per_page": "3", **({"after": after} if after else {})}
        python, database = both(app, query)
        assert database == python
        walked += [i["id"] for i in database["items"]]
        after = database["next_after"]
        if after is None:
            break
    assert len(walked) == 7
    first = both(app, {})[1]["items"][0]
    assert first["published_at"] == "2026-11-20T08:30:00Z"
    assert first["competencies"] == []
