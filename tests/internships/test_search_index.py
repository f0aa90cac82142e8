"""`q` answered by the in-process search (listing_search.py) finds exactly what the SQL finds.

The texts' index on its own against Python's `in` (any text, any term, after changes and new
postings); then against the database's substring condition on the same postings, with the
term folded as each database folds it (both databases); then, on PostgreSQL, the list's
bodies with the index on and off (the SQL path is the reference), as postings change.
"""

from __future__ import annotations

import os
import random

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbec_alliance.extensions import db
from cbec_alliance.internships import listing_index, listing_json, listing_query, listing_search
from cbec_alliance.internships.listing_search import Search, Texts
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL, enterprise_staff
from tests.internships.test_list_index import _both as index_and_sql
from tests.internships.test_list_index import database_path  # noqa: F401 (autouse: the database path)

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgresql", "postgres:"))
# Chinese, English in both cases, letters whose case each database folds its own way (or
# not at all: SQLite folds ASCII only), a character beyond 16 bits, a space, a newline and
# LIKE's wildcards.
ALPHABET = "直播选品亚马逊运营aAbBsSÉéİßΣσ😀 _%\n"
# Lower-case texts as the database stores them, and a few rarer characters for the index.
FOLDED = "直播选品亚马逊运营abs éiß_%\n" + "x1仓😀"
TERMS = ["播", "直播", "选品", "亚马逊", "直播选", "s", "SH", "sh", "Ab", "ab ", "%", "_a", "É"]
TERMS += ["ß", "İ", "\n直"]


# --- the texts' index alone ---------------------------------------------------------------


def _expected(texts: list[str], term: str) -> list[bool]:
    return [term in text for text in texts]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=FOLDED, max_size=12), max_size=40),
    terms=st.lists(st.text(alphabet=FOLDED, min_size=1, max_size=4), min_size=1, max_size=6),
)
def test_the_index_holds_a_term_exactly_where_python_finds_it(texts, terms):
    built = Texts.build(np.arange(1, len(texts) + 1, dtype=np.int64), texts)
    # Terms drawn at random rarely hit: every one- to four-character piece of a text too.
    pieces = {text[k : k + n] for text in texts[:5] for n in (1, 2, 3, 4) for k in range(len(text))}
    for term in [*terms, *sorted(piece for piece in pieces if piece)]:
        assert built.mask(term).tolist() == _expected(texts, term), term
    for k, text in enumerate(texts):
        assert built.text(k) == text


def test_a_gram_held_by_many_postings_is_a_bitmap_and_one_held_by_few_a_list():
    texts = ["直播"] * 40 + ["选品"]
    built = Texts.build(np.arange(1, 42, dtype=np.int64), texts)
    assert built.bitmaps.shape[0] >= 3  # 直, 播, 直播
    assert len(built.positions) == 3  # 选, 品, 选品: one posting each
    assert built.mask("直播").sum() == 40
    assert built.mask("选品").tolist() == [False] * 40 + [True]
    assert not built.mask("播选").any()  # no pair across two postings
    assert Texts.build(np.zeros(0, np.int64), []).mask("直播").tolist() == []


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=FOLDED, max_size=10), min_size=1, max_size=25),
    changes=st.lists(st.tuples(st.integers(0, 60), st.text(alphabet=FOLDED, max_size=10))),
    term=st.text(alphabet=FOLDED, min_size=1, max_size=3),
)
def test_changed_and_added_postings_are_searched_as_they_are_now(texts, changes, term):
    """Ids 2, 4, 6, ... built; then some texts change and postings come in between."""
    ids = list(range(2, 2 * len(texts) + 1, 2))
    search = Search(Texts.build(np.array(ids, np.int64), texts))
    now = dict(zip(ids, texts, strict=True))
    for step in range(0, len(changes), 3):  # a few refreshes, each reading some rows again
        rows = dict(changes[step : step + 3])
        now.update(rows)
        current = np.array(sorted(now), np.int64)
        search = search.moved(current, rows)
        expected = [term in now[posting_id] for posting_id in current.tolist()]
        assert search.mask(term, len(current)).tolist() == expected, (rows, term)
        # Read again with the same ids (the index keeps the array while no posting comes).
        again = search.moved(current, {})
        assert again.mask(term, len(current)).tolist() == expected, (rows, term)
    # A text changed back to the full read's is no longer checked one by one.
    back = search.moved(np.array(sorted(now), np.int64), dict(zip(ids, texts, strict=True)))
    assert not set(back.changed) & set(ids)


def test_terms_the_index_does_not_take_go_to_the_database():
    assert listing_search.servable("直播")
    assert not listing_search.servable("a\0b")  # PostgreSQL's text holds no NUL
    assert not listing_search.servable("\ud800")  # no UTF-8
    assert listing_index.servable({"q": "直播"})
    assert not listing_index.servable({"q": "直播", "status": "draft"})


# --- against the database's substring condition (both databases) ---------------------------


@pytest.fixture
def corpus(app) -> list[int]:
    """50 open postings with short random texts over ALPHABET."""
    rng = random.Random(29)  # noqa: S311 (test data)
    return [
        InternshipFactory(
            title="".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 9))),
            description="".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 9))),
        ).id
        for _ in range(50)
    ]


def _sql(term: str) -> set[int]:
    """The SQL path's matches (open postings, `q` only)."""
    stmt = listing_query.filtered(sa.select(listing_query.POSTINGS.c.id), {"q": term}, None)
    return set(db.session.scalars(stmt))


