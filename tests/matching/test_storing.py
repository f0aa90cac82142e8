"""Reading lists stored as JSON text into arrays, and writing explanations as JSON text: the
PostgreSQL path's text is exactly what the portable path's lists serialise to."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.matching.storing import Outcome, _why_lists, _why_texts, parse_lists

ints = st.integers(0, 2**31 - 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(ints, max_size=6), max_size=8), st.sampled_from([", ", ",", " , "]))
def test_lists_stored_as_json_text_parse_into_csr_arrays(lists, separator):
    texts = ["[" + separator.join(map(str, items)) + "]" for items in lists]
    ptr, items = parse_lists(texts)
    assert [items[ptr[k] : ptr[k + 1]].tolist() for k in range(len(lists))] == lists
    assert parse_lists([json.dumps(x) for x in lists])[1].tolist() == items.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(ints, st.integers(0, 999), st.integers(0, 999)), max_size=5)))
def test_explanations_as_text_are_the_lists_json_dumps_writes(rows):
    sizes = [len(row) for row in rows]
    flat = [triple for row in rows for triple in row]
    column = [np.array([t[k] for t in flat], dtype=np.int64) for k in range(3)]
    empty = np.zeros(len(rows), dtype=np.int64)
    out = Outcome(empty, empty, empty, empty, np.cumsum([0, *sizes]), *column)
    lists = _why_lists(out)
    assert lists == [[[i, r or None, c or None] for i, r, c in row] for row in rows]
    assert _why_texts(out) == [json.dumps(why) for why in lists]
