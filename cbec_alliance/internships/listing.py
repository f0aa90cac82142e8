"""The internship list: filters, sort, page numbers and keyset cursors, built for speed.

The list is the busiest route, so it avoids the ORM: one Core query for the page's columns,
one for its children (competencies, majors, languages in a single UNION ALL), one count, and
plain dicts that go out as JSON without a second pass through marshmallow. `after` (keyset)
keeps deep pages as fast as the first; page numbers stay for the contract.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.errors import invalid
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

T = Internship.__table__
COLUMNS = [c for c in T.c if c.name not in ("created_by_id", "status_changed_at", "search_text")]


def _visible(stmt: sa.Select, status: str, user: User | None) -> sa.Select:
    stmt = stmt.where(T.c.status == status)
    if status in PUBLIC_STATUSES or (
        user is not None and user.is_authenticated and user.is_coordinator
    ):
        return stmt
    if user is None or not user.is_authenticated:
        return stmt.where(sa.false())
    mine = sa.select(Membership.organization_id).where(Membership.user_id == user.id)
    return stmt.where(T.c.enterprise_id.in_(mine))


def _child(model, column: str, value: str):
    return sa.exists().where(model.internship_id == T.c.id, getattr(model, column) == value)


def _filtered(stmt: sa.Select, args: dict, user: User | None) -> sa.Select:
    stmt = _visible(stmt, args.get("status", "open"), user)
    for name in ("category", "district", "mode", "enterprise_id"):
        if args.get(name) is not None:
            stmt = stmt.where(T.c[name] == args[name])
    if args.get("competency"):
        stmt = stmt.where(_child(InternshipCompetency, "code", args["competency"]))
    if args.get("major"):
        stmt = stmt.where(_child(InternshipMajor, "code", args["major"]))
    if args.get("language"):
        stmt = stmt.where(_child(InternshipLanguage, "code", args["language"]))
    if args.get("q"):
        stmt = stmt.where(contains(T.c.search_text, args["q"], lowered=True))
    return stmt


# --- keyset cursor -------------------------------------------------------------------------


def encode_cursor(sort: str, row: dict) -> str:
    """An opaque cursor for the row after which the next page starts."""
    key = row["published_at"] if sort == "-published_at" else row["apply_by"]
    raw = json.dumps([sort, key, row["id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """The (sort key, id) a cursor holds; 422 naming `after` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cur_sort, key, last_id = json.loads(raw)
        if cur_sort != sort or not isinstance(last_id, int) or isinstance(last_id, bool):
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


def order_by(cols, sort: str, status: str) -> tuple:
    """The ORDER BY of a list over `cols` (the table's columns, or a subquery's)."""
    if sort == "apply_by":
        return (cols.apply_by, cols.id)
    if status in PUBLIC_STATUSES:
        # Every published posting has `published_at`: plain DESC, which PostgreSQL serves by
        # scanning the (status, published_at, id) index backwards.
        return (cols.published_at.desc(), cols.id.desc())
    # Drafts have none, and taken-down postings may have been drafts: those come last, by id.
    return (cols.published_at.desc().nulls_last(), cols.id.desc())


def _after(stmt: sa.Select, sort: str, after: str, status: str) -> sa.Select:
    """`stmt` narrowed to the rows after the cursor (same order as `order_by`)."""
    key, last_id = decode_cursor(after, sort)
    if sort == "apply_by":
        return stmt.where(sa.tuple_(T.c.apply_by, T.c.id) > sa.tuple_(key, last_id))
    if status in PUBLIC_STATUSES:
        return stmt.where(sa.tuple_(T.c.published_at, T.c.id) < sa.tuple_(key, last_id))
    if key is None:
        return stmt.where(T.c.published_at.is_(None), T.c.id < last_id)
    return stmt.where(
        sa.or_(
            sa.tuple_(T.c.published_at, T.c.id) < sa.tuple_(key, last_id),
            T.c.published_at.is_(None),
        )
    )


def page_query(args: dict, user: User | None, columns=COLUMNS, few: bool = False) -> sa.Select:
    """The page's rows, and one more when more follow.

    `few`: the caller knows few postings match. Then they are gathered first and sorted
    (PostgreSQL: a MATERIALIZED CTE) rather than found by walking the ordered index, which a
    planner may choose for LIMIT 21 and which reads every posting when the filters are
    correlated and match none (65 ms instead of 2 at 100,000 postings).
    """
    after, per_page, status = args.get("after"), args["per_page"], args.get("status", "open")
    stmt = _filtered(sa.select(*columns), args, user)
    if after:
        stmt = _after(stmt, args["sort"], after, status)
    cols = T.c
    if few:
        # Gathered from the filter index alone, which also holds the sort keys.
        matches = stmt.cte("matches").prefix_with("MATERIALIZED")
        stmt, cols = sa.select(matches), matches.c
    stmt = stmt.order_by(*order_by(cols, args["sort"], status)).limit(per_page + 1)
    if not after:
        stmt = stmt.offset((args["page"] - 1) * per_page)
    return stmt


