"""Every posting's filter fields as arrays, so the list finds a page's keys and its exact total
without a query (the PostgreSQL path, published statuses; `q` too, from the postings'
search texts kept beside them, listing_search.py).

Why: each distinct mix of filters (a major with a district, say) cost PostgreSQL a join per
requirement and an exact count over thousands of rows, 20-80 ms at 100,000 postings; NumPy
masks over the same postings take a fraction of a millisecond (docs/benchmarks.md). Kept per
posting, in id order: status, category, district, mode, enterprise, published_at, apply_by
and the requirement codes, with the list's two orders; kind and salary band (issue 19) are
words as category is; the search text (issue 17 item 5).

Kept fresh like the totals (listing_query.py): by the data version, max(updated_at), which
every change to a posting or its children moves, read with each page's items in the same
statement. When it moves, only the postings changed since the old version (less SKEW
seconds) are read again, and, when postings were added, a census of ids catches deletions
(then all is read again). An index older than CACHE_TTL reads the changes of a whole
CACHE_TTL again even when the version stands still (a transaction that committed after a
later one), as a total expires. It is an index, not a cache of answers: every request asks
it afresh.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import sqlalchemy as sa

from cbec_alliance.internships import listing_search
from cbec_alliance.internships.listing_query import (
    CACHE_TTL,
    POSTINGS,
    REQUIREMENTS,
    VERSION,
    decode_cursor,
    status_of,
)
from cbec_alliance.internships.listing_search import Search, Texts
from cbec_alliance.internships.models import PUBLIC_STATUSES

# The words a posting is filtered on (salary_band may be NULL: a word like any other).
WORDS = ("status", "category", "district", "mode", "kind", "salary_band")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# published_at as microseconds; NULL as the largest, first in a descending order as in SQL.
NO_TIME = np.iinfo(np.int64).max
# Numbers computed by the database, so that reading 100,000 rows stays a few plain columns.
ROWS = sa.select(
    *(POSTINGS.c[name] for name in ("id", *WORDS, "enterprise_id")),
    sa.func.coalesce(
        sa.cast(sa.extract("epoch", POSTINGS.c.published_at) * 1_000_000, sa.BigInteger),
        NO_TIME,
    ),
    POSTINGS.c.apply_by - sa.cast(sa.literal("0001-01-01"), sa.Date) + 1,  # date.toordinal()
    POSTINGS.c.search_text,  # for `q` (listing_search.py)
)
# Whether `q` is answered here too (the benchmarks turn it off to measure the SQL path).
SEARCH = True


class Key(NamedTuple):
    """What `listing_query.next_after` reads of a row."""

    id: int
    published_at: datetime | None
    apply_by: date


@dataclass
class Postings:
    """The postings' filter fields, one row each, in id order."""

    version: Any = None
    read_at: float = 0.0
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    words: dict[str, dict[str, int]] = field(default_factory=lambda: {w: {} for w in WORDS})
    codes: dict[str, np.ndarray] = field(
        default_factory=lambda: {w: np.zeros(0, np.int32) for w in WORDS}
    )
    enterprise: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    published: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    apply_by: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # (filter name, code) -> which postings ask for it.
    requirements: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # Positions in the order of each sort (see listing_query.order_by).
    orders: dict[str, np.ndarray] = field(default_factory=dict)
    # The postings' search texts (None: `q` goes to the database), and whether the
    # database folds ASCII as Python does (listing_search.folded).
    search: Search | None = None
    plain_ascii: bool = False

    def mask(self, args: dict) -> np.ndarray:
        """Which postings match the filters of `args` (a public status, no `q`)."""
        mask = self._is("status", status_of(args))
        for name in WORDS[1:]:
            if args.get(name) is not None:
                mask &= self._is(name, args[name])
        if args.get("enterprise_id") is not None:
            mask &= self.enterprise == args["enterprise_id"]
        for name in REQUIREMENTS:
            if args.get(name):
                wanted = self.requirements.get((name, args[name]))
                mask &= wanted if wanted is not None else False
        return mask

    def _is(self, name: str, value: str) -> np.ndarray:
        code = self.words[name].get(value)
        if code is None:
            return np.zeros(len(self.ids), bool)
        return self.codes[name] == code

    def after(self, mask: np.ndarray, sort: str, cursor: str) -> np.ndarray:
        """`mask` narrowed to the rows after the cursor (as listing_query._after, public)."""
        key, last_id = decode_cursor(cursor, sort)
        if key is None:  # SQL compares NULL with nothing
            return np.zeros(len(self.ids), bool)
        if sort == "apply_by":
            day = key.toordinal()
            return mask & ((self.apply_by > day) | ((self.apply_by == day) & (self.ids > last_id)))
        micro = _micros(key)
        return mask & (
            (self.published < micro) | ((self.published == micro) & (self.ids < last_id))
        )

    def keys(self, positions: np.ndarray) -> list[Key]:
        """The rows at `positions`, as `next_after` reads them."""
        return [
            Key(
                int(self.ids[k]),
                None
                if self.published[k] == NO_TIME
                else EPOCH + timedelta(microseconds=int(self.published[k])),
                date.fromordinal(int(self.apply_by[k])),
            )
            for k in positions
        ]


