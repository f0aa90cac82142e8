"""The internship list page: one function for the route, and the portable way to build it.

The list is the busiest route. `page_response` is all the route calls. On PostgreSQL it
takes the fast path, the page built as JSON text by the database (listing_json.py) and
spliced into the response unparsed; elsewhere the portable path below builds it from rows:
one Core query for the page's columns, one for its children (competencies, majors, languages,
certificates in a single UNION ALL), the cached total, and plain dicts that go out as JSON without a
second pass through marshmallow. Both paths take the same filters, order, cursors and
totals from listing_query.py and give the same body: on PostgreSQL the list tests run every
case through each (`INTERNSHIP_LIST_PORTABLE` set in the app's config forces this one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter

import sqlalchemy as sa
from flask import Response, current_app, jsonify

from cbec_alliance.accounts.models import User
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.timeutil import iso_z
from cbec_alliance.extensions import db
from cbec_alliance.internships import listing_json, listing_query
from cbec_alliance.internships.models import (
    InternshipCertificate,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)


def page_response(args: dict, user: User | None) -> Response:
    """One page of postings as the response: `{items, total, page, per_page, next_after}`."""
    if is_postgres() and not current_app.config.get("INTERNSHIP_LIST_PORTABLE"):
        # PostgreSQL builds the page as JSON text, which Python never parses nor encodes.
        return listing_json.page_response(args, user)
    return jsonify(page(args, user))


# --- the portable path ---------------------------------------------------------------------


def page(args: dict, user: User | None) -> dict:
    """One page of postings built from rows in Python (any database)."""
    rows = db.session.execute(listing_query.page_query(args, user)).all()
    items = _items(rows[: args["per_page"]])
    matches = listing_query.total(args, user)
    return {"items": items, **listing_query.envelope(args, matches, rows)}


def _plain(value):
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _items(rows: Sequence) -> list[dict]:
    """Plain JSON-ready dicts for rows of COLUMNS, children included."""
    items = [{name: _plain(value) for name, value in row._mapping.items()} for row in rows]
    children = _children([item["id"] for item in items])
    for item in items:
        item.update(children[item["id"]])
    return items


def _children(ids: list[int]) -> dict[int, dict[str, list]]:
    found: dict[int, dict[str, list]] = {
        posting_id: {
            "competencies": [],
            "majors": [],
            "languages": [],
            "language_levels": [],
            "certificates": [],
        }
        for posting_id in ids
    }
    if not ids:
        return found
    competencies, majors, languages, certificates = (
        InternshipCompetency.__table__,
        InternshipMajor.__table__,
        InternshipLanguage.__table__,
        InternshipCertificate.__table__,
    )
    # One text column for both kinds of level (a competency's 1..5, a certificate's name).
    level = sa.cast(competencies.c.min_level, sa.String)
    union = sa.union_all(
        sa.select(
            competencies.c.internship_id,
            sa.literal("c"),
            competencies.c.code,
            level,
        ).where(competencies.c.internship_id.in_(ids)),
        sa.select(
            majors.c.internship_id, sa.literal("m"), majors.c.code, sa.cast(sa.null(), sa.String)
        ).where(majors.c.internship_id.in_(ids)),
        sa.select(
            languages.c.internship_id,
            sa.literal("l"),
            languages.c.code,
            sa.cast(languages.c.min_level, sa.String),
        ).where(languages.c.internship_id.in_(ids)),
        sa.select(
            certificates.c.internship_id,
            sa.literal("x"),
            certificates.c.code,
            certificates.c.min_level,
        ).where(certificates.c.internship_id.in_(ids)),
    )
    for internship_id, kind, code, value in db.session.execute(union):
        item = found[internship_id]
        if kind == "c":
            item["competencies"].append({"code": code, "min_level": int(value)})
        elif kind == "m":
            item["majors"].append(code)
        elif kind == "l":
            item["languages"].append(code)
            item["language_levels"].append({"code": code, "min_level": int(value)})
        else:
            item["certificates"].append({"code": code, "min_level": value})
    for item in found.values():
        item["competencies"].sort(key=itemgetter("code"))
        item["majors"].sort()
        item["languages"].sort()
        item["language_levels"].sort(key=itemgetter("code"))
        item["certificates"].sort(key=itemgetter("code"))
    return found