# --- serialisation -------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _children(ids: list[int]) -> dict[int, dict[str, list]]:
    out = {i: {"competencies": [], "majors": [], "languages": []} for i in ids}
    if not ids:
        return out
    c, m, lg = (
        InternshipCompetency.__table__,
        InternshipMajor.__table__,
        InternshipLanguage.__table__,
    )
    union = sa.union_all(
        sa.select(c.c.internship_id, sa.literal("c"), c.c.code, c.c.min_level).where(
            c.c.internship_id.in_(ids)
        ),
        sa.select(m.c.internship_id, sa.literal("m"), m.c.code, sa.null()).where(
            m.c.internship_id.in_(ids)
        ),
        sa.select(lg.c.internship_id, sa.literal("l"), lg.c.code, sa.null()).where(
            lg.c.internship_id.in_(ids)
        ),
    )
    for internship_id, kind, code, level in db.session.execute(union):
        item = out[internship_id]
        if kind == "c":
            item["competencies"].append({"code": code, "min_level": level})
        elif kind == "m":
            item["majors"].append(code)
        else:
            item["languages"].append(code)
    for item in out.values():
        item["competencies"].sort(key=lambda x: x["code"])
        item["majors"].sort()
        item["languages"].sort()
    return out


def rows_to_items(rows) -> list[dict]:
    """Plain JSON-ready dicts for rows of COLUMNS, children included."""
    items = [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]
    children = _children([i["id"] for i in items])
    for item in items:
        item.update(children[item["id"]])
    return items


# An exact total is the one part of a page that costs O(matches): tens of thousands of rows
# for a broad filter or a common `q`. Each process keeps totals per filter set, keyed by the
# data version, the newest `updated_at`: inserting or changing a posting, its children
# included, sets it, and only drafts (never counted here) can be deleted. So a total is never
# stale while the servers' clocks agree; the TTL bounds what a skew could leave.
CACHE_TTL = 60
NOT_FILTERS = ("page", "per_page", "sort", "after")
VERSION = sa.select(sa.func.max(T.c.updated_at))
totals = ProcessCache("internship totals", maxsize=4096)
_NO_VERSION = object()


def total(args: dict, user: User | None, version=_NO_VERSION, scalar=None) -> int:
    """How many postings match `args` (cached for published statuses, see above).

    `version`: max(updated_at) if the caller read it already; `scalar`: how to run a query
    (the session's by default).
    """
    scalar = scalar or db.session.scalar
    if args.get("status", "open") not in PUBLIC_STATUSES:  # per user, and drafts get deleted
        return scalar(_count(args, user)) or 0
    if version is _NO_VERSION:
        version = scalar(VERSION)
    filters = tuple(sorted((k, v) for k, v in args.items() if k not in NOT_FILTERS))
    hit = totals.get(filters, version=version, max_age=CACHE_TTL)
    if hit is None:
        hit = scalar(_count(args, user)) or 0
        totals.put(filters, hit, version=version)
    return hit


CHILD_FILTERS = {
    "competency": InternshipCompetency,
    "major": InternshipMajor,
    "language": InternshipLanguage,
}


def _count(args: dict, user: User | None) -> sa.Select:
    filters = {k for k, v in args.items() if k not in (*NOT_FILTERS, "status") and v is not None}
    status = args.get("status", "open")
    single = len(filters) == 1 and status in PUBLIC_STATUSES
    if single and (name := next(iter(filters))) in CHILD_FILTERS:
        # One requirement filter alone on a published status: count the requirement rows
        # and take away those of postings in any other status. Both sides are index-only
        # scans of a few thousand rows, where the direct count joins every open posting
        # (85,000 at alliance scale): 8 ms instead of 13-18 (docs/benchmarks.md).
        child = CHILD_FILTERS[name]
        has = sa.select(sa.func.count()).where(child.code == args[name]).scalar_subquery()
        others = [s for s in STATUSES if s != status]
        elsewhere = (
            sa.select(sa.func.count())
            .select_from(child)
            .join(Internship, Internship.id == child.internship_id)
            .where(child.code == args[name], Internship.status.in_(others))
            .scalar_subquery()
        )
        return sa.select(has - elsewhere)
    return _filtered(sa.select(sa.func.count()).select_from(T), args, user)


def envelope(args: dict, matches: int, next_after: str | None) -> dict:
    """The page's members besides `items`."""
    return {
        "total": matches,
        "page": args["page"] if not args.get("after") else 1,
        "per_page": args["per_page"],
        "next_after": next_after,
    }


def page(args: dict, user: User | None) -> dict:
    """One page of postings: `{items, total, page, per_page, next_after}`."""
    rows = db.session.execute(page_query(args, user)).all()
    more = len(rows) > args["per_page"]
    items = rows_to_items(rows[: args["per_page"]])
    cursor = encode_cursor(args["sort"], items[-1]) if more and items else None
    return {"items": items, **envelope(args, total(args, user), cursor)}
