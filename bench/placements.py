"""Placements at alliance scale (issue 18): the nightly sweeps, the monitoring view, a mentor's
list, and the morning check-in under gunicorn as a share of the bare hello-world.

    python3 -m uv run python bench/gen_placements.py          # once
    python3 -m uv run python bench/placements.py --runs 100 --duration 10 --rounds 3

Prints, for the database bench/gen_placements.py built (BENCH_DATABASE_URL):
- the nightly compliance sweep over yesterday (days and weeks summed by the database, the
  day's rows read for night minutes, each breach raised once; rolled back afterwards so the
  run can be repeated), target < 60 s; with `--reminders` also the log reminders beat sends;
- `GET /api/v1/monitoring/placements` through the Flask test client: each scope's compute
  (first request), then p50/p95 of JSON, CSV and XLSX from the snapshot, for a coordinator
  (all, and one university's share), a university's staff and an enterprise's staff,
  target p95 < 300 ms;
- a mentor's list of their 20 students (`GET /api/v1/placements/mentoring`), target p95 <
  20 ms;
- the morning check-in (`POST /api/v1/placements/{id}/check-ins`, each request a different
  student's first check-in of the day) under gunicorn (2 workers x 4 threads) against the
  bare hello-world, interleaved round by round with wrk; target >= 40% of the hello-world.
  Today's check-ins are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_placements import DEFAULT_URL  # noqa: E402
from bench.harness import gunicorn, hello_world, interleaved, lua_file, summary, wrk  # noqa: E402

MONITORING = "/api/v1/monitoring/placements"
# The app with the check-in clock at 08:30 in Guangzhou (bench/morning_app.py): the morning path
# at any hour of the run.
APP = "bench.morning_app:app"


def app_env() -> dict[str, str]:
    """The production configuration on the benchmark database."""
    return {
        "CBEC_CONFIG": "production",
        "SECRET_KEY": "bench-" + "x" * 32,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    }


def make_app():
    """The production app on the benchmark database."""
    os.environ.update(app_env())
    from cbec_alliance import create_app

    return create_app()


def sweeps(app, reminders: bool) -> None:
    """Time the nightly compliance sweep and, when asked, the log reminders (each rolled
    back)."""
    from cbec_alliance.core.timeutil import utcnow
    from cbec_alliance.extensions import db
    from cbec_alliance.placements import alerts, logs
    from cbec_alliance.placements.hours import local_day

    today = local_day(utcnow())
    parts = [("nightly compliance sweep (yesterday)", lambda: alerts.nightly(today))]
    if reminders:
        parts.append(("log reminders (beat)", lambda: logs.send_reminders(today)))
    for label, work in parts:
        with app.app_context():
            started = time.perf_counter()
            result = work()
            db.session.flush()
            took = time.perf_counter() - started
            db.session.rollback()
        print(f"{label:<44} {took:7.2f} s  -> {result}", flush=True)


def _ids(app) -> dict:
    """The users and organizations the requests act as."""
    import sqlalchemy as sa

    from cbec_alliance.accounts.models import User
    from cbec_alliance.extensions import db
    from cbec_alliance.placements.models import Placement

    with app.app_context():
        first = db.session.get(Placement, 1)
        return {
            "coordinator": db.session.scalar(
                sa.select(User.id).where(User.email == "gov@bench.cn")
            ),
            "school_mentor": first.school_mentor_id,
            "enterprise_mentor": first.enterprise_mentor_id,
            "university": first.university_id,
        }


def _token(app, user_id: int) -> dict:
    from bench.api_latency import tokens

    return {"Authorization": f"Bearer {tokens(app, [user_id])[0]}"}


def _timed(client, url: str, headers: dict, runs: int, query: dict) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        resp = client.get(url, query_string=query, headers=headers)
        out.append((time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{url} {query}: {resp.status_code} {resp.get_data(as_text=True)}")
    return out


def views(app, runs: int) -> None:
    """The monitoring view per scope and format, and a mentor's list of students."""
    ids = _ids(app)
    client = app.test_client()
    callers = {
        "coordinator": (_token(app, ids["coordinator"]), {}),
        "coordinator, one university": (
            _token(app, ids["coordinator"]),
            {"organization_id": ids["university"]},
        ),
        "university staff": (_token(app, ids["school_mentor"]), {}),
        "enterprise staff": (_token(app, ids["enterprise_mentor"]), {}),
    }
    for name, (headers, query) in callers.items():
        cold = _timed(client, MONITORING, headers, 1, query)[0]
        print(f"monitoring/placements {name}: first request (computes) {cold:8.1f} ms")
        for fmt in ("json", "csv", "xlsx"):
            samples = _timed(client, MONITORING, headers, runs, {**query, "format": fmt})
            print(f"  {fmt:<5} {summary(samples)}  target p95 < 300 ms", flush=True)
    for role in ("school_mentor", "enterprise_mentor"):
        headers = _token(app, ids[role])
        samples = _timed(client, "/api/v1/placements/mentoring", headers, runs, {"per_page": 20})
        print(f"mentor's list of 20 ({role}): {summary(samples)}  target p95 < 20 ms")


