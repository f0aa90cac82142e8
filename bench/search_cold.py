"""`q` on the internship list, cold, before and after the in-process search (issue 17 item 5).

    python3 -m uv run python bench/gen_alliance.py      # once: 100k internships, 200k students
    python3 -m uv run python bench/search_cold.py --rounds 20

In-process (Flask test client, the production app on BENCH_DATABASE_URL, page cache off).
"Before" is main's list (`q` through the SQL with the gram index of migration 0023:
listing_index.SEARCH off), "after" this branch (`q` from the postings' texts held by the
index, listing_search.py); request by request, alternating which side goes first, with the
page and total caches emptied before each request; both bodies must be equal. Per term of
one, two and three characters (Chinese and English): p50, p95 and max of each side, with
the load average before and after. Then the index's first read (a fresh process each,
with and without the search texts): its time and the process's RSS growth.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import percentile  # noqa: E402
from bench.list_cold import LIST, cold_get, setup_app  # noqa: E402

TERMS = {
    "1 character": ["品", "播", "仓", "a", "S"],
    "2 characters (Chinese)": ["直播", "选品", "运营", "物流", "客服"],
    "2 characters (English)": ["AI", "bi", "Sh", "Ad", "tk"],
    "3 characters": ["亚马逊", "海外仓", "SEO", "erp", "速卖通"],
}


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<40} p50 {percentile(samples, 50):7.2f}  p95 {percentile(samples, 95):7.2f}"
        f"  max {max(samples):7.2f} ms  (n={len(samples)})"
    )


def compare(rounds: int) -> None:
    """Every term, `rounds` times on each side, interleaved."""
    from cbec_alliance.internships import listing_index

    app = setup_app()
    client = app.test_client()
    started = time.perf_counter()
    client.get(LIST)
    print(f"first list request (reads every posting into the index): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
    print(f"load average before: {_load()}")
    samples: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        for terms in TERMS.values():
            for k, term in enumerate(terms):
                query = {"q": term, **({"page": 2} if round_ % 4 == 3 else {})}
                order = ("before", "after") if (round_ + k) % 2 == 0 else ("after", "before")
                bodies = {}
                for side in order:
                    listing_index.SEARCH = side == "after"
                    samples.setdefault((term, side), []).append(cold_get(client, query))
                    bodies[side] = client.get(LIST, query_string=query).get_json()
                if bodies["before"] != bodies["after"]:
                    raise SystemExit(f"the two sides disagree on {query}")
    changing = _changing(app, client, rounds)
    listing_index.SEARCH = True
    print(f"load average after:  {_load()}")
    for label, terms in TERMS.items():
        print(f"\n{label}")
        for term in terms:
            total = client.get(LIST, query_string={"q": term}).get_json()["total"]
            for side in ("before", "after"):
                print(_line(f"  {term!r} ({total:,} matches), {side}", samples[(term, side)]))
        for side in ("before", "after"):
            pooled = [s for term in terms for s in samples[(term, side)]]
            print(_line(f"  all {label}, {side}", pooled))
    print("\n2 characters (Chinese), a posting's title changed before each request")
    for side in ("before", "after"):
        print(_line(f"  all, {side}", changing[side]))


def _changing(app, client, rounds: int) -> dict[str, list[float]]:
    """Two-character terms with a posting's title changed (and changed back the next time)
    before each request, as the app changes it (`updated_at` too): the index reads the change
    and checks the changed texts apart."""
    import random

    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.internships import listing_index

    rng = random.Random(7)  # noqa: S311 (benchmark)

    def touch():
        with app.app_context():
            db.session.execute(
                sa.text(
                    "UPDATE internships SET updated_at = now(), title = CASE WHEN title "
                    "LIKE '% 改' THEN left(title, -2) ELSE title || ' 改' END WHERE id = :id"
                ),
                {"id": rng.randint(1, 100_000)},
            )
            db.session.commit()

    out: dict[str, list[float]] = {"before": [], "after": []}
    for round_ in range(max(rounds // 2, 1)):
        for k, term in enumerate(TERMS["2 characters (Chinese)"]):
            order = ("before", "after") if (round_ + k) % 2 == 0 else ("after", "before")
            for side in order:
                listing_index.SEARCH = side == "after"
                out[side].append(cold_get(client, {"q": term}, touch))
    return out


def _rss() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1e3


def first_read(with_search: bool) -> None:
    """(In a fresh process.) The index's first read: milliseconds and RSS growth, as JSON."""
    import sqlalchemy as sa

    from cbec_alliance.internships import listing_index, listing_search

    if not with_search:  # main's read: no texts
        listing_index.ROWS = sa.select(*list(listing_index.ROWS.selected_columns)[:-1])

        def nothing(cls, ids, texts):
            raise ValueError

        listing_search.Texts.build = classmethod(nothing)  # type: ignore[method-assign,assignment]
    app = setup_app()
    with app.app_context():
        from cbec_alliance.core.db import read_connection

        with read_connection() as conn:
            conn.scalar(sa.text("SELECT 1"))
            rss, peak = _rss(), _peak()
            started = time.perf_counter()
            postings = listing_index.INDEX.latest(conn)
            took = (time.perf_counter() - started) * 1000
            held = postings.search.texts.nbytes() / 1e6 if postings.search else 0.0
    print(json.dumps({"ms": took, "rss": _rss() - rss, "peak": _peak() - peak, "held": held}))


def first_reads(runs: int) -> None:
    for with_search in (False, True, False, True)[: 2 * runs]:
        flag = "--first-read-search" if with_search else "--first-read-plain"
        out = subprocess.run(  # noqa: S603 (our own script)
            [sys.executable, __file__, flag], capture_output=True, text=True, check=True
        )
        got = json.loads(out.stdout.strip().splitlines()[-1])
        label = "with search texts (branch)" if with_search else "without (main)"
        print(
            f"index's first read, {label:<27} {got['ms']:6.0f} ms, RSS +{got['rss']:5.0f} MB "
            f"(peak +{got['peak']:4.0f} MB), search arrays and texts {got['held']:.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--first-reads", type=int, default=2)
    parser.add_argument("--first-read-search", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first-read-plain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_read_search or args.first_read_plain:
        first_read(args.first_read_search)
        return
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average {_load()}")
    compare(args.rounds)
    print()
    first_reads(args.first_reads)


if __name__ == "__main__":
    main()