def _indexed(term: str) -> set[int]:
    """The in-process search's matches over the same postings, the term folded as the
    database folds it."""
    conn = db.session.connection()
    rows = conn.execute(
        sa.select(listing_query.POSTINGS.c.id, listing_query.POSTINGS.c.search_text)
        .where(listing_query.POSTINGS.c.status == "open")
        .order_by(listing_query.POSTINGS.c.id)
    ).all()
    ids = np.array([row[0] for row in rows], np.int64)
    built = Texts.build(ids, [row[1] for row in rows])
    folded = listing_search.folded(conn, term, listing_search.folds_ascii_plainly(conn))
    return set(ids[built.mask(folded)].tolist())


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.usefixtures("ctx")
def test_one_two_and_three_characters_match_as_the_database_matches(corpus, term):
    assert _indexed(term) == _sql(term)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(term=st.text(alphabet=ALPHABET, min_size=1, max_size=3))
@pytest.mark.usefixtures("ctx")
def test_any_term_matches_as_the_database_matches(corpus, term):
    assert _indexed(term) == _sql(term)


@pytest.mark.usefixtures("ctx")
def test_terms_with_case_are_folded_by_the_database_unless_plain(monkeypatch):
    conn = db.session.connection()
    asked = []
    real = conn.scalar
    monkeypatch.setattr(conn, "scalar", lambda stmt: asked.append(stmt) or real(stmt))
    assert listing_search.folded(conn, "直播 1%", True) == "直播 1%"
    assert not listing_search.caseless("\U000e0080")  # unassigned: the database decides
    assert listing_search.folded(conn, "SEO", True) == "seo"
    assert asked == []
    folded = listing_search.folded(conn, "SEO", False)  # a database folding ASCII its own way
    assert listing_search.folded(conn, "É", True) == real(sa.select(sa.func.lower("É")))
    assert folded == "seo"
    assert len(asked) == 2


# --- the list, index on and off (PostgreSQL: the index serves the database path) ----------

on_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="the index serves PostgreSQL's path")


def _both(client, app, monkeypatch, query: dict) -> dict:
    """The body with the index searching, after checking it equals the SQL path's."""
    terms: list = []
    real = listing_index.page

    def page(postings, args, term=None):
        terms.append(term)
        return real(postings, args, term)

    monkeypatch.setattr(listing_index, "page", page)
    got = index_and_sql(client, app, monkeypatch, query)
    monkeypatch.setattr(listing_index, "page", real)
    assert terms, "the index answered"
    assert terms[0], "the index searched"
    return got


@on_postgres
@pytest.mark.parametrize("term", TERMS)
def test_list_pages_with_q_equal_the_sql(client, app, monkeypatch, corpus, term):
    for query in ({}, {"per_page": 3, "page": 2}, {"sort": "apply_by", "per_page": 2}):
        _both(client, app, monkeypatch, {"q": term, **query})


@on_postgres
def test_keyset_pages_with_q_equal_the_sql(client, app, monkeypatch, corpus):
    after, seen = None, []
    while True:
        query = {"q": "a", "per_page": 4, **({"after": after} if after else {})}
        page = _both(client, app, monkeypatch, query)
        seen += [item["id"] for item in page["items"]]
        if (after := page["next_after"]) is None:
            break
    assert len(seen) == len(set(seen)) == page["total"]


@on_postgres
def test_changed_and_new_texts_are_searched_at_once(client, app, monkeypatch, as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id, title="直播运营", description="描述")
    InternshipFactory(title="选品助理", description="描述")
    assert _both(client, app, monkeypatch, {"q": "直播"})["total"] == 1
    staff_client = as_user(staff)
    changed = staff_client.patch(f"{URL}/{posting.id}", json={"title": "海外仓物流"})
    assert changed.status_code == 200, changed.get_json()
    assert _both(client, app, monkeypatch, {"q": "直播"})["total"] == 0
    assert _both(client, app, monkeypatch, {"q": "物流"})["total"] == 1
    assert _both(client, app, monkeypatch, {"q": "海外仓物"})["total"] == 1
    InternshipFactory(title="TikTok 直播", description="Live")
    assert _both(client, app, monkeypatch, {"q": "直播"})["total"] == 1
    assert _both(client, app, monkeypatch, {"q": "LIVE", "mode": "onsite"})["total"] == 1
    assert staff_client.post(f"{URL}/{posting.id}/close").status_code == 200
    assert _both(client, app, monkeypatch, {"q": "物流"})["total"] == 0
    assert _both(client, app, monkeypatch, {"q": "物流", "status": "closed"})["total"] == 1


@on_postgres
def test_without_search_texts_the_database_searches(client, app, monkeypatch):
    InternshipFactory(title="直播运营")
    listing_index.INDEX.clear()

    def refused(cls, ids, texts):
        raise ValueError

    monkeypatch.setattr(Texts, "build", classmethod(refused))
    monkeypatch.setitem(app.config, "INTERNSHIP_LIST_INDEX", True)
    built = []
    real = listing_json._build
    monkeypatch.setattr(listing_json, "_build", lambda *a: built.append(1) or real(*a))
    body = client.get(URL, query_string={"q": "直播"}).get_json()
    assert body["total"] == 1
    assert built == [1]
    listing_index.INDEX.clear()
