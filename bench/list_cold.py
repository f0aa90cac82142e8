"""The cold internship list and search as people type it (issue 17 items 2 and 5).

    python3 -m uv run python bench/gen_alliance.py      # once: 100k internships, 200k students
    python3 -m uv run python bench/list_cold.py --urls 400 --duration 10 --rounds 3

Before and after in the same run, request by request: "before" is the list as on main (every
page through the filtered SQL: INTERNSHIP_LIST_INDEX=0; `q` without the gram condition:
listing_query.SHORT = 0), "after" the list now (the postings' arrays of listing_index.py for
filters, and for `q` the postings' search texts beside them, listing_search.py). For `q`
alone against main's SQL with the gram index, see bench/search_cold.py.

In-process (Flask test client, the production app on BENCH_DATABASE_URL): every request a
distinct filter combination with the page and total caches emptied before it; p50/p95/max
of each side over `--urls` URLs, then `q` terms of one, two and three characters, then the
"postings change all day" case (a posting touched before every request, so the index reads
its changes each time), beside the app's `/healthz`.

Under gunicorn (2 workers x 4 threads, --reuse-port; wrk 2 threads, 32 connections on the
same 2 cores): a wrk Lua rotation over URLs each of a distinct filter set (no URL repeats
within a run, and the page cache off), interleaved round by round with the bare Flask
hello-world (bench/hello_app.py) by bench/harness.py. Targets: in-process p95 < 5 ms cold,
a two-character `q` p95 < 20 ms, gunicorn >= 10% of the hello-world.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_alliance import DEFAULT_URL  # noqa: E402
from bench.harness import gunicorn, hello_world, interleaved, lua_file, summary, wrk  # noqa: E402
from bench.overhead import app_env  # noqa: E402

LIST = "/api/v1/internships"
TERMS = {
    "1 character": ["品", "播", "仓", "a", "S"],
    "2 characters (Chinese)": ["直播", "选品", "运营", "物流", "客服"],
    "2 characters (English)": ["AI", "bi", "Sh", "Ad", "tk"],
    "3 characters": ["亚马逊", "海外仓", "SEO", "erp", "速卖通"],
}


def vocabularies(url: str) -> dict[str, list]:
    """The filter values to combine: the taxonomy's codes and a range of enterprises."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT vocabulary, code FROM taxonomy_items").fetchall()
        first, last = conn.execute(
            "SELECT min(enterprise_id), max(enterprise_id) FROM internships"
        ).fetchone()
    words: dict[str, list] = {}
    for vocabulary, code in rows:
        words.setdefault(vocabulary, []).append(code)
    return {
        "category": words["job-categories"],
        "district": words["districts"],
        "mode": ["onsite", "hybrid", "remote"],
        "competency": words["competencies"],
        "major": words["majors"],
        "language": words["languages"],
        "status": ["closed", "filled"],
        "enterprise_id": list(range(first, last + 1)),
    }


def distinct_urls(values: dict[str, list], count: int, seed: int) -> list[dict]:
    """`count` query strings, each of a filter set no other has (so no total is cached)."""
    rng = random.Random(seed)  # noqa: S311 (benchmark data)
    seen, out = set(), []
    odds = {"status": 0.05, "enterprise_id": 0.03}
    while len(out) < count:
        query = {k: rng.choice(v) for k, v in values.items() if rng.random() < odds.get(k, 0.35)}
        key = tuple(sorted(query.items()))
        if not query or key in seen:
            continue
        seen.add(key)
        if rng.random() < 0.3:
            query["sort"] = "apply_by"
        if rng.random() < 0.2:
            query["page"] = rng.randint(2, 3)
        out.append(query)
    return out


# --- in-process -----------------------------------------------------------------------------


def setup_app():
    """The production app on the benchmark database (bench/api_latency.py), page cache off."""
    os.environ["INTERNSHIP_PAGE_CACHE"] = "0"
    from bench.api_latency import setup_app as production_app

    return production_app()


class Sides:
    """Switch the app between main's list ("before") and this branch's ("after")."""

    def __init__(self, app) -> None:
        from cbec_alliance.internships import listing_query

        self.app, self.query = app, listing_query

    def use(self, side: str) -> None:
        """Before: SQL for every page, no gram condition; after: both on."""
        self.app.config["INTERNSHIP_LIST_INDEX"] = side == "after"
        self.query.SHORT = 3 if side == "after" else 0


def cold_get(client, query: dict, before=None) -> float:
    """Milliseconds of one list request with the page and total caches emptied first."""
    from cbec_alliance.core.cache import CACHES

    for cache in CACHES.values():
        cache.clear()
    if before:
        before()
    started = time.perf_counter()
    resp = client.get(LIST, query_string=query)
    took = (time.perf_counter() - started) * 1000
    if resp.status_code != 200:
        raise SystemExit(f"{query}: {resp.status_code} {resp.get_data(as_text=True)[:300]}")
    return took


