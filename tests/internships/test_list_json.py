"""On PostgreSQL the list page is serialised by the database: it must equal the portable page.

tests/internships/test_list.py runs every list case through both paths; here the two bodies
are compared field for field, with text that is hard to encode (quotes, backslashes, line
breaks, emoji), whole and fractional seconds, empty children, and both query plans.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin

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


def both(app, monkeypatch, query: dict, user=None) -> tuple[dict, dict]:
    """(portable path, PostgreSQL path) for the same query string, through the one function
    the route calls."""
    args = InternshipListArgs().load(query)
    user = user or AnonymousUserMixin()
    bodies = []
    for portable in (True, False):
        monkeypatch.setitem(app.config, "INTERNSHIP_LIST_PORTABLE", portable)
        with app.test_request_context():
            bodies.append(json.loads(listing.page_response(args, user).get_data(as_text=True)))
    return bodies[0], bodies[1]


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.parametrize("few", [0, 10_000], ids=["walk the index", "gather and sort"])
def test_the_database_page_equals_the_portable_page(app, monkeypatch, few):
    monkeypatch.setattr(listing_json, "FEW", few)
    enterprise = factories.OrganizationFactory()
    whole_second = datetime(2026, 11, 20, 8, 30, 0, tzinfo=UTC)
    for number in range(7):
        InternshipFactory(
            enterprise_id=enterprise.id,
            title=f'跨境电商 "运营" \\ 实习生 {number}',
            description="含换行\n与 emoji 🚀 的描述",
            published_at=whole_second - timedelta(hours=number, microseconds=number * 1234),
            competencies={"english": 3, "data-analysis": 2, "ai-tools": 1} if number % 2 else {},
            majors=["marketing", "e-commerce"] if number % 3 else [],
            languages=["ja", "en"],
            stipend_min=None if number == 3 else 3000,
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
        portable, database = both(app, monkeypatch, query, staff)
        assert database == portable, query
    walked = []
    after = None
    for _ in range(5):
        query = {"per_page": "3", **({"after": after} if after else {})}
        portable, database = both(app, monkeypatch, query)
        assert database == portable
        walked += [item["id"] for item in database["items"]]
        after = database["next_after"]
        if after is None:
            break
    assert len(walked) == 7
    first = both(app, monkeypatch, {})[1]["items"][0]
    assert first["published_at"] == "2026-11-20T08:30:00Z"
    assert first["competencies"] == []
