"""The PostgreSQL fast path of the internship list: the page serialised by the database.

The list is the busiest route. Here the page's keys come from the same filtered, ordered
query as on the portable path (listing_query.py), then one fixed statement (its text built
once, at import) returns those postings as JSON text with their children, and the data
version for the cached total. Python neither converts 20 rows of dates and decimals nor
encodes them again, and builds no large SQL expression per request (see
docs/benchmarks.md). `listing.page_response` chooses this path on PostgreSQL; the body
equals the portable path's (the list tests run every case through both).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Response, current_app, g

from cbec_alliance.accounts.models import User
from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.db import read_connection
from cbec_alliance.internships import listing_index, listing_query, listing_search
from cbec_alliance.internships.listing_query import POSTINGS, status_of
from cbec_alliance.internships.models import PUBLIC_STATUSES


def _iso(column: str) -> str:
    """`iso_z` in SQL: UTC, seconds, microseconds only when non-zero, then Z (NULL stays)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24\\:MI\\:SS') || CASE WHEN "
        f"CAST(extract(microseconds FROM {column}) AS bigint) % 1000000 = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || 'Z'"
    )


def _item_sql() -> str:
    pairs = []
    for column in listing_query.COLUMNS:
        value = f"i.{column.name}"
        if isinstance(column.type, sa.DateTime):
            value = _iso(value)
        pairs.append(f"'{column.name}', {value}")
    pairs += [
        "'competencies', (SELECT coalesce(json_agg(json_build_object('code', c.code,"
        " 'min_level', c.min_level) ORDER BY c.code), CAST('[]' AS json))"
        " FROM internship_competencies c WHERE c.internship_id = i.id)",
        "'majors', (SELECT coalesce(json_agg(m.code ORDER BY m.code), CAST('[]' AS json))"
        " FROM internship_majors m WHERE m.internship_id = i.id)",
        "'languages', (SELECT coalesce(json_agg(g.code ORDER BY g.code), CAST('[]' AS json))"
        " FROM internship_languages g WHERE g.internship_id = i.id)",
        "'language_levels', (SELECT coalesce(json_agg(json_build_object('code', g.code,"
        " 'min_level', g.min_level) ORDER BY g.code), CAST('[]' AS json))"
        " FROM internship_languages g WHERE g.internship_id = i.id)",
        "'certificates', (SELECT coalesce(json_agg(json_build_object('code', x.code,"
        " 'min_level', x.min_level) ORDER BY x.code), CAST('[]' AS json))"
        " FROM internship_certificates x WHERE x.internship_id = i.id)",
    ]
    return "json_build_object(" + ", ".join(pairs) + ")"


# Our own text, from the model's column names; its one input is bound (:per_page). It reads
# the CTE `p` of `_build`: the page's keys with their place `rn` (1, 2, ...).
ITEMS = sa.text(
    "CASE WHEN p.rn = 1 THEN (SELECT CAST(coalesce(json_agg("  # noqa: S608 (see above)
    + _item_sql()
    + " ORDER BY p.rn), CAST('[]' AS json)) AS text)"
    " FROM p JOIN internships i ON i.id = p.id WHERE p.rn <= :per_page) END AS items"
)
VERSION = sa.text(
    "CASE WHEN p.rn = 1 THEN (SELECT max(updated_at) FROM internships) END AS version"
)
# The same items for keys the in-process index found (listing_index.py), in their order,
# and the data version, to tell whether the postings changed since the index was read.
BY_KEYS = sa.text(
    "SELECT CAST(coalesce(json_agg("  # noqa: S608 (our own text, as ITEMS)
    + _item_sql()
    + " ORDER BY p.rn), CAST('[]' AS json)) AS text),"
    " (SELECT max(updated_at) FROM internships)"
    " FROM unnest(CAST(:ids AS integer[])) WITH ORDINALITY AS p(id, rn)"
    " JOIN internships i ON i.id = p.id"
)


pages = ProcessCache("internship pages", maxsize=1024)
# Up to this many matches a page is gathered and sorted (see listing_query.page_query's
# `few`): about where walking the ordered index for 21 rows starts to read more rows than
# sorting.
FEW = 2000


