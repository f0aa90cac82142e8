"""`q` on the internship list: terms of one, two and three characters, Chinese and English,
in any case, give exactly the postings whose title or description holds them.

On PostgreSQL the database path answers `q` from the in-process search texts
(listing_search.py; test_search_index.py compares it with the SQL), the SQL serving drafts
and the index switched off (terms under three characters through the index of characters
and character pairs of migration 0023, longer ones through the trigram index); SQLite takes
the plain substring condition. All must agree with Python's `in` on the lower-cased text. On
PostgreSQL each case runs through both ways of building a page (listing.py).
"""

from __future__ import annotations

import os
import random

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbec_alliance.extensions import db
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgresql", "postgres:"))
# Few letters, so that random terms of one to three of them often hit: Chinese, English in
# both cases, a space and LIKE's wildcards (which must match only themselves).
ALPHABET = "直播选品亚马逊运营aAbBsS _%"
TERMS = [
    ("播", "直播运营", True),
    ("直播", "TikTok 直播运营", True),
    ("选品", "Temu 选品助理", True),
    ("选品", "直播运营", False),
    ("亚马逊", "亚马逊店铺运营", True),
    ("亚马逊", "亚马店铺", False),
    ("s", "Shopee", True),
    ("SH", "Shopee 客服", True),
    ("sh", "SHOPEE", True),
    ("Ab", "aB", True),
    ("Ab", "a b", False),
    ("BI ", "power bi 报表", True),
    ("%", "100% 完成", True),
    ("%", "一百", False),
    ("_a", "x_A", True),
    ("_a", "xa", False),
]


@pytest.fixture(autouse=True, params=["database", "portable"] if ON_POSTGRES else ["portable"])
def path(request, app, monkeypatch):
    """List through one path only (the other is the portable one, forced by the config)."""
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_PORTABLE", request.param == "portable")


def _matches(client, term: str) -> tuple[set[int], int]:
    resp = client.get(URL, query_string={"q": term, "per_page": 100})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    return {item["id"] for item in body["items"]}, body["total"]


@pytest.mark.parametrize(("term", "title", "hit"), TERMS)
def test_a_term_of_one_two_or_three_characters_is_a_case_insensitive_substring(
    client, term, title, hit
):
    posting = InternshipFactory(title=title, description="描述")
    other = InternshipFactory(title="无关", description="描述")
    ids, total = _matches(client, term)
    assert (posting.id in ids) is hit
    assert other.id not in ids
    assert total == len(ids)


def test_a_term_in_the_description_is_found_too(client):
    posting = InternshipFactory(title="运营", description="参与跨境直播间的中控")
    assert _matches(client, "直播")[0] == {posting.id}
    assert _matches(client, "中控")[0] == {posting.id}


@pytest.fixture
def corpus() -> list[tuple[int, str]]:
    """40 postings with short random texts over ALPHABET: (id, lower-cased text)."""
    rng = random.Random(17)  # noqa: S311 (test data)
    out = []
    for _ in range(40):
        title = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8)))
        description = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8)))
        posting = InternshipFactory(title=title, description=description)
        out.append((posting.id, f"{title}\n{description}".lower()))
    return out


# The corpus is made once per test; the examples only read it.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(term=st.text(alphabet=ALPHABET, min_size=1, max_size=3))
def test_q_finds_exactly_the_postings_python_finds(client, corpus, term):
    expected = {posting_id for posting_id, text in corpus if term.lower() in text}
    ids, total = _matches(client, term)
    assert ids == expected, term
    assert total == len(expected)


@pytest.mark.skipif(not ON_POSTGRES, reason="the gram index is PostgreSQL's")
def test_search_grams_are_the_distinct_characters_and_pairs(app):
    grams = db.session.scalar(sa.text("SELECT search_grams('直播 ab直播')"))
    text = "直播 ab直播"
    expected = {text[k : k + n] for n in (1, 2) for k in range(len(text) - n + 1)}
    assert sorted(grams) == sorted(expected)
    assert db.session.scalar(sa.text("SELECT search_grams('')")) == []


@pytest.mark.skipif(not ON_POSTGRES, reason="the gram index is PostgreSQL's")
def test_the_gram_index_is_built_by_the_migrations(app):
    definition = db.session.scalar(
        sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_internships_search_grams'")
    )
    assert definition is not None
    assert "USING gin (search_grams(search_text))" in definition
