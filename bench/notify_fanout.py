"""Benchmark: one event fanned out to N in-app recipients by a real worker through Redis.

Prints deliveries per second beside a bare Celery no-op task's throughput, measured in the
same run on the same worker settings (see docs/benchmarks.md).

    python3 -m uv run python bench/notify_fanout.py --recipients 100000 --noop 5000

Needs PostgreSQL and Redis: BENCH_DATABASE_URL (default: a `cbec_bench` database on the
local PostgreSQL, created if missing) and BENCH_REDIS_URL (default redis://127.0.0.1:6379/1).
The benchmark database is wiped and rebuilt by the migrations.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup_env(args) -> dict[str, str]:
    import psycopg

    db_url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/cbec_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
    admin_url, _, name = db_url.rpartition("/")
    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        "CBEC_CONFIG": "production",
        "SECRET_KEY": "bench-" + "x" * 32,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "NOTIFY_BATCH_SIZE": str(args.batch),
    }
    os.environ.update(env)
    return env


def _build(app, n: int) -> int:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from cbec_alliance.extensions import db

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            org_id = conn.execute(
                sa.text(
                    "INSERT INTO organizations (kind, name, district, status, school_code, level,"
                    " created_at, updated_at, status_changed_at) VALUES ('university',"
                    " '广州基准大学', 'baiyun', 'pending', '1400077777', 'vocational',"
                    " now(), now(), now()) RETURNING id"
                )
            ).scalar_one()
            conn.execute(
                sa.text(
                    "INSERT INTO users (email, name, password_hash, platform_role, language,"
                    " is_active, created_at, password_changed_at)"
                    " SELECT 'u' || g || '@bench.cn', '学生' || g, 'x', 'user',"
                    " CASE WHEN g % 3 = 0 THEN 'en' ELSE 'zh' END, true, now(), now()"
                    " FROM generate_series(1, :n) g"
                ),
                {"n": n},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO memberships (user_id, organization_id, role, created_at)"
                    " SELECT id, :org, 'staff', now() FROM users"
                ),
                {"org": org_id},
            )
            # (organization.approved reaches admins and staff.) In-app only, as most people
            # would choose for a notice to a whole organization.
            conn.execute(
                sa.text(
                    "INSERT INTO notification_preferences (user_id, channels, digest)"
                    " SELECT id, '{\"organization.approved\": [\"in_app\"]}'::jsonb, 'off'"
                    " FROM users"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO users (email, name, password_hash, platform_role, language,"
                    " is_active, created_at, password_changed_at) VALUES ('gov@bench.cn',"
                    " '协调员', 'x', 'coordinator', 'zh', true, now(), now())"
                )
            )
        print(f"setup: {n:,} recipients in {time.perf_counter() - t0:.1f} s")
        return org_id


def _worker(env: dict[str, str], concurrency: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tasks",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc


def _queue_drained(redis_client) -> bool:
    return redis_client.llen("celery") == 0 and redis_client.hlen("unacked") == 0


def _wait_ready(app, timeout: float = 60) -> None:
    celery = app.extensions["celery"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if celery.control.ping(timeout=0.5):
            return
    raise SystemExit("worker did not start")


def _noop_rate(app, redis_client, n: int) -> float:
    celery = app.extensions["celery"]
    t0 = time.perf_counter()
    with celery.producer_pool.acquire(block=True) as producer:
        for _ in range(n):
            celery.send_task("system.noop", producer=producer)
    while not _queue_drained(redis_client):
        time.sleep(0.01)
    return n / (time.perf_counter() - t0)


def _fanout_rate(app, org_id: int, n: int) -> tuple[float, float]:
    import sqlalchemy as sa

    from cbec_alliance.core.db import commit
    from cbec_alliance.extensions import db
    from cbec_alliance.notifications import outbox
    from cbec_alliance.organizations.models import Organization

    with app.app_context():
        org = db.session.get(Organization, org_id)
        t0 = time.perf_counter()
        outbox.emit(
            "organization.approved",
            {"organization_id": org.id, "organization_name": org.name, "reason": ""},
            organization_id=org.id,
        )
        db.session.commit()
        outbox.relay_all()
        commit()
        count = 0
        while count < n:
            time.sleep(0.1)
            count = db.session.scalar(sa.text("SELECT count(*) FROM notifications"))
            db.session.rollback()
        elapsed = time.perf_counter() - t0
        return n / elapsed, elapsed


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--noop", type=int, default=5_000, help="no-op tasks for the baseline")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000, help="recipients per delivery task")
    args = parser.parse_args()
    env = _setup_env(args)

    import redis

    from cbec_alliance import create_app

    app = create_app()
    redis_client = redis.Redis.from_url(env["REDIS_URL"])
    redis_client.flushdb()
    org_id = _build(app, args.recipients)
    worker = _worker(env, args.concurrency)
    try:
        _wait_ready(app)
        noop = _noop_rate(app, redis_client, args.noop)
        rate, elapsed = _fanout_rate(app, org_id, args.recipients)
    finally:
        worker.terminate()
        worker.wait(30)
    print(f"bare no-op tasks, one per message: {noop:,.0f} tasks/s ({args.noop:,} tasks)")
    print(
        f"fan-out to {args.recipients:,} in-app recipients: {elapsed:.2f} s = {rate:,.0f} "
        f"deliveries/s (batches of {args.batch}, concurrency {args.concurrency})"
    )
    print(f"ratio: {rate / noop:.1f}x the no-op task rate")


if __name__ == "__main__":
    main()