def page_response(args: dict, user: User | None) -> Response:
    """The list page, serialised by PostgreSQL in one statement (the body `listing.page`
    builds in Python).

    A page of published postings is also kept per data version, like the totals
    (listing_query.py): a hit costs one index lookup for the version instead of the page
    query.
    """
    if args.get("after"):
        listing_query.decode_cursor(args["after"], args["sort"])  # 422 before anything is read
    cache = status_of(args) in PUBLIC_STATUSES and current_app.config["INTERNSHIP_PAGE_CACHE"]
    key = tuple(sorted(args.items()))
    # Not the request's session: a read needs no BEGIN and COMMIT, two of the five round
    # trips a page took through it.
    with read_connection() as conn:
        if current_app.config["INTERNSHIP_LIST_INDEX"] and listing_index.servable(args):
            # One statement, no page to keep: the index finds the keys and the total.
            indexed = _from_index(conn, args, user)
            return current_app.response_class(indexed, mimetype="application/json")
        version = conn.scalar(listing_query.VERSION)
        kept = pages.get(key, version=version, max_age=listing_query.CACHE_TTL) if cache else None
        if kept is not None:
            body, g.page_note = kept  # the page's note too, for its Link header
        else:
            body, version = _build(conn, args, user, version)
            if cache:
                pages.put(key, (body, g.page_note), version=version)
    return current_app.response_class(body, mimetype="application/json")


def _build(conn, args: dict, user: User | None, version) -> tuple[str, object]:
    """The body, and the data version it was read at."""
    matches = listing_query.total(args, user, version=version, scalar=conn.scalar)
    skipped = 0 if args.get("after") else (args["page"] - 1) * args["per_page"]
    rows, items = [], "[]"
    if matches > skipped:
        keys = listing_query.page_query(
            args,
            user,
            (POSTINGS.c.id, POSTINGS.c.published_at, POSTINGS.c.apply_by),
            few=matches - skipped <= FEW,
        ).subquery()
        order = listing_query.order_by(keys.c, args["sort"], status_of(args))
        # The CTE `p` that ITEMS and VERSION read.
        ranked = sa.select(keys, sa.func.row_number().over(order_by=order).label("rn")).cte("p")
        items_sql = ITEMS.bindparams(per_page=args["per_page"])
        rows = conn.execute(sa.select(ranked, items_sql, VERSION).order_by(ranked.c.rn)).all()
        if rows and rows[0][-1] != version:  # the postings changed in between: count again
            version = rows[0][-1]
            matches = listing_query.total(args, user, version=version, scalar=conn.scalar)
        if rows:
            items = rows[0][-2]  # (textual columns have no names to get them by)
    return _splice(items, listing_query.envelope(args, matches, rows)), version


def _from_index(conn, args: dict, user: User | None) -> str:
    """The body from the in-process index's keys and total (`q` included, from the postings'
    search texts, listing_search.py), and the items with the data version in one statement:
    when that version is the index's, the page is as of it (else the index reads the changes
    and the page is found again)."""
    postings = listing_index.INDEX.latest(conn)
    term = args.get("q")
    if term:
        if postings.search is None:  # no search texts held: the database searches
            return _build(conn, args, user, conn.scalar(listing_query.VERSION))[0]
        term = listing_search.folded(conn, term, postings.plain_ascii)
    for _ in range(3):
        if term and postings.search is None:
            break
        matches, keys = listing_index.page(postings, args, term)
        ids = [key.id for key in keys[: args["per_page"]]]
        items, version = conn.execute(BY_KEYS, {"ids": ids}).one()
        if version == postings.version:
            return _splice(items, listing_query.envelope(args, matches, keys))
        postings = listing_index.INDEX.current(conn, version)
    # Postings changing faster than pages are read: the filtered query decides.
    return _build(conn, args, user, version)[0]


def _splice(items: str, rest: dict) -> str:
    """`{"items": items, **rest}` with `items` JSON text already: spliced in, not parsed."""
    return '{"items":' + items + "," + json.dumps(rest, separators=(",", ":"))[1:]
