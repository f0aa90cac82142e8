"""Capacity counters: a count of places taken that never passes its capacity, on any database.

Every limit of the platform (internship slots, course places, event seats, students a training
base holds in a day, ...) is one `Counter`: a row's count column and its capacity. Places are
taken and given back only through `take` and `give_back`, each a single conditional UPDATE:

    UPDATE t SET n = n + k WHERE <key> AND n + k <= capacity RETURNING n

The database checks and writes in one statement, so no reader can act on a stale count: on
PostgreSQL a concurrent UPDATE of the row waits for the row lock and then re-evaluates the
WHERE against the committed row; on SQLite writers are serialised by the write lock that write
transactions take at BEGIN (`core.db`). A check constraint (`n <= capacity`) stays on each
table as the last line of defence.

Each counter also says which rows hold a place (`held`), so `flask check-integrity` can compare
every stored count with its rows (`core.integrity`).

A counter may count money rather than places: with `core.money.Money` columns (exact, stored as
whole fen) `take(spec, row, Decimal("300.00"))` adds an amount under the same single UPDATE, and
returns the new total as a Decimal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from cbec_alliance.extensions import Base, db


@dataclass
class Counter:
    """A count column kept at most its capacity, and the rows that hold its places.

    `key`: the columns naming one counter row (usually `("id",)`). `capacity`: a column of the
    same row, or a function of the table giving an SQL expression (a capacity read from
    another table). `held`: a SELECT of the key columns and the number of places the rows
    hold, one row per counter, for the integrity check.
    """

    name: str
    model: type[Base]
    count: str
    capacity: str | Callable[[sa.Table], sa.ColumnElement]
    held: Callable[[], sa.Select] | None
    key: tuple[str, ...] = ("id",)

    def held_by(self, held: Callable[[], sa.Select]) -> None:
        """Name the rows that hold places, when another domain's rows do (the accepted
        applications of an internship): that domain declares them, the counter's own does
        not import it."""
        self.held = held

    @property
    def table(self) -> sa.Table:
        """The counter's table."""
        return self.model.__table__

    def capacity_of(self) -> sa.ColumnElement:
        """The capacity as an SQL expression over the counter's row."""
        if isinstance(self.capacity, str):
            return self.table.c[self.capacity]
        return self.capacity(self.table)

    def where(self, key: dict) -> list[sa.ColumnElement]:
        """The conditions selecting the counter row named by `key`."""
        return [self.table.c[name] == key[name] for name in self.key]


COUNTERS: dict[str, Counter] = {}


def counter(
    name: str,
    model: type,
    *,
    count: str,
    capacity: str | Callable[[sa.Table], sa.ColumnElement],
    held: Callable[[], sa.Select] | None = None,
    key: tuple[str, ...] = ("id",),
) -> Counter:
    """Declare (and register for the integrity check) a capacity counter."""
    spec = Counter(name, model, count, capacity, held, key)
    COUNTERS[name] = spec
    return spec


def _key_of(spec: Counter, row) -> dict:
    if isinstance(row, dict):
        return row
    if isinstance(row, int):
        return {spec.key[0]: row}
    return {name: getattr(row, name) for name in spec.key}


def _sync(spec: Counter, row, value: int | Decimal | None) -> None:
    # Keep the caller's loaded object in step with the database without reloading it (the
    # attribute may be named apart from its column: `granted` over `granted_fen`).
    if value is not None and not isinstance(row, dict | int):
        column = spec.table.c[spec.count]
        attribute = sa.inspect(spec.model).get_property_by_column(column).key
        set_committed_value(row, attribute, value)


def take(spec: Counter, row, places: int | Decimal = 1) -> int | Decimal | None:
    """Take `places` places of the counter row (an object, its id, or a key dict), or an
    amount of a money counter (a Decimal).

    Returns the new count, or None when that many places are not free (nothing written).
    """
    column = spec.table.c[spec.count]
    stmt = (
        sa.update(spec.table)
        .where(*spec.where(_key_of(spec, row)), column + places <= spec.capacity_of())
        .values({spec.count: column + places})
        .returning(column)
    )
    value = db.session.execute(stmt).scalar()
    _sync(spec, row, value)
    return value


def ensure(spec: Counter, key: dict, **values) -> None:
    """Create the counter row named by `key` at count 0 unless it exists (keyed counters)."""
    from cbec_alliance.core.db import insert_ignore

    insert_ignore(spec.model, [{**key, spec.count: 0, **values}], list(spec.key))


def give_back(spec: Counter, row, places: int | Decimal = 1) -> int | Decimal | None:
    """Give `places` places back; the new count (None if fewer were held: nothing written)."""
    column = spec.table.c[spec.count]
    stmt = (
        sa.update(spec.table)
        .where(*spec.where(_key_of(spec, row)), column >= places)
        .values({spec.count: column - places})
        .returning(column)
    )
    value = db.session.execute(stmt).scalar()
    _sync(spec, row, value)
    return value


def mismatches(spec: Counter) -> list[dict]:
    """Counter rows whose stored count differs from the places their rows hold, or whose
    count passes the capacity: `[{key..., stored, held, capacity}]`."""
    if spec.held is None:
        raise RuntimeError(f"nothing declares which rows hold the places of {spec.name}")
    held = spec.held().subquery()
    table = spec.table
    joined = sa.and_(*[table.c[name] == held.c[name] for name in spec.key])
    held_n = sa.func.coalesce(held.c.held, 0)
    stored = table.c[spec.count]
    capacity = spec.capacity_of()
    stmt = (
        sa.select(*[table.c[name] for name in spec.key], stored, held_n, capacity)
        .select_from(table.outerjoin(held, joined))
        .where(sa.or_(stored != held_n, stored > capacity))
    )
    rows = db.session.execute(stmt).all()
    # Places held by rows with no counter row at all (a keyed counter never created).
    orphans = db.session.execute(
        sa.select(*[held.c[name] for name in spec.key], held.c.held)
        .select_from(held.outerjoin(table, joined))
        .where(table.c[spec.key[0]].is_(None), held.c.held != 0)
    ).all()
    out = [
        {
            **dict(zip(spec.key, r[: len(spec.key)], strict=True)),
            "stored": r[-3],
            "held": r[-2],
            "capacity": r[-1],
        }
        for r in rows
    ]
    out += [
        {
            **dict(zip(spec.key, r[:-1], strict=True)),
            "stored": None,
            "held": r[-1],
            "capacity": None,
        }
        for r in orphans
    ]
    return out
