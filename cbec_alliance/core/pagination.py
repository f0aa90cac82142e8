"""Page-number pagination into the contract's list envelope."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from cbec_alliance.core.links import envelope
from cbec_alliance.extensions import db


def paginate(stmt: sa.Select, args: dict[str, Any]) -> dict[str, Any]:
    """Run `stmt` for one page: `{items, total, page, per_page}` (stmt must be ordered)."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return envelope(items, total or 0, page, per_page)


def contains(column, q: str, *, lowered: bool = False):
    """Case-insensitive substring match (Chinese too), with LIKE wildcards escaped.

    `lowered`: the column already holds lower-cased text, so a plain LIKE against the
    database's `lower(q)` does (cheaper than ILIKE, and the same folding as the column).
    """
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if lowered:
        return column.like(sa.func.lower(f"%{escaped}%"), escape="\\")
    return column.ilike(f"%{escaped}%", escape="\\")


def paginate_rows(stmt: sa.Select, args: dict[str, Any], shape) -> dict[str, Any]:
    """Like `paginate` for multi-column rows: `shape(rows)` turns the page into items."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return envelope(shape(rows), total or 0, page, per_page)
