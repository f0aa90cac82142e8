"""Latency of the programmes monitoring report at alliance scale (issue 20).

    python3 -m uv run python bench/gen_programmes.py        # once (PostgreSQL)
    python3 -m uv run python bench/programmes.py --runs 100
    BENCH_DATABASE_URL=sqlite:////tmp/programmes.db python3 -m uv run python bench/programmes.py
    python3 -m uv run python bench/programmes.py --profile 20   # where a request's time goes

Prints, for the database bench/gen_programmes.py built (BENCH_DATABASE_URL: PostgreSQL, or
the SQLite copy its `--sqlite` makes), through the Flask test client with the production
app:
- the in-process `/healthz` as the run's baseline, and the load average;
- `GET /api/v1/monitoring/programmes` for every scope the route offers: a coordinator's
  whole alliance, a coordinator's `?organization_id=` of a university and of an enterprise,
  a university's staff and an enterprise's staff (their own); each *cold* (every per-process
  cache emptied before each request, `core.cache.clear_all`) and *warm* (caches kept), p50,
  p95 and max of `--runs` requests; target p95 < 300 ms;
- the coordinator's csv and xlsx of the whole alliance, cold (the table built afresh) and
  warm (the same file from the download cache);
- with `--profile N`: cProfile of N cold requests of the whole alliance's json, the 25
  functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import report, timed, tokens  # noqa: E402
from bench.gen_programmes import DEFAULT_URL, ids  # noqa: E402

URL = "/api/v1/monitoring/programmes"
REDIS = "redis://127.0.0.1:6379/2"


def make_app():
    """The production app on the benchmark database."""
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", REDIS),
    )
    from cbec_alliance import create_app, settle_process

    app = create_app()
    settle_process()  # as a gunicorn worker does once the app is loaded
    return app


def _counts(app) -> argparse.Namespace:
    """The generated sizes, read back (students, universities, enterprises)."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.organizations.models import Organization
    from cbec_alliance.programmes.models import CohortMember, Programme

    with app.app_context():
        kinds = dict(
            db.session.execute(
                sa.select(Organization.kind, sa.func.count()).group_by(Organization.kind)
            ).all()
        )
        out = argparse.Namespace(
            universities=kinds.get("university", 0),
            enterprises=kinds.get("enterprise", 0),
            students=db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)),
            programmes=db.session.scalar(sa.select(sa.func.count()).select_from(Programme)),
        )
    return out


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def scenarios(app, a) -> list[tuple[str, dict, dict]]:
    """(name, headers, query) of every scope the route offers."""
    n = ids(a)
    coordinator, uni_staff, ent_staff = tokens(
        app, [n["coordinator"], n["uni_staff"], n["ent_staff"]]
    )
    bearer = {k: {"Authorization": f"Bearer {t}"} for k, t in
              (("c", coordinator), ("u", uni_staff), ("e", ent_staff))}  # fmt: skip
    enterprise = 1 + a.universities
    return [
        ("coordinator, whole alliance", bearer["c"], {}),
        ("coordinator, ?organization_id=university 1", bearer["c"], {"organization_id": 1}),
        (
            f"coordinator, ?organization_id=enterprise {enterprise}",
            bearer["c"],
            {"organization_id": enterprise},
        ),
        ("university staff (own)", bearer["u"], {}),
        ("enterprise staff (own)", bearer["e"], {}),
    ]


def main() -> None:
    """Time every scope cold and warm, the downloads, optionally a profile."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--file-runs", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="profile N cold requests")
    parser.add_argument("--case", type=int, default=0, help="the scope --profile takes (0-4)")
    args = parser.parse_args()
    app = make_app()
    from cbec_alliance.core import cache

    a = _counts(app)
    url = app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
    print(
        f"{a.programmes:,} programmes, {a.students:,} cohort members, {a.universities} "
        f"universities, {a.enterprises:,} enterprises  ({url}); {_load()}"
    )
    client = app.test_client()
    cases = scenarios(app, a)
    for _, headers, query in cases:  # warm-up: imports, connections
        client.get(URL, query_string=query, headers=headers)
    if args.profile:
        _, headers, query = cases[args.case]
        profiler = cProfile.Profile()
        profiler.enable()
        timed(client, URL, args.profile, [query], [headers], before=cache.clear_all)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(15)
        return
    report("/healthz (baseline)", timed(client, "/healthz", args.runs, [{}]))
    for name, headers, query in cases:
        body = client.get(URL, query_string=query, headers=headers).get_json()
        print(
            f"\n{name}: {body['totals']['programmes']:,} programmes, "
            f"{len(body['fulfilment']):,} order classes, {len(body['dual_qualified'])} "
            f"universities; {_load()}"
        )
        cold = timed(client, URL, args.runs, [query], [headers], before=cache.clear_all)
        report("  json, cold", cold, 300)
        report("  json, warm", timed(client, URL, args.runs, [query], [headers]), 300)
    name, headers, query = cases[0]
    print(f"\n{name}, downloads; {_load()}")
    for fmt in ("csv", "xlsx"):
        qs = {**query, "format": fmt}
        cold = timed(client, URL, args.file_runs, [qs], [headers], before=cache.clear_all)
        report(f"  {fmt}, cold", cold, 300)
        report(f"  {fmt}, warm", timed(client, URL, args.file_runs, [qs], [headers]), 300)
    print(f"\ndone; {_load()}")


if __name__ == "__main__":
    main()
