"""The internship list's query, shared by both ways of building a page (listing.py).

Which postings a caller sees (status and visibility, filters, `q`), in which order, where a
page starts (page numbers, or a keyset cursor: `after` keeps deep pages as fast as the
first), and how many match (counted once per filter set and data version). The page itself
is then built as JSON by PostgreSQL (listing_json.py) or from rows in Python (listing.py),
each from the statements here.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from cbec_alliance.accounts.models import User
from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.errors import invalid
from cbec_alliance.core.links import note_page
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.schemas import INT32_MAX, INT32_MIN
from cbec_alliance.core.timeutil import iso_z, parse_utc
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import (
    PUBLIC_STATUSES,
    STATUSES,
    Internship,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from cbec_alliance.organizations.models import Membership

POSTINGS = Internship.__table__
# What an item shows: every column but these (in this order, on both paths).
COLUMNS = [
    column
    for column in POSTINGS.c
    if column.name not in ("created_by_id", "status_changed_at", "search_text")
]
# The filters on a posting's requirements: one child table each, matched by `code`.
REQUIREMENTS: dict[str, type[InternshipCompetency | InternshipMajor | InternshipLanguage]] = {
    "competency": InternshipCompetency,
    "major": InternshipMajor,
    "language": InternshipLanguage,
}
# The arguments that pick a page of the matches rather than the matches themselves.
NOT_FILTERS = ("page", "per_page", "sort", "after")


def status_of(args: dict) -> str:
    """The status listed (`open` unless asked)."""
    return args.get("status", "open")


def _visible(stmt: sa.Select, status: str, user: User | None) -> sa.Select:
    stmt = stmt.where(POSTINGS.c.status == status)
    if status in PUBLIC_STATUSES or (
        user is not None and user.is_authenticated and user.is_coordinator
    ):
        return stmt
    if user is None or not user.is_authenticated:
        return stmt.where(sa.false())
    mine = sa.select(Membership.organization_id).where(Membership.user_id == user.id)
    return stmt.where(POSTINGS.c.enterprise_id.in_(mine))


def filtered(stmt: sa.Select, args: dict, user: User | None, counting: bool = False) -> sa.Select:
    """`stmt` (over the postings) narrowed to those `user` may see that match `args`.

    `counting`: for a count, where a short term's gram alone decides (see `_term`)."""
    stmt = _visible(stmt, status_of(args), user)
    for name in ("category", "district", "mode", "kind", "salary_band", "enterprise_id"):
        if args.get(name) is not None:
            stmt = stmt.where(POSTINGS.c[name] == args[name])
    for name, requirement in REQUIREMENTS.items():
        if args.get(name):
            stmt = stmt.where(
                sa.exists().where(
                    requirement.internship_id == POSTINGS.c.id, requirement.code == args[name]
                )
            )
    if args.get("q"):
        stmt = stmt.where(*_term(args["q"], counting))
    return stmt


# Terms shorter than this (most Chinese terms are two characters) cannot use the trigram
# index; on PostgreSQL the index of the text's characters and character pairs serves them
# (migration 0023).
SHORT = 3


def _term(term: str, counting: bool) -> tuple:
    """The conditions of `q`: the substring LIKE; on PostgreSQL, for a short term, also the
    gram the index finds, LIKE first (computing a row's grams costs more than a LIKE, so a
    page walking the newest postings computes them only for the rows LIKE let through).
    A count takes the gram alone: a term of one or two characters is in a text exactly when
    it is one of the text's grams, and a count over tens of thousands of matches must never
    compute grams row by row (the planner may otherwise filter with both)."""
    like = contains(POSTINGS.c.search_text, term, lowered=True)
    if len(term) >= SHORT or not is_postgres():
        return (like,)
    if counting:
        return (_holds_short(term),)
    return (like, _holds_short(term))


_GRAMS = sa.func.search_grams(POSTINGS.c.search_text, type_=postgresql.ARRAY(sa.Text))


def _holds_short(term: str):
    """The text holds `term` (one or two characters) as a gram, in the column's folding."""
    return _GRAMS.contains(postgresql.array([sa.func.lower(sa.literal(term, sa.Text))]))


# --- order and keyset cursor ---------------------------------------------------------------


def order_by(columns, sort: str, status: str) -> tuple:
    """The ORDER BY of a list over `columns` (the table's columns, or a subquery's)."""
    if sort == "apply_by":
        return (columns.apply_by, columns.id)
    if status in PUBLIC_STATUSES:
        # Every published posting has `published_at`: plain DESC, which PostgreSQL serves by
        # scanning the (status, published_at, id) index backwards.
        return (columns.published_at.desc(), columns.id.desc())
    # Drafts have none, and taken-down postings may have been drafts: those come last, by id.
    return (columns.published_at.desc().nulls_last(), columns.id.desc())


