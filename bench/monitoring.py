"""Latency of every monitoring endpoint and of the survey report on a large alliance (issue 7).

    python3 -m uv run python bench/gen_monitoring.py     # once
    python3 -m uv run python bench/monitoring.py --runs 200

Prints, for the database bench/gen_monitoring.py built (BENCH_DATABASE_URL):
- the refresh the beat task runs (partnership health for all partnerships, then each
  summary), with the time of each part;
- each chart's first request, drawn cold (the process's first draw also imports matplotlib
  and loads the font), before anything is in the chart cache, and then every download
  (chart, CSV, XLSX) built afresh (cache emptied before each of `--draw-runs` requests);
- p50/p95/max of each endpoint through the Flask test client as a coordinator, JSON and the
  CSV, XLSX and chart downloads (from the per-content cache), with the summaries materialised and
  a refresh interval of 600 s (the response's `as_of` is never older than that), target p95
  < 300 ms; the report of the latest talent-demand survey, plain, as csv, xlsx and svg, and
  compared with the one before (`?compare_to=`), computed on every request;
- for comparison, each summary computed on every request (interval 0).

The surveys timed are the two latest of the `talent-demand` template (by year, then id):
bench/gen_monitoring.py makes 2026's (open) and 2025's (closed), 5,000 responses each at its
default size.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import coordinator_id, report, timed, tokens  # noqa: E402
from bench.gen_monitoring import DEFAULT_URL  # noqa: E402
from bench.harness import percentile  # noqa: E402

MONITORING = "/api/v1/monitoring"
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


def survey_routes(app) -> list[tuple[str, dict]]:
    """The report routes of the latest talent-demand survey, compared with the one before."""
    from cbec_alliance.extensions import db
    from cbec_alliance.surveys.models import Survey

    with app.app_context():
        ids = db.session.scalars(
            db.select(Survey.id)
            .where(Survey.template == "talent-demand")
            .order_by(Survey.year.desc(), Survey.id.desc())
            .limit(2)
        ).all()
    if len(ids) < 2:
        raise SystemExit("bench/gen_monitoring.py makes two talent-demand surveys; found fewer")
    this, before = ids
    url = f"/api/v1/surveys/{this}/report"
    return [
        (url, {}),
        (url, {"format": "csv"}),
        (url, {"format": "xlsx"}),
        (url, {"format": "svg"}),
        (url, {"format": "svg", "question": "competencies"}),
        (url, {"compare_to": before}),
        (url, {"compare_to": before, "format": "svg", "question": "competencies"}),
    ]


def _name(url: str, qs: dict) -> str:
    name = url.removeprefix(MONITORING + "/").removeprefix("/api/v1/")
    return name + (f"?{'&'.join(f'{k}={v}' for k, v in qs.items())}" if qs else "")


def _is_chart(qs: dict) -> bool:
    return qs.get("format") in ("svg", "png")


def _is_file(qs: dict) -> bool:
    return qs.get("format") in ("svg", "png", "xlsx", "csv")


def setup_app(interval: int):
    """The production app on the benchmark database with the given refresh interval."""
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
        MONITORING_REFRESH_SECONDS=str(interval),
    )
    from cbec_alliance import create_app, settle_process

    app = create_app()
    settle_process()  # as a gunicorn worker does once the app is loaded
    return app


def main() -> None:
    """Refresh once, then time every endpoint warm, then computed per request."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--draw-runs", type=int, default=20)
    args = parser.parse_args()
    app = setup_app(600)
    from cbec_alliance.core.db import commit
    from cbec_alliance.extensions import db
    from cbec_alliance.monitoring import services
    from cbec_alliance.partnerships.models import Partnership

    with app.app_context():
        # Each refresh rewrites every partnership's health row. Production's autovacuum
        # clears the dead rows between refreshes; this machine's PostgreSQL runs with
        # autovacuum off, so a repeated benchmark would otherwise scan ever more of them.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE partnerships")
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
    routes = [(f"{MONITORING}/{route}", qs) for route, qs in ROUTES] + survey_routes(app)
    charts = [(url, qs) for url, qs in routes if _is_chart(qs)]
    files = [(url, qs) for url, qs in routes if _is_file(qs)]
    client.get(f"{MONITORING}/overview", headers=headers[0])  # connections, auth: not charts
    print("\ncharts, first request (cold: nothing cached; the first also imports matplotlib):")
    from cbec_alliance.core import exports

    for url, qs in charts:
        report(_name(url, qs), timed(client, url, 1, [qs], headers))
    for url, qs in routes:  # warm-up: imports, connections, the chart cache
        client.get(url, query_string=qs, headers=headers[0])
    print(
        f"\ndownloads built on every request (chart and table cache emptied first), "
        f"{args.draw_runs} each:"
    )
    for url, qs in files:
        samples = timed(client, url, args.draw_runs, [qs], headers, before=exports._files.clear)
        report(_name(url, qs), samples, 300)
    for url, qs in files:  # back in the cache for the warm runs
        client.get(url, query_string=qs, headers=headers[0])
    print(
        f"\nmaterialised (refresh interval 600 s), downloads cached, survey reports computed, "
        f"{args.runs} requests each:"
    )
    worst = 0.0
    for url, qs in routes:
        samples = timed(client, url, args.runs, [qs], headers)
        report(_name(url, qs), samples, 300)
        worst = max(worst, percentile(samples, 95))
    print(f"worst p95: {worst:.1f} ms")

    cold = setup_app(0)
    client = cold.test_client()
    print(f"\ncomputed on every request (interval 0), {args.cold_runs} requests each:")
    for route in dict.fromkeys(r for r, _ in ROUTES):
        samples = timed(client, f"{MONITORING}/{route}", args.cold_runs, [{}], headers)
        report(route, samples)


if __name__ == "__main__":
    main()
