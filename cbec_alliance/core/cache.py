"""Per-process caches of derived data, keyed by the version of what they derive from."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from cachetools import TTLCache

from cbec_alliance.extensions import db


class VersionedCache:
    """Values per (database, data version, key).

    The caller reads the version of the data (say the newest `updated_at` of a table) and
    gets or puts the value derived from it; once the data changes, the new version makes
    the old entries unreachable, and they age out. `ttl` bounds how long an entry can live
    at all, for a version that failed to move (clocks that disagree between servers).
    """

    def __init__(self, maxsize: int, ttl: float) -> None:
        self._data: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl)
        self._lock = threading.Lock()

    def _key(self, version: Any, key: Hashable) -> tuple:
        return (str(db.engine.url), version, key)

    def get(self, version: Any, key: Hashable) -> Any:
        """The value stored for `key` at `version`, or None."""
        with self._lock:
            return self._data.get(self._key(version, key))

    def put(self, version: Any, key: Hashable, value: Any) -> None:
        """Store `value` for `key` as derived from the data at `version`."""
        with self._lock:
            self._data[self._key(version, key)] = value

    def clear(self) -> None:
        """Forget everything (benchmarks measure the cold path with it)."""
        with self._lock:
            self._data.clear()
