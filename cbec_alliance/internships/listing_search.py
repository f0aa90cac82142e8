"""`q` answered in process memory: each posting's search text and an inverted index of its
characters and character pairs, so a term's matches are a mask beside the filters' masks of
listing_index.py (the page's keys and the exact total without a query).

Why: on PostgreSQL the GIN index of grams (migration 0023) finds a two-character term's rows,
but the exact count still visits every matching heap row (15,630 for 直播 at 100,000
postings, about every page of the table): 44 ms cold on a quiet machine. Here a term of one
or two characters is one lookup (the rows holding that gram), a longer one the rows holding
its rarest pairs, each then checked for the whole term (docs/benchmarks.md).

The semantics are the SQL path's exactly: `search_text` (the database's `lower(title || '\n'
|| description)`, read as stored) holds `q` folded as the database folds it (`lower`, see
`folded`) as a substring. A text holds a term of one or two characters exactly when the term
is one of its grams; a longer term is looked for in the text itself (UTF-8 bytes: a valid
UTF-8 string is a substring of another exactly when its characters are).

Layout, built at the index's full read (`Texts.build`, 1.5-2 s at 100,000 postings, 33 MB):
the texts as one UTF-8 `bytes` joined by NUL (which PostgreSQL text never holds), and per
gram the positions of the postings holding it, as a packed bitmap when more than 1 posting
in 32 holds it (then the bitmap is the smaller), else as sorted int32 positions. Postings
whose text changed since, or that were added, are kept aside as plain strings (`Search.changed`)
and checked one by one until the next full read (listing_index.py reads all again past
MANY of them).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import sqlalchemy as sa

SEPARATOR = "\0"
# A gram held by more than one posting in DENSE is kept as a bitmap (N/8 bytes), else as
# int32 positions (4 bytes each): whichever is smaller.
DENSE = 32
# Postings per step of the build (bounds its temporary arrays; a multiple of 8, for the
# bitmaps' bytes).
CHUNK = 8192
# A longer term's candidates: the postings holding its rarest pairs (this many of them).
PAIRS = 4
ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Texts:
    """The postings' texts as of a full read, in the order of `ids`, with their grams."""

    ids: np.ndarray
    blob: bytes
    starts: np.ndarray  # text k is blob[starts[k] : starts[k + 1] - 1]
    chars: dict[str, int]  # character -> its number (1, 2, ...)
    keys: np.ndarray  # each gram's key (see `_gram`), sorted
    counts: np.ndarray  # how many postings hold each gram
    dense: np.ndarray  # per gram: its row in `bitmaps`, or -1
    bitmaps: np.ndarray  # packed masks of the dense grams
    offsets: np.ndarray  # per gram: its slice of `positions` (empty when dense)
    positions: np.ndarray

    @classmethod
    def build(cls, ids: np.ndarray, texts: list[str]) -> Texts:
        """The texts (lower-cased by the database, None as empty) of the postings `ids`.

        In two passes over the postings, CHUNK at a time, so that no temporary array holds
        every (gram, posting) pair (14 million at 100,000 postings): the first counts the
        postings holding each gram, the second puts each chunk's pairs in place."""
        texts = [text or "" for text in texts]
        size = len(texts)
        blob, starts, chars, grams = _numbered(texts)
        found = [_distinct_keys(grams(first)[0]) for first in range(0, size, CHUNK)]
        every = np.concatenate([keys for keys, _ in found]) if found else np.zeros(0, np.int64)
        keys = _distinct(every.copy())
        counts = np.zeros(len(keys), np.int64)
        for chunk_keys, chunk_counts in found:
            counts[np.searchsorted(keys, chunk_keys)] += chunk_counts
        del found, every
        is_dense = counts * DENSE > size
        dense = np.full(len(keys), -1, np.int32)
        dense[is_dense] = np.arange(int(is_dense.sum()), dtype=np.int32)
        bitmaps = np.zeros((int(is_dense.sum()), (size + 7) // 8), np.uint8)
        offsets = np.zeros(len(keys) + 1, np.int64)
        np.cumsum(np.where(is_dense, 0, counts), out=offsets[1:])
        positions = np.zeros(offsets[-1], np.int32)
        filled = offsets[:-1].copy()  # where each sparse gram's next positions go
        for first in range(0, size, CHUNK):
            chunk_keys, rows = grams(first)
            gram = np.searchsorted(keys, chunk_keys)
            heavy = is_dense[gram]
            block = np.zeros((len(bitmaps), min(CHUNK, size - first)), bool)
            block[dense[gram[heavy]], rows[heavy] - first] = True
            width = (block.shape[1] + 7) // 8
            bitmaps[:, first // 8 : first // 8 + width] = np.packbits(block, axis=1)
            light, rows = gram[~heavy], rows[~heavy]  # sorted by gram, then position
            begins = np.flatnonzero(np.diff(light, prepend=-1)) if len(light) else light
            lengths = np.diff(np.append(begins, len(light)))
            within = np.arange(len(light)) - np.repeat(begins, lengths)
            positions[filled[light] + within] = rows
            filled[light[begins]] += lengths
        return cls(ids, blob, starts, chars, keys, counts, dense, bitmaps, offsets, positions)

    def nbytes(self) -> int:
        """The memory it holds (arrays and text)."""
        arrays = (self.ids, self.starts, self.keys, self.counts, self.dense, self.bitmaps)
        return (
            len(self.blob)
            + sum(array.nbytes for array in arrays)
            + self.offsets.nbytes
            + self.positions.nbytes
        )

    def text(self, k: int) -> str:
        """The text of the posting at position `k`."""
        return self.blob[self.starts[k] : self.starts[k + 1] - 1].decode()

    def _gram(self, gram: str) -> int | None:
        """The gram's number in `keys` (its key: the first character's number times the
        width, plus the second's), when some posting holds it."""
        numbers = [self.chars.get(char, 0) for char in gram]
        if 0 in numbers:
            return None
        key = numbers[0] * (len(self.chars) + 1) + (numbers[1] if len(numbers) == 2 else 0)
        at = int(np.searchsorted(self.keys, key))
        return at if at < len(self.keys) and self.keys[at] == key else None

    def _holding(self, gram: int) -> np.ndarray:
        size = len(self.ids)
        row = self.dense[gram]
        if row >= 0:
            return np.unpackbits(self.bitmaps[row], count=size).view(bool)
        mask = np.zeros(size, bool)
        mask[self.positions[self.offsets[gram] : self.offsets[gram + 1]]] = True
        return mask

    def mask(self, term: str) -> np.ndarray:
        """Which of these texts hold `term` (already folded), as of the build."""
        size = len(self.ids)
        if len(term) <= 2:
            gram = self._gram(term)
            return np.zeros(size, bool) if gram is None else self._holding(gram)
        pairs = {term[k : k + 2] for k in range(len(term) - 1)}
        grams = [gram for gram in map(self._gram, pairs) if gram is not None]
        if len(grams) < len(pairs):  # a pair no posting holds
            return np.zeros(size, bool)
        rarest = sorted(grams, key=self.counts.__getitem__)[:PAIRS]
        mask = self._holding(rarest[0])
        for gram in rarest[1:]:
            mask &= self._holding(gram)
        candidates = np.flatnonzero(mask)
        # blob.find(term, start, end) for each candidate's text, without a Python frame each.
        found = map(
            self.blob.find,
            repeat(term.encode(), len(candidates)),
            self.starts[candidates].tolist(),
            self.starts[candidates + 1].tolist(),
        )
        mask[candidates] = np.fromiter(found, np.int64, len(candidates)) >= 0
        return mask


def _numbered(texts: list[str]):
    """(blob, starts, characters' numbers, the function giving the grams of the CHUNK texts
    from a position: their keys and positions, sorted, each pair once)."""
    size = len(texts)
    joined = SEPARATOR.join(texts)
    blob = joined.encode()
    starts = np.zeros(size + 1, np.int64)
    starts[1:-1] = np.flatnonzero(np.frombuffer(blob, np.uint8) == 0) + 1
    starts[-1] = len(blob) + 1
    points = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
    del joined
    # Characters numbered densely (0: the separator), so a pair's key stays small; by a
    # table of every code point (sorting 10M characters takes longer).
    table = np.zeros(0x110000, np.int32)
    table[points] = 1
    table[0] = 0
    present = np.flatnonzero(table)
    table[present] = np.arange(1, len(present) + 1, dtype=np.int32)
    chars = {chr(point): number for number, point in enumerate(present.tolist(), start=1)}
    numbers = table[points]
    del points, table
    width = len(chars) + 1
    shift = max(size, 1).bit_length()
    if width * width >= 1 << (62 - shift):  # a key and a position in one int64
        raise ValueError("too many distinct characters to index")
    char_starts = np.zeros(size + 1, np.int64)
    char_starts[1:-1] = np.flatnonzero(numbers == 0) + 1
    char_starts[-1] = len(numbers) + 1

    def grams(first: int) -> tuple[np.ndarray, np.ndarray]:
        last = min(first + CHUNK, size)
        chunk = numbers[char_starts[first] : char_starts[last]]
        rows = np.repeat(np.arange(first, last), np.diff(char_starts[first : last + 1]))
        rows = rows[: len(chunk)]
        lead = chunk.astype(np.int64) * width
        singles = (lead << shift | rows)[chunk != 0]
        paired = (chunk[:-1] != 0) & (chunk[1:] != 0)
        pairs = ((lead[:-1] + chunk[1:]) << shift | rows[:-1])[paired]
        both = _distinct(np.concatenate([singles, pairs]))
        return both >> shift, (both & ((1 << shift) - 1)).astype(np.int32)

    return blob, starts, chars, grams


def _distinct_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of sorted `keys` and how many times each comes."""
    begins = np.flatnonzero(np.diff(keys, prepend=-1)) if len(keys) else keys
    return keys[begins], np.diff(np.append(begins, len(keys)))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (np.unique hashes first: many times slower here)."""
    values.sort()
    keep = np.ones(len(values), bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


@dataclass(frozen=True)
class Search:
    """The texts of a full read, and what changed since: the search of one index version."""

    texts: Texts
    # Current positions of the texts' postings (None: the same as theirs).
    at: np.ndarray | None = None
    # Postings whose text is not the full read's (changed or added): their current
    # positions, ids and texts.
    changed_at: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    changed: dict[int, str] = field(default_factory=dict)
    # The current ids `at` was computed for (the index keeps the array while ids stay).
    now: np.ndarray | None = None

    def mask(self, term: str, size: int) -> np.ndarray:
        """Which of the `size` current postings hold `term` (folded)."""
        found = self.texts.mask(term)
        if self.at is not None:
            moved = np.zeros(size, bool)
            moved[self.at] = found
            found = moved
        if self.changed:
            found[self.changed_at] = [term in text for text in self.changed.values()]
        return found

    def moved(self, ids: np.ndarray, rows: dict[int, str]) -> Search:
        """This search for the postings `ids` (a new layout) with `rows` (id -> text) read
        again."""
        base = self.texts
        if ids is self.now or ids is base.ids:  # the same layout (a posting changed)
            at = self.at if ids is self.now else None
        elif len(ids) == len(base.ids) and np.array_equal(ids, base.ids):
            at = None
        else:
            at = np.searchsorted(ids, base.ids)
        changed = dict(self.changed)
        if rows:
            wanted = np.array(list(rows), np.int64)
            found = np.searchsorted(base.ids, wanted).clip(0, max(len(base.ids) - 1, 0))
            known = (base.ids[found] == wanted) if len(base.ids) else np.zeros(0, bool)
            for (posting_id, text), k, kept in zip(
                rows.items(), found.tolist(), known.tolist(), strict=True
            ):
                text = text or ""
                if kept and base.text(k) == text:
                    changed.pop(posting_id, None)
                else:
                    changed[posting_id] = text
        changed_at = np.searchsorted(ids, np.array(list(changed), np.int64))
        return Search(base, at, changed_at, changed, ids)


def servable(term: str) -> bool:
    """Whether the in-process search can take `term` (PostgreSQL refuses NUL; a lone
    surrogate is no UTF-8): else the SQL path decides, as before."""
    if SEPARATOR in term:
        return False
    try:
        term.encode()
    except UnicodeEncodeError:
        return False
    return True


def caseless(term: str) -> bool:
    """No character of `term` has a case: no database folds it. (A character Python's
    Unicode does not know yet, unassigned here, may have one in the database's.)"""
    return all(
        char.lower() == char == char.upper() and unicodedata.category(char) != "Cn" for char in term
    )


ASCII_PROBE = sa.select(sa.func.lower(sa.literal(ASCII_UPPER + ASCII_UPPER.lower(), sa.Text)))


def folded(conn, term: str, plain_ascii: bool) -> str:
    """`term` lower-cased as the database does it (the SQL path's `lower(q)`): as is when it
    has no case, by Python when ASCII and the database folds ASCII plainly (`plain_ascii`,
    checked at the full read), else by asking the database."""
    if caseless(term):
        return term
    if plain_ascii and term.isascii():
        return term.lower()
    return conn.scalar(sa.select(sa.func.lower(sa.literal(term, sa.Text))))


def folds_ascii_plainly(conn) -> bool:
    """Whether the database's `lower` folds ASCII as Python does (not, say, a Turkish
    locale's dotless ı)."""
    return conn.scalar(ASCII_PROBE) == (ASCII_UPPER + ASCII_UPPER).lower()
