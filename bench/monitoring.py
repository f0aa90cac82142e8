"""Latency of every monitoring endpoint on a large alliance (issue 7).

    python3 -m uv run python bench/gen_monitoring.py     # once
    python3 -m uv run python bench/monitoring.py --runs 200

Prints, for the database bench/gen_monitoring.py built (BENCH_DATABASE_URL):
- the refresh the beat task runs (partnership health for all partnerships, then each
  summary), with the time of each part;
- p50/p95/max of each endpoint through the Flask test client as a coordinator, JSON and the
  CSV, XLSX and chart downloads, with the summaries materialised and a refresh interval of
  600 s (the response's `as_of` is never older than that), target p95 < 300 ms;
- for comparison, each summary computed on every request (interval 0).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import coordinator_id, report, timed, tokens  # noqa: E402
from bench.gen_monitoring import DEFAULT_URL  # noqa: E402

ROUTES = [
    ("overview", {}),
    ("overview", {"format": "csv"}),
    ("skills-gap", {}),
    ("skills-gap", {"format": "xlsx"}),
    ("skills-gap", {"format": "svg"}),
    ("districts", {}),
    ("districts", {"format": "csv"}),
    ("internships", {}),
    ("internships", {"category": "marketing"}),
    ("internships", {"format": "png"}),
    ("partnerships", {}),
    ("partnerships", {"format": "xlsx"}),
]


def setup_app(interval: int):
    """The production app on the benchmark database with the given refresh interval."""
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
        MONITORING_REFRESH_SECONDS=str(interval),
    )
    from cbec_alliance import create_app

    return create_app()


def main() -> None:
    """Refresh once, then time every endpoint warm, then computed per request."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    app = setup_app(600)
    from cbec_alliance.core.db import commit
    from cbec_alliance.extensions import db
    from cbec_alliance.monitoring import services
    from cbec_alliance.partnerships.models import Partnership

    with app.app_context():
        n = db.session.scalar(db.select(db.func.count()).select_from(Partnership))
        t = time.perf_counter()
        took = services.refresh_all()
        commit()
        total = time.perf_counter() - t
    print(f"beat refresh over {n:,} partnerships: {total:.2f} s")
    for part, seconds in took.items():
        print(f"  {part:<20} {seconds:8.3f} s")

    headers = [{"Authorization": f"Bearer {tokens(app, [coordinator_id(app)])[0]}"}]
    client = app.test_client()
    for route, qs in ROUTES:  # warm-up: imports, fonts, connections
        client.get(f"/api/v1/monitoring/{route}", query_string=qs, headers=headers[0])
    print(f"\nmaterialised (refresh interval 600 s), {args.runs} requests each:")
    worst = 0.0
    for route, qs in ROUTES:
        samples = timed(client, f"/api/v1/monitoring/{route}", args.runs, [qs], headers)
        name = route + (f"?{'&'.join(f'{k}={v}' for k, v in qs.items())}" if qs else "")
        report(name, samples, 300)
        worst = max(worst, statistics.quantiles(samples, n=100)[94])
    print(f"worst p95: {worst:.1f} ms")

    cold = setup_app(0)
    client = cold.test_client()
    print(f"\ncomputed on every request (interval 0), {args.cold_runs} requests each:")
    for route in dict.fromkeys(r for r, _ in ROUTES):
        samples = timed(client, f"/api/v1/monitoring/{route}", args.cold_runs, [{}], headers)
        report(route, samples)


if __name__ == "__main__":
    main()
