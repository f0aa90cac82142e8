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
from cbec_alliance.core.errors import invalid
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import as_utc, iso_z
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import (
    Internship,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from cbec_alliance.organizations.models import Membership

PUBLIC_STATUSES = ("open", "closed", "filled")
T = Internship.__table__
COLUMNS = [c for c in T.c if c.name not in ("created_by_id", "status_changed_at")]


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
        stmt = stmt.where(
            sa.or_(contains(T.c.title, args["q"]), contains(T.c.description, args["q"]))
        )
    return stmt


# --- keyset cursor -------------------------------------------------------------------------


def encode_cursor(sort: str, row: dict) -> str:
    """An opaque cursor for the row after which the next page starts."""
    key = row["published_at"] if sort == "-published_at" else row["apply_by"]
    raw = json.dumps([sort, key, row["id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cur_sort, key, last_id = json.loads(raw)
        if cur_sort != sort or not isinstance(last_id, int) or isinstance(last_id, bool):
            raise ValueError
        if key is not None:
            key = (
                as_utc(datetime.fromisoformat(key.replace("Z", "+00:00")))
                if sort == "-published_at"
                else date.fromisoformat(key)
            )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, AttributeError):
        invalid("after", "not a cursor of this list and sort (use `next_after` as given)")
    return key, last_id


def _ordered(stmt: sa.Select, sort: str, after: str | None) -> sa.Select:
    if sort == "apply_by":
        if after:
            key, last_id = _decode_cursor(after, sort)
            stmt = stmt.where(sa.tuple_(T.c.apply_by, T.c.id) > sa.tuple_(key, last_id))
        return stmt.order_by(T.c.apply_by, T.c.id)
    if after:
        key, last_id = _decode_cursor(after, sort)
        if key is None:  # drafts have no published_at: they come last, by id
            stmt = stmt.where(T.c.published_at.is_(None), T.c.id < last_id)
        else:
            stmt = stmt.where(
                sa.or_(
                    sa.tuple_(T.c.published_at, T.c.id) < sa.tuple_(key, last_id),
                    T.c.published_at.is_(None),
                )
            )
    return stmt.order_by(T.c.published_at.desc().nulls_last(), T.c.id.desc())


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


def page(args: dict, user: User | None) -> dict:
    """One page of postings: `{items, total, page, per_page, next_after}`."""
    sort, after, per_page = args["sort"], args.get("after"), args["per_page"]
    base = _filtered(sa.select(*COLUMNS), args, user)
    total = db.session.scalar(_filtered(sa.select(sa.func.count()).select_from(T), args, user))
    stmt = _ordered(base, sort, after).limit(per_page + 1)
    if not after:
        stmt = stmt.offset((args["page"] - 1) * per_page)
    rows = db.session.execute(stmt).all()
    more = len(rows) > per_page
    items = rows_to_items(rows[:per_page])
    return {
        "items": items,
        "total": total or 0,
        "page": args["page"] if not after else 1,
        "per_page": per_page,
        "next_after": encode_cursor(sort, items[-1]) if more and items else None,
    }
