"""One transaction per request, committed at one edge; work queued for after the commit."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from cbec_alliance.core.api import problem_response
from cbec_alliance.extensions import db

log = logging.getLogger(__name__)


def after_commit(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run `func` once the current request's transaction has committed (dropped on rollback)."""
    queue = g.setdefault("_after_commit", [])
    queue.append((func, args, kwargs))


def run_after_commit() -> None:
    """Run and clear the queued after-commit callbacks; a failing one is logged, not raised."""
    queue = g.pop("_after_commit", [])
    for func, args, kwargs in queue:
        try:
            func(*args, **kwargs)
        except Exception:
            log.exception("after-commit callback %r failed", func)


def commit() -> None:
    """Commit outside a request (CLI, tasks) and run the after-commit queue."""
    db.session.commit()
    run_after_commit()


def _session_used() -> bool:
    """True when this request opened a session that holds a transaction or pending rows.

    Most reads of the busiest routes go through their own connections and many routes touch
    no table at all: a commit (or rollback) of a session nobody used costs 0.2 ms a request.
    """
    if not db.session.registry.has():
        return False
    session = db.session()
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


def _commit_response(response: Response) -> Response:
    if not _session_used():
        if response.status_code < 400:
            run_after_commit()
        else:
            g.pop("_after_commit", None)
        return response
    if response.status_code >= 400:
        db.session.rollback()
        g.pop("_after_commit", None)
        return response
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        g.pop("_after_commit", None)
        log.info("integrity error at commit: %s", exc.orig)
        return problem_response(409, "The change conflicts with existing data.")
    except OperationalError as exc:
        db.session.rollback()
        g.pop("_after_commit", None)
        log.warning("database unavailable at commit: %s", exc.orig)
        return problem_response(
            503, "The database is busy or unavailable; try again.", headers={"Retry-After": "2"}
        )
    except DBAPIError as exc:
        db.session.rollback()
        g.pop("_after_commit", None)
        log.info("database refused the data at commit: %s", exc.orig)
        return problem_response(422, "The database refused a value in the request.")
    run_after_commit()
    return response


def register_transaction_edge(app: Flask) -> None:
    """Commit successful requests, roll back failed ones, then run after-commit work."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_transactions(db.engine)
    app.after_request(_commit_response)

    @app.teardown_request
    def _rollback_leftovers(_exc):
        # An unhandled error skips after_request; never leave a transaction open.
        if _exc is not None:
            db.session.rollback()


# --- SQLite: real transactions, and the write lock taken at BEGIN -------------------------
#
# pysqlite's own transaction handling sends no BEGIN before a SELECT, only before the first
# INSERT/UPDATE/DELETE: a request's reads ran outside any transaction, so two requests could
# both read "one slot left" and both write (a lost update: six 200s for one slot). SQLAlchemy's
# documented recipe takes transactions over: the driver's handling is off and every
# transaction starts with our own BEGIN. A request that may write (any method but GET, HEAD
# and OPTIONS; CLI commands and Celery tasks) starts with BEGIN IMMEDIATE, which takes the
# database's write lock at once, so concurrent writers queue for it (busy timeout below)
# instead of interleaving reads and writes; reads start a deferred BEGIN and never block.
# Writers on PostgreSQL are kept correct by row locks and conditional UPDATEs instead.

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT = 15.0  # seconds a writer waits for the write lock before giving up
_write_lock: ContextVar[bool | None] = ContextVar("sqlite_write_lock", default=None)


def _wants_write_lock() -> bool:
    forced = _write_lock.get()
    if forced is not None:
        return forced
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True


@contextlib.contextmanager
def write_transactions(enabled: bool = True) -> Iterator[None]:
    """Transactions begun inside take (or, with False, do not take) SQLite's write lock at
    BEGIN, whatever the request's method; for a GET that stores what it computed."""
    token = _write_lock.set(enabled)
    try:
        yield
    finally:
        _write_lock.reset(token)