def side_by_side(client, sides: Sides, queries: list[dict], before=None) -> dict[str, list]:
    """Each query on both sides, alternating which goes first; the bodies must agree (unless
    `before` changes postings between them)."""
    out: dict[str, list] = {"before": [], "after": []}
    for k, query in enumerate(queries):
        order = ("before", "after") if k % 2 == 0 else ("after", "before")
        bodies = {}
        for side in order:
            sides.use(side)
            out[side].append(cold_get(client, query, before))
            bodies[side] = client.get(LIST, query_string=query).get_json()
        if before is None and bodies["before"] != bodies["after"]:
            raise SystemExit(f"the two sides disagree on {query}")
    return out


def in_process(args, values: dict[str, list]) -> None:
    """The in-process figures (see the module's docstring)."""
    app = setup_app()
    client, sides = app.test_client(), Sides(app)
    sides.use("after")
    started = time.perf_counter()
    client.get(LIST)
    print(f"first list request of a process (reads every posting into the index): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
    healthz = []
    for _ in range(200):
        started = time.perf_counter()
        client.get("/healthz")
        healthz.append((time.perf_counter() - started) * 1000)
    print(f"{'/healthz (in-process baseline)':<46} {summary(healthz)}")
    urls = distinct_urls(values, args.urls, seed=1)
    for side, samples in side_by_side(client, sides, urls).items():
        print(f"{f'{args.urls} distinct filter URLs, cold, {side}':<46} {summary(samples)}")
    for label, terms in TERMS.items():
        queries = [{"q": t, **({"page": 2} if k % 3 == 2 else {})} for k in range(6) for t in terms]
        for side, samples in side_by_side(client, sides, queries).items():
            print(f"{f'q, {label}, cold, {side}':<46} {summary(samples)}")
    _changing(app, client, sides, values)


def _changing(app, client, sides: Sides, values: dict[str, list]) -> None:
    """Distinct URLs with one posting changed before each request (as accepted offers do)."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    rng = random.Random(5)  # noqa: S311

    def touch():
        with app.app_context():
            db.session.execute(
                sa.text("UPDATE internships SET updated_at = now() WHERE id = :id"),
                {"id": rng.randint(1, 100_000)},
            )
            db.session.commit()

    urls = distinct_urls(values, 200, seed=2)
    for side, samples in side_by_side(client, sides, urls, before=touch).items():
        print(
            f"{'200 distinct URLs, a posting changed before each, ' + side:<46} {summary(samples)}"
        )


# --- gunicorn -------------------------------------------------------------------------------


def rotation(queries: list[dict]) -> str:
    """A wrk Lua script requesting each URL once (each thread starts half way along)."""
    paths = [LIST + "?" + urllib.parse.urlencode(q) for q in queries]
    body = ",\n".join(f'"{p}"' for p in paths)
    script = (
        f"local paths = {{{body}}}\n"
        "local threads = 0\n"
        "function setup(thread) thread:set('start', threads); threads = threads + 1 end\n"
        "local i = nil\n"
        "request = function()\n"
        "  if i == nil then i = (start or 0) * math.floor(#paths / 2) end\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )
    return lua_file(script)


def under_gunicorn(args, values: dict[str, list]) -> None:
    """Hello-world, then the list before, then after, round by round."""
    env = {**app_env(), "INTERNSHIP_PAGE_CACHE": "0"}
    per_run = args.per_run
    pool = iter(distinct_urls(values, per_run * (2 * args.rounds + 2), seed=3))

    def script() -> str:
        return rotation([next(pool) for _ in range(per_run)])

    with (
        hello_world(offset=0) as hello,
        gunicorn("wsgi:app", 1, env={**env, "INTERNSHIP_LIST_INDEX": "0"}) as before,
        gunicorn("wsgi:app", 2, env={**env, "INTERNSHIP_LIST_INDEX": "1"}) as after,
    ):
        wrk(hello, 2, args.connections)
        for base in (before, after):  # warm the pools and read the index (both workers)
            wrk(base, 5, args.connections, script=script())
        results = interleaved(
            lambda: wrk(hello, args.duration, args.connections),
            {
                "distinct filter URLs, before (SQL)": lambda: wrk(
                    before, args.duration, args.connections, script=script()
                ),
                "distinct filter URLs, after (index)": lambda: wrk(
                    after, args.duration, args.connections, script=script()
                ),
            },
            args.rounds,
        )
    for name, result in results.items():
        if not name.startswith("_"):
            errors = sum(run["errors"] + run["socket_errors"] for run in result["runs"])
            print(f"{name}: median {result['median_ratio']:.1%} of the bare hello-world"
                  f" ({errors} errors; target >= 10%)")  # fmt: skip


def main() -> None:
    """In-process figures, then gunicorn's."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=400)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--per-run", type=int, default=20_000, help="distinct URLs per wrk run")
    parser.add_argument("--skip", choices=["in-process", "gunicorn"], default=None)
    args = parser.parse_args()
    values = vocabularies(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    if args.skip != "in-process":
        in_process(args, values)
    if args.skip != "gunicorn":
        under_gunicorn(args, values)


if __name__ == "__main__":
    main()
