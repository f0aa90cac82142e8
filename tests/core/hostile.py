"""Hostile requests for every route: the operations, the strategies and the world they aim at.

Shared by tests/core/test_hostile_inputs.py (a few examples per route) and
bench/hostile_inputs.py (the same with a bigger budget, printing counts per route).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

from hypothesis import strategies as st

from cbec_alliance.core.timeutil import utcnow

INT32_MAX = 2**31 - 1
PROBLEM = "application/problem+json"


class Raw(str):
    """Text that goes into a JSON document as it is (a literal json.dumps cannot write)."""


# Values no field should choke on: numbers past every bound, NaN and infinities, times whose
# UTC form leaves years 1..9999, unstorable text, very long and Chinese text, wrong types.
HOSTILE_VALUES = [
    10**30,
    -(10**30),
    2**31,
    2**63,
    -1,
    0,
    1e308,
    -1e308,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
    Raw("1" * 5000),
    Raw("1e400"),
    Raw("-" + "9" * 45),
    "1e308",
    "NaN",
    "-Infinity",
    "9" * 5000,
    "9999-12-31T23:00:00-14:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30T25:61:00Z",
    "\ud800",
    "a\udfffb",
    "\x00",
    "x" * 100_000,
    "跨境电商人才" * 5_000,
    "广州",
    "",
    " ",
    True,
    False,
    None,
    [],
    {},
    [None],
    {"": ""},
    {"$ref": "#"},
    "' OR 1=1 --",
    "../../etc/passwd",
]

# Hostile values aimed at a field's documented type or format.
BY_KIND = {
    "date-time": [
        "9999-12-31T23:00:00-14:00",
        "0001-01-01T00:00:00+14:00",
        "2999-12-31T23:59:59Z",  # the last instant accepted: arithmetic on it must not fail
        "1900-01-01T00:00:00Z",
        "3000-01-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
    ],
    "date": ["9999-12-31", "0001-01-01", "2024-02-30", "2100-12-31"],
    "number": [1e308, -1e308, Raw("1e400"), 5e-324, "1e308", float("nan"), 10**30],
    "integer": [10**30, 2**31, -(2**31) - 1, Raw("1" * 5000), 1.5, "1"],
    "string": ["\ud800", "\x00", "x" * 100_000, "跨境电商人才" * 5_000, ""],
    "boolean": ["true", 1, None],
    "array": [[None] * 1000, [[[[[[]]]]]], ["\ud800"]],
}

_deep_list = st.integers(min_value=20, max_value=60).map(lambda n: json.loads("[" * n + "]" * n))
hostile_values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    _deep_list,
)


def kind_of(schema: dict) -> str:
    """The key of BY_KIND for a JSON schema (its format, else its type)."""
    if schema.get("format") in BY_KIND:
        return schema["format"]
    return schema.get("type") or ("object" if "properties" in schema else "string")


def aimed_values(schema: dict):
    """Hostile values for a field: mostly aimed at its type, sometimes anything."""
    aimed = BY_KIND.get(kind_of(schema))
    if not aimed:
        return hostile_values
    return st.one_of(st.sampled_from(aimed), st.sampled_from(aimed), hostile_values)


# Whole bodies that are hostile before any field is read.
RAW_DOCUMENTS = [
    # First: Hypothesis starts each test with the simplest choices, so every route gets it.
    # Deeper than 1,000, since Hypothesis raises the recursion limit while it runs a test.
    b"[" * 20_000 + b"]" * 20_000,
    b"[" * 1000 + b"]" * 1000,
    b'{"a":' * 1000 + b"1" + b"}" * 1000,
    b"[" * 100_000,
    b"[" * 33 + b"]" * 33,
    b"NaN",
    b"[Infinity, -Infinity]",
    b"1" * 5000,
    b'{"x": 1e400}',
    b'{"x": ' + b"7" * 4301 + b"}",
    b"\xff\xfe{}",
    b'"\\ud800"',
    b'{"\\udfff": 1}',
    b"{",
    b"",
    b"null",
    b"[]",
    '{"名称": "跨境电商"}'.encode(),
    b'{"a": "' + b"x" * 200_000 + b'"}',
    b" " * (2 * 1024 * 1024 + 1),
]

CURSORS = [
    ["-published_at", "9999-12-31T23:00:00-14:00", 1],
    ["-published_at", "0001-01-01T00:00:00+14:00", 1],
    ["-published_at", "2026-01-01T00:00:00Z", 10**30],
    ["apply_by", "9999-12-31", -(10**30)],
    ["apply_by", None, 1.5],
    json.loads("[" * 21 + "]" * 21),
]
# Query values: already percent-encoded, so broken UTF-8 and NUL reach the app as sent.
QUERY_VALUES = [
    quote("9999-12-31T23:00:00-14:00", safe=""),
    quote("0001-01-01T00:00:00+14:00", safe=""),
    "9" * 5000,
    "-" + "9" * 40,
    "-1",
    "0",
    "1e308",
    "NaN",
    "inf",
    "%00",
    "%ED%A0%80",
    "%ff%fe",
    quote("跨境电商", safe=""),
    "x" * 3000,
    "",
    "true",
    *(base64.urlsafe_b64encode(json.dumps(c).encode()).decode().rstrip("=") for c in CURSORS),
]
EXTRA_QUERY_NAMES = ["page", "per_page", "after", "q", "format", "sort", "status", "x"]
# String path variables: names that exist, and ones that cannot.
PATH_STRINGS = ["competencies", "majors", "e-commerce", "跨境", "x" * 300, "%00", "..", "nope"]
CONTENT_TYPES = ["application/json", "application/json", "application/merge-patch+json", None]


@dataclass(frozen=True)
class Operation:
    """One method of one URL rule, with what the spec says of its body and query."""

    rule: str
    method: str
    converters: tuple[tuple[str, str], ...]  # (variable, "int" | "string")
    body: dict | None = field(default=None, compare=False, hash=False)
    query: tuple[tuple[str, str], ...] = ()  # (name, kind of BY_KIND)

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def _spec_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule)


def operations(app) -> list[Operation]:
    """Every method (but HEAD and OPTIONS) of every rule in the app's URL map."""
    spec = app.test_client().get("/api/openapi.json").get_json()
    schemas = spec.get("components", {}).get("schemas", {})
    ops = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        kinds = tuple(
            (name, "int" if type(conv).__name__ == "IdConverter" else "string")
            for name, conv in rule._converters.items()
        )
        doc = spec["paths"].get(_spec_path(rule.rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op = doc.get(method.lower(), {})
            content = (op.get("requestBody") or {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            query = tuple(
                (p["name"], kind_of(p.get("schema", {})))
                for p in op.get("parameters", [])
                if p.get("in") == "query"
            )
            body = _resolve(body, schemas) if body else None
            ops.append(Operation(rule.rule, method, kinds, body, query))
    return ops


def _resolve(schema: dict, schemas: dict, depth: int = 0) -> dict:
    """The schema with its $refs replaced (a few levels deep)."""
    if depth > 4 or not isinstance(schema, dict):
        return {}
    if "$ref" in schema:
        return _resolve(schemas.get(schema["$ref"].rsplit("/", 1)[-1], {}), schemas, depth + 1)
    out = dict(schema)
    if "properties" in out:
        out["properties"] = {
            k: _resolve(v, schemas, depth + 1) for k, v in out["properties"].items()
        }
    if "items" in out:
        out["items"] = _resolve(out["items"], schemas, depth + 1)
    return out


def plausible(schema: dict, ids: dict[str, int], name: str = ""):
    """A value that looks like what `schema` asks for (not always valid: references differ)."""
    if schema.get("enum"):
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object" or "properties" in schema:
        return {k: plausible(v, ids, k) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [plausible(schema.get("items", {}), ids, name.removesuffix("s"))]
    if kind == "integer":
        return ids.get(name.removesuffix("_ids") + "_id", ids.get(name, 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    samples = {
        "date-time": (utcnow() + timedelta(days=40)).isoformat(),
        "date": "2027-03-01",
        "email": "hostile@example.cn",
        "url": "https://example.cn/hook",
        "uri": "https://example.cn/hook",
    }
    return samples.get(fmt, "e-commerce" if schema.get("pattern") else "跨境电商 Hostile")


def dumps(value) -> bytes:
    """JSON text for `value`, NaN and infinities as Python writes them, Raw as it is."""
    raws: list[str] = []

    def swap(item):
        if isinstance(item, Raw):
            raws.append(item)
            return f"\x01raw{len(raws) - 1}\x01"
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        if isinstance(item, list):
            return [swap(v) for v in item]
        return item

    text = json.dumps(swap(value), ensure_ascii=True)
    for k, raw in enumerate(raws):
        text = text.replace(f'"\\u0001raw{k}\\u0001"', raw)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def bodies(draw, op: Operation, ids: dict[str, int]) -> bytes | None:
    """A whole hostile document, or a plausible body whose fields are hostile (each maybe).

    Every field is deserialized even when another one fails, so one request with several
    hostile fields tries them all; one hostile field in an otherwise plausible body reaches
    further, into the service.
    """
    if draw(st.integers(0, 3)) == 0 or not op.body:
        return draw(st.sampled_from(RAW_DOCUMENTS))
    body = plausible(op.body, ids)
    if not isinstance(body, dict):
        return dumps(draw(hostile_values))
    properties = op.body.get("properties", {})
    names = sorted(body)
    many = draw(st.booleans())
    chosen = [n for n in names if draw(st.booleans())] if many else []
    chosen = chosen or [draw(st.sampled_from([*names, "unknown_field"]))]
    for name in chosen:
        schema = properties.get(name, {})
        items = schema.get("items", {})
        if schema.get("type") == "array" and items.get("properties") and draw(st.booleans()):
            inner = draw(st.sampled_from(sorted(items["properties"])))
            value = draw(aimed_values(items["properties"][inner]))
            body[name] = [{**plausible(items, ids), inner: value}]
        elif schema.get("type") == "array" and draw(st.booleans()):
            body[name] = [draw(aimed_values(items))]
        else:
            body[name] = draw(aimed_values(schema))
    return dumps(body)


@st.composite
def query_strings(draw, op: Operation) -> str:
    """One to three documented (or made-up) parameters with values aimed at their types."""
    params = [*op.query, *((name, "string") for name in EXTRA_QUERY_NAMES)]
    pairs = draw(st.lists(st.sampled_from(params), min_size=1, max_size=3))
    parts = []
    for name, kind in pairs:
        aimed = [_query_text(v) for v in BY_KIND.get(kind, []) if _query_text(v) is not None]
        value = draw(st.sampled_from(aimed + QUERY_VALUES if aimed else QUERY_VALUES))
        parts.append(f"{quote(name)}={value}")
    return "&".join(parts)


def _query_text(value) -> str | None:
    """A BY_KIND value as query text (percent-encoded); None for what a URL cannot carry."""
    if isinstance(value, (list, dict)) or value is None:
        return None
    text = str(value)
    if len(text) > 3000:
        return None
    return quote(text, safe="", errors="surrogatepass")


@st.composite
def paths(draw, op: Operation, ids: dict[str, int]) -> str:
    """The rule with its variables filled: ids that exist, ids that do not, odd strings."""
    url = op.rule
    for name, kind in op.converters:
        if kind == "int":
            options = [ids[name]] if name in ids else []
            value = str(draw(st.sampled_from([*options, *options, 1, 2, INT32_MAX])))
        else:
            value = draw(st.sampled_from(PATH_STRINGS))
            value = value if value.startswith("%") else quote(value, safe="")
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", lambda _m, v=value: v, url)
    return url


@dataclass
class HostileRequest:
    """What one example sends: a path, a body (with its type) and a query, and who else sends it."""

    path: str
    body: bytes | None
    content_type: str | None
    query: str
    who: str


@st.composite
def hostile_requests(draw, op: Operation, ids: dict[str, int], identities: list[str]):
    """A hostile request for `op`, sent anonymously and as one of `identities`."""
    return HostileRequest(
        path=draw(paths(op, ids)),
        body=draw(bodies(op, ids)),
        content_type=draw(st.sampled_from(CONTENT_TYPES)),
        query=draw(query_strings(op)),
        who=draw(st.sampled_from(identities)),
    )