def _sqlite_transactions(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # no implicit BEGIN by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            # Readers never wait for a writer, and a writer never waits for readers.
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        immediate = _wants_write_lock()
        conn.info[_HOLDS_WRITE_LOCK] = immediate
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_HOLDS_WRITE_LOCK = "cbec_sqlite_write_lock"


def write_lock() -> None:
    """Before a read (a GET) stores what it computed on first use: on SQLite, end its read
    transaction and begin one holding the write lock, queueing for it (the busy timeout).
    Upgrading the read transaction in place would fail at once (SQLITE_BUSY_SNAPSHOT) when
    another writer committed since it began: two first uses at the same moment would answer
    503. Callers read again after it, since what they read before may be stale. Nothing to
    do on PostgreSQL (row and advisory locks), nor when the transaction already holds the
    lock or has unflushed changes."""
    session = db.session()
    if is_postgres() or session.new or session.dirty or session.deleted:
        return
    if session.in_transaction() and session.connection().info.get(_HOLDS_WRITE_LOCK):
        return
    session.commit()  # a read transaction: nothing is written by ending it
    with write_transactions():
        session.connection()  # BEGIN IMMEDIATE


def _autocommit_connection():
    return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


# The test suite, whose rows live in a transaction that is rolled back, points this at a
# context manager yielding that transaction's connection.
READ_CONNECTION: Callable[[], Any] = _autocommit_connection


def read_connection():
    """A context manager giving a connection for reads that need no transaction.

    Autocommit: no BEGIN and COMMIT round trips, which cost more than a small query itself.
    """
    return READ_CONNECTION()


def is_postgres() -> bool:
    """True when the bound database is PostgreSQL."""
    return db.engine.dialect.name == "postgresql"


def joined(value, separator: str = ",") -> sa.ColumnElement:
    """The aggregate joining a group's `value`s as text: string_agg on PostgreSQL,
    group_concat on SQLite (order unspecified). Arrays come back as one string per group,
    which NumPy parses far faster than the driver makes a row per value."""
    text = sa.cast(value, sa.String)
    if is_postgres():
        return sa.func.string_agg(text, separator)
    return sa.func.group_concat(text, separator)


def joined_ints(text: str | None) -> np.ndarray:
    """The integers of a `joined` text as an int64 array (empty for no rows)."""
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def for_update(stmt: sa.Select, *, shared: bool = False, skip_locked: bool = False) -> sa.Select:
    """Lock selected rows on PostgreSQL (SQLite serialises writers anyway).

    `shared`: FOR SHARE, so many writers that only need the row to stay as it is proceed
    together while one that changes it waits. `skip_locked`: rows another transaction holds
    are left out, so two sweeps never take the same rows.
    """
    if not is_postgres():
        return stmt
    return stmt.with_for_update(read=shared, skip_locked=skip_locked)


def _insert(model) -> Any:
    return (postgresql if is_postgres() else sqlite).insert(model)


def insert_ignore(model, rows: list[dict[str, Any]], conflict: list[str]) -> None:
    """Bulk INSERT ... ON CONFLICT DO NOTHING (PostgreSQL and SQLite)."""
    if not rows:
        return
    db.session.execute(_insert(model).on_conflict_do_nothing(index_elements=conflict), rows)


def insert_rows(model, rows: list[dict[str, Any]], returning: tuple[str, ...] = ()) -> list:
    """Bulk INSERT of many rows (all with the same keys), and the `returning` columns of
    each row inserted: on PostgreSQL one statement reading the rows from one JSON document
    (psycopg's executemany sends a statement per row, a multi-row VALUES takes SQLAlchemy
    longer to compile than to run, and unnest()ed arrays measured slower: docs/benchmarks.md);
    elsewhere an executemany."""
    if not rows:
        return []
    table = sa.inspect(model).local_table
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        if not returning:
            db.session.execute(sa.insert(table), rows)
            return []
        stmt = sa.insert(table).returning(*(table.c[n] for n in returning))
        return [tuple(r) for r in db.session.execute(stmt, rows)]
    # The server turns the document into records of the table's row type.
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in rows[0])
    back = f" RETURNING {', '.join(quote(n) for n in returning)}" if returning else ""
    result = db.session.execute(
        sa.text(
            f"INSERT INTO {quote(table.name)} ({columns}) SELECT {columns} "  # noqa: S608
            f"FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json)){back}"
        ),
        {"rows": json.dumps(rows, ensure_ascii=False, default=_json_value)},
    )
    return [tuple(r) for r in result] if returning else []


def _json_value(value: Any) -> Any:
    """Dates and times as ISO 8601 text for `insert_rows`' JSON document."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def upsert(model, values: dict[str, Any], conflict: list[str]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE of every other column (PostgreSQL and SQLite)."""
    stmt = _insert(model).values(values)
    update = {k: stmt.excluded[k] for k in values if k not in conflict}
    db.session.execute(stmt.on_conflict_do_update(index_elements=conflict, set_=update))


def bulk_update(table: sa.Table, key: str, rows: list[dict]) -> None:
    """Set columns of many rows, found by `key`, in one statement on PostgreSQL (unnest of
    arrays: 50,000 rows in well under a second); an executemany elsewhere."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != key]
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        stmt = (
            sa.update(table)
            .where(table.c[key] == sa.bindparam("_key"))
            .values({c: sa.bindparam(f"_v_{c}") for c in columns})
        )
        conn.execute(stmt, [{"_key": r[key], **{f"_v_{c}": r[c] for c in columns}} for r in rows])
        return
    names = [key, *columns]
    types = {n: table.c[n].type.compile(dialect=conn.dialect) for n in names}
    arrays = ", ".join(f"CAST(:a{k} AS {types[n]}[])" for k, n in enumerate(names))
    sets = ", ".join(f"{c} = v.{c}" for c in columns)
    conn.execute(
        sa.text(
            f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) "  # noqa: S608
            f"AS v({', '.join(names)}) WHERE t.{key} = v.{key}"
        ),
        {f"a{k}": [r[n] for r in rows] for k, n in enumerate(names)},
    )