def _round_trips(app, send) -> list[str]:
    """What one request sends to the database: each statement, the transaction's BEGIN and
    COMMIT/ROLLBACK, and the pool's liveness ping when a connection is checked out."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    with app.app_context():
        engine = db.engine
    sent: list[str] = []

    def statement(_conn, _cursor, text, *_args):
        sent.append(" ".join(text.split())[:150])

    listeners = [
        (engine, "before_cursor_execute", statement),
        (engine, "begin", lambda _c: sent.append("BEGIN")),
        (engine, "commit", lambda _c: sent.append("COMMIT")),
        (engine, "rollback", lambda _c: sent.append("ROLLBACK")),
        (engine.pool, "checkout", lambda *_a: sent.append("(pool checkout: ping)")),
    ]
    for target, name, fn in listeners:
        sa.event.listen(target, name, fn)
    try:
        send()
    finally:
        for target, name, fn in listeners:
            sa.event.remove(target, name, fn)
    return sent


def statements(app) -> None:
    """Print what a mentor's list and a morning check-in send to the database (after one
    request of each to warm the caches)."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.placements.models import Placement

    ids = _ids(app)
    client = app.test_client()
    mentor = _token(app, ids["school_mentor"])
    with app.app_context():
        pairs = db.session.execute(
            sa.select(Placement.id, Placement.student_id)
            .where(Placement.state == "active")
            .order_by(Placement.id.desc())
            .limit(2)
        ).all()

    def mentoring():
        resp = client.get(
            "/api/v1/placements/mentoring", headers=mentor, query_string={"per_page": 20}
        )
        assert resp.status_code == 200, resp.get_data(as_text=True)

    def check_in(pair):
        def send():
            resp = client.post(
                f"/api/v1/placements/{pair[0]}/check-ins",
                headers={"Authorization": f"Bearer cbec_bench{pair[1]}"},
                json={"action": "in"},
            )
            assert resp.status_code == 201, resp.get_data(as_text=True)

        return send

    try:
        for label, warm, send in (
            ("mentor's list of 20", mentoring, mentoring),
            ("morning check-in", check_in(pairs[0]), check_in(pairs[1])),
        ):
            warm()
            sent = _round_trips(app, send)
            print(f"{label}: {len(sent)} round trips")
            for line in sent:
                print(f"    {line}")
    finally:
        _clean_today(app)


def _scripts(app, rounds: int, per_round: int) -> list[str]:
    """A wrk Lua script per round, each over its own slice of active placements."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.placements.models import Placement

    with app.app_context():
        pairs = db.session.execute(
            sa.select(Placement.id, Placement.student_id)
            .where(Placement.state == "active")
            .order_by(Placement.id.desc())
            .limit(rounds * per_round + per_round)
        ).all()
    out = []
    for k in range(rounds + 1):  # one more for the warm-up
        chunk = pairs[k * per_round : (k + 1) * per_round]
        rows = ",".join(f'{{{pid},"cbec_bench{sid}"}}' for pid, sid in chunk)
        handle, name = tempfile.mkstemp(prefix=f"bench_checkin_{k}_", suffix=".lua")
        os.close(handle)
        path = Path(name)
        path.write_text(LUA.replace("__ROWS__", rows))
        out.append(str(path))
    return out


LUA = """
local rows = {__ROWS__}
local n = 0
local step = 1
function setup(thread)
  n = n + 1
  thread:set("first", n)
end
function init(args)
  step = first
end
function request()
  local row = rows[step]
  step = step + 2
  if row == nil then row = rows[1] end
  return wrk.format("POST", "/api/v1/placements/" .. row[1] .. "/check-ins",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. row[2]},
    '{"action": "in"}')