def next_after(args: dict, rows: Sequence) -> str | None:
    """`next_after`: an opaque cursor for the page's last row when `rows` (read with one row
    more than the page, each with `id`, `published_at` and `apply_by`) show that more follow."""
    if len(rows) <= args["per_page"]:
        return None
    last, sort = rows[args["per_page"] - 1], args["sort"]
    key = iso_z(last.published_at) if sort == "-published_at" else last.apply_by.isoformat()
    raw = json.dumps([sort, key, last.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """The (sort key, id) a cursor holds; 422 naming `after` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, last_id = json.loads(raw)
        if cursor_sort != sort or not isinstance(last_id, int) or isinstance(last_id, bool):
            raise ValueError
        if not INT32_MIN <= last_id <= INT32_MAX:  # no id beyond the column (SQLite: a 500)
            raise ValueError
        if key is not None:
            key = (
                parse_utc(key)  # a time whose UTC form leaves years 1..9999 is a 422 too
                if sort == "-published_at"
                else date.fromisoformat(key)
            )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, AttributeError):
        invalid("after", "not a cursor of this list and sort (use `next_after` as given)")
    return key, last_id


def _after(stmt: sa.Select, sort: str, after: str, status: str) -> sa.Select:
    """`stmt` narrowed to the rows after the cursor (same order as `order_by`)."""
    key, last_id = decode_cursor(after, sort)
    columns = POSTINGS.c
    if sort == "apply_by":
        return stmt.where(sa.tuple_(columns.apply_by, columns.id) > sa.tuple_(key, last_id))
    if status in PUBLIC_STATUSES:
        return stmt.where(sa.tuple_(columns.published_at, columns.id) < sa.tuple_(key, last_id))
    if key is None:
        return stmt.where(columns.published_at.is_(None), columns.id < last_id)
    return stmt.where(
        sa.or_(
            sa.tuple_(columns.published_at, columns.id) < sa.tuple_(key, last_id),
            columns.published_at.is_(None),
        )
    )


def page_query(args: dict, user: User | None, columns=COLUMNS, few: bool = False) -> sa.Select:
    """The page's rows, and one more when more follow.

    `few`: the caller knows few postings match. Then they are gathered first and sorted
    (PostgreSQL: a MATERIALIZED CTE) rather than found by walking the ordered index, which a
    planner may choose for LIMIT 21 and which reads every posting when the filters are
    correlated and match none (65 ms instead of 2 at 100,000 postings).
    """
    after, per_page, status = args.get("after"), args["per_page"], status_of(args)
    stmt = filtered(sa.select(*columns), args, user)
    if after:
        stmt = _after(stmt, args["sort"], after, status)
    ordered: sa.ColumnCollection[str, Any] = POSTINGS.c
    if few:
        # Gathered from the filter index alone, which also holds the sort keys.
        matches = stmt.cte("matches").prefix_with("MATERIALIZED")
        stmt, ordered = sa.select(matches), matches.c
    stmt = stmt.order_by(*order_by(ordered, args["sort"], status)).limit(per_page + 1)
    if not after:
        stmt = stmt.offset((args["page"] - 1) * per_page)
    return stmt


# --- the total -----------------------------------------------------------------------------

# An exact total is the one part of a page that costs O(matches): tens of thousands of rows
# for a broad filter or a common `q`. Each process keeps totals per filter set, keyed by the
# data version, the newest `updated_at`: inserting or changing a posting, its children
# included, sets it, and only drafts (never counted here) can be deleted. So a total is never
# stale while the servers' clocks agree; the TTL bounds what a skew could leave.
CACHE_TTL = 60
VERSION = sa.select(sa.func.max(POSTINGS.c.updated_at))
totals = ProcessCache("internship totals", maxsize=4096)
_NO_VERSION = object()


def total(
    args: dict, user: User | None, version: Any = _NO_VERSION, scalar: Callable | None = None
) -> int:
    """How many postings match `args` (cached for published statuses, see above).

    `version`: max(updated_at) if the caller read it already; `scalar`: how to run a query
    (the session's by default).
    """
    scalar = scalar or db.session.scalar
    if status_of(args) not in PUBLIC_STATUSES:  # per user, and drafts get deleted
        return scalar(_count(args, user)) or 0
    if version is _NO_VERSION:
        version = scalar(VERSION)
    filters = tuple(
        sorted((name, value) for name, value in args.items() if name not in NOT_FILTERS)
    )
    hit = totals.get(filters, version=version, max_age=CACHE_TTL)
    if hit is None:
        hit = scalar(_count(args, user)) or 0
        totals.put(filters, hit, version=version)
    return hit


def _count(args: dict, user: User | None) -> sa.Select:
    filters = {
        name
        for name, value in args.items()
        if name not in (*NOT_FILTERS, "status") and value is not None
    }
    status = status_of(args)
    single = len(filters) == 1 and status in PUBLIC_STATUSES
    if single and (name := next(iter(filters))) in REQUIREMENTS:
        # One requirement filter alone on a published status: count the requirement rows
        # and take away those of postings in any other status. Both sides are index-only
        # scans of a few thousand rows, where the direct count joins every open posting
        # (85,000 at alliance scale): 8 ms instead of 13-18 (docs/benchmarks.md).
        requirement = REQUIREMENTS[name]
        has = sa.select(sa.func.count()).where(requirement.code == args[name]).scalar_subquery()
        others = [other for other in STATUSES if other != status]
        elsewhere = (
            sa.select(sa.func.count())
            .select_from(requirement)
            .join(Internship, Internship.id == requirement.internship_id)
            .where(requirement.code == args[name], Internship.status.in_(others))
            .scalar_subquery()
        )
        return sa.select(has - elsewhere)
    return filtered(sa.select(sa.func.count()).select_from(POSTINGS), args, user, counting=True)


def envelope(args: dict, matches: int, rows: Sequence) -> dict:
    """The page's members besides `items`; `rows`: the page read with one row more."""
    page = args["page"] if not args.get("after") else 1
    cursor = next_after(args, rows)
    note_page(page, args["per_page"], matches, cursor)
    return {"total": matches, "page": page, "per_page": args["per_page"], "next_after": cursor}