def _micros(value: datetime) -> int:
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def servable(args: dict) -> bool:
    """Whether the index answers `args`: a published status (drafts are listed per user),
    and a `q` the in-process search takes (listing_search.py)."""
    term = args.get("q")
    return status_of(args) in PUBLIC_STATUSES and (
        not term or (SEARCH and listing_search.servable(term))
    )


def page(postings: Postings, args: dict, term: str | None = None) -> tuple[int, list[Key]]:
    """(exact total, the page's rows and one more when more follow); `term`: `q` folded
    (listing_search.folded), when there is one."""
    mask = postings.mask(args)
    if term:
        assert postings.search is not None  # noqa: S101 (the caller checks)
        mask &= postings.search.mask(term, len(postings.ids))
    matches = int(np.count_nonzero(mask))
    if args.get("after"):
        mask = postings.after(mask, args["sort"], args["after"])
        skipped = 0
    else:
        skipped = (args["page"] - 1) * args["per_page"]
    order = postings.orders[args["sort"]]
    hits = np.flatnonzero(mask[order])[skipped : skipped + args["per_page"] + 1]
    return matches, postings.keys(order[hits])


# --- keeping it fresh ------------------------------------------------------------------------


class _Index:
    """One process's postings per database, refreshed under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, Postings] = {}

    def clear(self) -> None:
        """Forget everything (the next request reads all postings)."""
        with self._lock:
            self._kept.clear()

    def latest(self, conn) -> Postings:
        """The kept postings while younger than CACHE_TTL (the caller checks the version it
        reads with the page), else as of the version now."""
        kept = self._kept.get(str(conn.engine.url))
        if kept is not None and time.monotonic() - kept.read_at < CACHE_TTL:
            return kept
        return self.current(conn, conn.scalar(VERSION))

    def current(self, conn, version: Any) -> Postings:
        """The postings as of `version` (read from `conn` as needed)."""
        where = str(conn.engine.url)
        kept = self._kept.get(where)
        if kept is not None and _fresh(kept, version):
            return kept
        with self._lock:
            kept = self._kept.get(where)
            if kept is None or not _fresh(kept, version):
                kept = _refresh(conn, kept, version)
                self._kept[where] = kept
            return kept


def _fresh(kept: Postings, version: Any) -> bool:
    return kept.version == version and time.monotonic() - kept.read_at < CACHE_TTL


INDEX = _Index()


SKEW = 5
# More changed postings than this since the last read: read them all (one plain scan).
MANY = 5000
# What tells that postings were deleted: the index holds ids the table no longer has.
CENSUS = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(POSTINGS.c.id), 0))


def _refresh(conn, kept: Postings | None, version: Any) -> Postings:
    if kept is None or kept.version is None or version is None:
        return _read_all(conn, version)
    # A moved version: what changed since, and a few seconds before (a transaction that
    # committed after a later one); an index as old as a total: a whole CACHE_TTL before.
    expired = time.monotonic() - kept.read_at >= CACHE_TTL
    since = kept.version - timedelta(seconds=CACHE_TTL if expired else SKEW)
    rows = conn.execute(ROWS.where(POSTINGS.c.updated_at >= since)).all()
    if len(rows) > MANY:
        return _read_all(conn, version)
    merged = _merge(kept, rows, _children(conn, [row[0] for row in rows]), version)
    if merged.search is not None and len(merged.search.changed) > MANY:
        return _read_all(conn, version)  # texts changed since the full read, checked one by one
    # Postings leave the table only as drafts (never listed here) through the app; anything
    # else that deletes (a cascade, a test's rollback) is caught here: when postings were
    # added, or when the index is as old as a total may be.
    added = len(merged.ids) != len(kept.ids)
    if added or expired:
        count, id_sum = conn.execute(CENSUS).one()
        if (len(merged.ids), int(merged.ids.sum())) != (count, int(id_sum)):
            return _read_all(conn, version)
    return merged


def _read_all(conn, version: Any) -> Postings:
    rows = sorted(conn.execute(ROWS).all(), key=itemgetter(0))
    out = _merge(Postings(), rows, _children(conn, None), version)
    try:
        out.search = Search(Texts.build(out.ids, [row[-1] for row in rows]))
    except ValueError:  # too many distinct characters: the database searches
        out.search = None
    out.plain_ascii = listing_search.folds_ascii_plainly(conn)
    return out


def _children(conn, ids: list[int] | None) -> list:
    """(filter name, code, [posting ids]) for the postings `ids` (None: all)."""
    if ids is not None and not ids:
        return []
    parts = []
    for name, model in REQUIREMENTS.items():
        table = model.__table__
        if ids is None:  # grouped by the database: 36 rows rather than 400,000
            part = sa.select(
                sa.literal(name), table.c.code, sa.func.array_agg(table.c.internship_id)
            ).group_by(table.c.code)
        else:  # a few rows by primary key
            part = sa.select(sa.literal(name), table.c.code, table.c.internship_id).where(
                table.c.internship_id.in_(ids)
            )
        parts.append(part)
    rows = conn.execute(sa.union_all(*parts)).all()
    if ids is None:
        return rows
    grouped: dict[tuple[str, str], list[int]] = {}
    for name, code, internship_id in rows:
        grouped.setdefault((name, code), []).append(internship_id)
    return [(name, code, posting_ids) for (name, code), posting_ids in grouped.items()]


def _merge(old: Postings, rows: list, children: list, version: Any) -> Postings:
    """`old` with `rows` (and their children) put in place, as a new Postings."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(WORDS) + 5)
    new_ids = np.array(columns[0], np.int64)
    at = np.searchsorted(old.ids, new_ids)
    if (
        len(old.ids)
        and (at < len(old.ids)).all()
        and (old.ids[at.clip(0, len(old.ids) - 1)] == new_ids).all()
    ):
        return _patch(old, at, columns, children, version)
    keep = ~np.isin(old.ids, new_ids)
    ids = np.concatenate([old.ids[keep], new_ids])
    order = np.argsort(ids, kind="stable")
    out = Postings(version=version, read_at=time.monotonic(), ids=ids[order])
    _searched(out, old, columns)
    for k, name in enumerate(WORDS, start=1):
        words = out.words[name] = dict(old.words[name])
        fresh = np.array([words.setdefault(word, len(words)) for word in columns[k]], np.int32)
        out.codes[name] = np.concatenate([old.codes[name][keep], fresh])[order]
    for k, name in enumerate(("enterprise", "published", "apply_by"), start=len(WORDS) + 1):
        fresh = np.array(columns[k], np.int64)
        setattr(out, name, np.concatenate([getattr(old, name)[keep], fresh])[order])
    _requirements(out, old, keep, order, children)
    out.orders = _orders(out)
    return out


