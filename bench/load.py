"""Mixed load: 50 users of every role for 5 minutes against gunicorn and a Celery worker (issue 17).

    python3 -m uv run python bench/gen_alliance.py      # once: 100k internships, 200k students
    python3 -m uv run python bench/load.py --users 50 --minutes 5

On the database bench/gen_alliance.py built (BENCH_DATABASE_URL): gives 40 students, the
staff of 10 enterprises (made here, once) and the coordinator bearer tokens, then serves the
production app under gunicorn (2 workers x 4 threads, as bench/overhead.py) with one Celery
worker on Redis (BENCH_REDIS_URL: the applications' notifications are delivered by it), and
runs locust headless (bench/locustfile.py: students 6, staff 3, coordinators 1 by weight)
on the same 2 cores. Prints the per-route table (requests, failures, p50/p95/p99/max) and the
total. Targets on this 2-core machine: 0 errors, p95 < 500 ms, p99 < 1 s.

Why locust: it drives the real mix of roles, each with its own token, think time and route
sequence, and reports percentiles per route; wrk (used for single routes) cannot.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import coordinator_id, setup_app, tokens  # noqa: E402
from bench.harness import gunicorn  # noqa: E402

STAFF_EMAIL = "staff{n}@bench.cn"


def _staff(app, count: int) -> list[dict]:
    """Staff members of `count` enterprises with open postings (made once), with tokens."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    with app.app_context():
        enterprises = (
            db.session.execute(
                sa.text(
                    "SELECT enterprise_id FROM internships WHERE status = 'open' "
                    "GROUP BY enterprise_id ORDER BY count(*) DESC, enterprise_id LIMIT :n"
                ),
                {"n": count},
            )
            .scalars()
            .all()
        )
        people = []
        for n, enterprise_id in enumerate(enterprises):
            email = STAFF_EMAIL.format(n=n)
            user_id = db.session.scalar(
                sa.text("SELECT id FROM users WHERE email = :e"), {"e": email}
            )
            if user_id is None:
                user_id = db.session.scalar(
                    sa.text(
                        "INSERT INTO users (email, name, password_hash, platform_role, language, "
                        "is_active, created_at, password_changed_at) VALUES (:e, :name, 'x', "
                        "'user', 'zh', true, now(), now()) RETURNING id"
                    ),
                    {"e": email, "name": f"企业员工{n}"},
                )
                db.session.execute(
                    sa.text(
                        "INSERT INTO memberships (user_id, organization_id, role, created_at) "
                        "VALUES (:u, :o, 'staff', now())"
                    ),
                    {"u": user_id, "o": enterprise_id},
                )
            postings = (
                db.session.execute(
                    sa.text(
                        "SELECT id FROM internships WHERE enterprise_id = :o AND status = 'open' "
                        "ORDER BY id LIMIT 20"
                    ),
                    {"o": enterprise_id},
                )
                .scalars()
                .all()
            )
            people.append(
                {"user": user_id, "enterprise_id": enterprise_id, "internships": postings}
            )
        db.session.commit()
    for person, token in zip(people, tokens(app, [p["user"] for p in people]), strict=True):
        person["token"] = token
    return people


def plan(app, students: int, staff: int) -> dict:
    """The tokens and ids the locust users pick from."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    with app.app_context():
        postings = (
            db.session.execute(
                sa.text(
                    "SELECT id FROM internships WHERE status = 'open' ORDER BY random() LIMIT 2000"
                )
            )
            .scalars()
            .all()
        )
    return {
        "students": tokens(app, list(range(1, students * 997, 997))),
        "staff": _staff(app, staff),
        "coordinators": tokens(app, [coordinator_id(app)] * 3),
        "internships": postings,
    }


def _worker(env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "tasks", "worker", "--concurrency=1",
               "--loglevel=WARNING", "--without-gossip", "--without-mingle"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # noqa: S603


def _print_stats(prefix: str) -> None:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    head = f"{'route':<30} {'requests':>8} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    print(head + "  (ms)")
    for row in rows:
        print(
            f"{row['Name'][:30]:<30} {row['Request Count']:>8} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):>7.0f}"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        print(failures.read_text(encoding="utf-8")[:3000])


def main() -> None:
    """Set up the users, start the servers, run locust, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--spawn-rate", type=float, default=10)
    args = parser.parse_args()
    app = setup_app()
    env = {
        "CBEC_CONFIG": "production",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    work = Path(tempfile.mkdtemp(prefix="cbec-load-"))
    plan_file = work / "plan.json"
    plan_file.write_text(json.dumps(plan(app, 40, 10)), encoding="utf-8")
    worker = _worker(env)
    try:
        with gunicorn("wsgi:app", offset=1, env=env) as base:
            prefix = str(work / "load")
            command = [
                sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
                "-t", f"{int(args.minutes * 60)}s", "--host", base, "--csv", prefix,
                "--only-summary", "--loglevel", "WARNING",
            ]  # fmt: skip
            subprocess.run(  # noqa: S603
                command,
                cwd=ROOT,
                env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)},
                check=False,
            )
    finally:
        worker.terminate()
        worker.wait(30)
    print(f"\n{args.users} users, {args.minutes:g} min (gunicorn 2 x 4 threads, 1 Celery worker):")
    _print_stats(prefix)


if __name__ == "__main__":
    main()
