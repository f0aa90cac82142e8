"""The one design of a per-process cache of derived data.

A value is kept under its key, the database it was derived from and, when given, the
version of the data (say the newest `updated_at` of a table): once the data changes, the new
version makes the old entries unreachable, and the least recently used age out. `max_age`
at a lookup bounds how old an entry may be (a partner ranking may lag PARTNER_MATCH_MAX_AGE
seconds; a page keyed by a version that failed to move, as with clocks that disagree between
servers, is not kept past a minute). Each process keeps its own copy: nothing is shared, so
nothing needs invalidating across machines; a value is at most as stale as its version or
age allows (docs/architecture.md). Every cache is registered, so benchmarks can empty them
all to measure the cold path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache

from cbec_alliance.extensions import db

T = TypeVar("T")
_MISSING = object()
CACHES: dict[str, ProcessCache] = {}


class ProcessCache:
    """A thread-safe LRU of derived values per (database, version, key), each with its age."""

    def __init__(self, name: str, maxsize: int) -> None:
        self.name = name
        self._data: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()
        CACHES[name] = self

    def _key(self, key: Hashable, version: Any) -> tuple:
        return (str(db.engine.url), version, key)

    def get(self, key: Hashable, *, version: Any = None, max_age: float | None = None) -> Any:
        """The value kept for `key` (at `version`), or None when missing or over `max_age`."""
        with self._lock:
            entry = self._data.get(self._key(key, version), _MISSING)
        if entry is _MISSING:
            return None
        stored_at, value = entry
        if max_age is not None and time.monotonic() - stored_at >= max_age:
            return None
        return value

    def put(self, key: Hashable, value: Any, *, version: Any = None) -> None:
        """Keep `value` for `key` as derived from the data at `version`."""
        with self._lock:
            self._data[self._key(key, version)] = (time.monotonic(), value)

    def get_or_make(
        self,
        key: Hashable,
        make: Callable[[], T],
        *,
        version: Any = None,
        max_age: float | None = None,
    ) -> T:
        """The kept value, or `make()` kept and returned (`max_age` 0: always make)."""
        if max_age is not None and max_age <= 0:
            return make()
        value = self.get(key, version=version, max_age=max_age)
        if value is None:
            value = make()
            self.put(key, value, version=version)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    """Empty every cache of this process (benchmarks measure the cold path with it)."""
    for cache in CACHES.values():
        cache.clear()