def _patch(old: Postings, at: np.ndarray, columns: list, children: list, version) -> Postings:
    """`old` with postings it holds (at positions `at`) changed: the common case (an offer
    accepted, a posting closed), in copies of the arrays the change touches."""
    out = Postings(version=version, read_at=time.monotonic(), ids=old.ids, orders=old.orders)
    _searched(out, old, columns)
    for k, name in enumerate(WORDS, start=1):
        words = out.words[name] = dict(old.words[name])
        codes = out.codes[name] = old.codes[name].copy()
        codes[at] = [words.setdefault(word, len(words)) for word in columns[k]]
    moved = False
    for k, name in enumerate(("enterprise", "published", "apply_by"), start=len(WORDS) + 1):
        values = getattr(old, name).copy()
        fresh = np.array(columns[k], np.int64)
        moved |= name != "enterprise" and not np.array_equal(values[at], fresh)
        values[at] = fresh
        setattr(out, name, values)
    asked = {(name, code): np.array(ids, np.int64) for name, code, ids in children}
    changed, nothing = old.ids[at], np.zeros(len(at), bool)
    out.requirements = dict(old.requirements)
    for key in asked.keys() | old.requirements.keys():
        wanted = np.isin(changed, asked[key]) if key in asked else nothing
        mask = old.requirements.get(key)
        if mask is None or not np.array_equal(mask[at], wanted):
            mask = np.zeros(len(old.ids), bool) if mask is None else mask.copy()
            mask[at] = wanted
            out.requirements[key] = mask
    if moved:
        out.orders = _orders(out)
    return out


def _searched(out: Postings, old: Postings, columns: list) -> None:
    """`out`'s search: `old`'s with the rows of `columns` read again (ids first, texts
    last)."""
    out.plain_ascii = old.plain_ascii
    if old.search is not None:
        out.search = old.search.moved(out.ids, dict(zip(columns[0], columns[-1], strict=True)))


def _orders(postings: Postings) -> dict[str, np.ndarray]:
    """Positions in the list's order for each sort (listing_query.order_by)."""
    return {
        "-published_at": np.lexsort((-postings.ids, -postings.published)),
        "apply_by": np.lexsort((postings.ids, postings.apply_by)),
    }


def _requirements(out: Postings, old: Postings, keep, order, children: list) -> None:
    """Each requirement's mask: the kept rows' old one, then the new rows' children."""
    fresh_count = len(out.ids) - int(np.count_nonzero(keep))
    masks = {
        key: np.concatenate([mask[keep], np.zeros(fresh_count, bool)])[order]
        for key, mask in old.requirements.items()
    }
    for name, code, ids in children:
        mask = masks.get((name, code))
        if mask is None:
            mask = masks[(name, code)] = np.zeros(len(out.ids), bool)
        mask[np.searchsorted(out.ids, np.array(ids, np.int64))] = True
    out.requirements = masks