end
"""


def _clean_today(app) -> None:
    import sqlalchemy as sa

    from cbec_alliance.core.timeutil import utcnow
    from cbec_alliance.extensions import db
    from cbec_alliance.placements.hours import local_day
    from cbec_alliance.placements.records_models import CheckIn

    with app.app_context():
        db.session.execute(sa.delete(CheckIn).where(CheckIn.day == local_day(utcnow())))
        db.session.commit()


def morning(app, duration: int, rounds: int, connections: int) -> None:
    """Check-ins per second against the hello-world, interleaved."""
    scripts = _scripts(app, rounds, per_round=max(2_000, duration * 1_000))
    turn = iter(scripts[1:])
    try:
        with hello_world(offset=0) as hello, gunicorn(APP, 1, env=app_env()) as base:
            wrk(hello, 2, connections)
            warm = wrk(base + "/", 2, connections, script=scripts[0])
            print(f"warm-up: {warm['rate']:.0f} check-ins/s, non-2xx {warm['errors']}")
            results = interleaved(
                lambda: wrk(hello, duration, connections),
                {
                    "morning check-in": lambda: wrk(
                        base + "/", duration, connections, script=next(turn)
                    )
                },
                rounds,
            )
    finally:
        _clean_today(app)
        for script in scripts:
            Path(script).unlink(missing_ok=True)
    runs = results["morning check-in"]["runs"]
    print(f"non-2xx responses per round: {[r['errors'] for r in runs]}")
    ratio = results["morning check-in"]["median_ratio"]
    print(f"morning check-in: median {ratio:.1%} of the bare hello-world (target >= 40%)")


def ceiling(app, duration: int, rounds: int, connections: int) -> None:
    """The check-in beside the cheapest durable writes Flask can answer with
    (bench/ceiling_app.py: one INSERT; the check-in's own statements by hand), and the bare
    hello-world, interleaved: how much of the 40% any implementation could reach here."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    with app.app_context():
        db.session.execute(
            sa.text(
                "CREATE TABLE IF NOT EXISTS bench_ceiling (id serial PRIMARY KEY, at timestamptz)"
            )
        )
        db.session.commit()
    # Two slices a round (the real route, then the hand-written one) and one to warm up.
    scripts = _scripts(app, 2 * rounds, per_round=max(2_000, duration * 1_000))
    turn = iter(scripts[1:])
    insert = lua_file(INSERT_LUA)
    try:
        with (
            hello_world(offset=0) as hello,
            gunicorn(APP, 1, env=app_env()) as base,
            gunicorn("bench.ceiling_app:app", 2, env=app_env()) as bare,
        ):
            wrk(hello, 2, connections)
            wrk(base + "/", 2, connections, script=scripts[0])
            wrk(bare + "/", 2, connections, script=insert)
            results = interleaved(
                lambda: wrk(hello, duration, connections),
                {
                    "morning check-in (the app)": lambda: wrk(
                        base + "/", duration, connections, script=next(turn)
                    ),
                    "check-in by hand (3 statements + COMMIT)": lambda: wrk(
                        bare + "/", duration, connections, script=next(turn)
                    ),
                    "one INSERT + COMMIT": lambda: wrk(
                        bare + "/", duration, connections, script=insert
                    ),
                },
                rounds,
            )
    finally:
        _clean_today(app)
        with app.app_context():
            db.session.execute(sa.text("DROP TABLE IF EXISTS bench_ceiling"))
            db.session.commit()
        for script in (*scripts, insert):
            Path(script).unlink(missing_ok=True)
    for name, got in results.items():
        if not name.startswith("_"):
            errors = [r["errors"] for r in got["runs"]]
            print(f"{name}: median {got['median_ratio']:.1%} of the hello-world, non-2xx {errors}")


INSERT_LUA = """
function request()
  return wrk.format("POST", "/insert", {["Content-Type"] = "application/json"}, "{}")
end
"""


def main() -> None:
    """Run the parts asked for (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", choices=("sweeps", "views", "morning", "statements", "ceiling"))
    parser.add_argument("--reminders", action="store_true", help="also time the log reminders")
    args = parser.parse_args()
    app = make_app()
    if args.only in (None, "sweeps"):
        sweeps(app, args.reminders)
    if args.only in (None, "views"):
        views(app, args.runs)
    if args.only in (None, "statements"):
        statements(app)
    if args.only in (None, "morning"):
        morning(app, args.duration, args.rounds, args.connections)
    if args.only == "ceiling":
        ceiling(app, args.duration, args.rounds, args.connections)


if __name__ == "__main__":
    main()
