"""Everything the platform holds about one user, found through the schema itself.

Every table with a column referring to `users.id` is read for the rows naming the user, so
a table a later domain adds is in the export the day it is created. Secrets (password and
token hashes) are left out: they are credentials, not information about the person.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import sqlalchemy as sa

from cbec_alliance.extensions import db

SECRET_COLUMNS = ("password_hash", "token_hash", "key_hash", "secret", "session_key", "key")


def _is_secret(name: str) -> bool:
    return name in SECRET_COLUMNS or name.endswith("_hash")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _row(row: sa.RowMapping) -> dict:
    return {k: _plain(v) for k, v in row.items() if not _is_secret(k)}


def user_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of `table` that refer to a user."""
    return [
        column
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "users" and fk.column.name == "id"
    ]


def collect(user_id: int) -> dict:
    """`{user, tables: {table: [rows]}}` for everything naming `user_id`, tables by name."""
    metadata = db.Model.metadata
    users = metadata.tables["users"]
    me = db.session.execute(sa.select(users).where(users.c.id == user_id)).mappings().one()
    tables: dict[str, list[dict]] = {}
    for table in sorted(metadata.sorted_tables, key=lambda t: t.name):
        columns = user_columns(table)
        if not columns or table.name == "users":
            continue
        order = list(table.primary_key.columns) or list(table.columns)[:1]
        rows = (
            db.session.execute(
                sa.select(table).where(sa.or_(*(c == user_id for c in columns))).order_by(*order)
            )
            .mappings()
            .all()
        )
        if rows:
            tables[table.name] = [_row(r) for r in rows]
    return {
        "generated_at": _plain(dt.datetime.now(dt.UTC).replace(microsecond=0)),
        "user": _row(me),
        "tables": tables,
    }
