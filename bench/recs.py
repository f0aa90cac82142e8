"""Recommendations cold and warm (issue 17): recommended students and partner matching,
before and after, interleaved round by round in one session.

    python3 -m uv run python bench/gen_alliance.py       # once: 200k students
    python3 -m uv run python bench/gen_monitoring.py     # once: 20,000 enterprises
    git worktree add ../base <commit before>             # the code to compare with
    python3 -m uv run python bench/recs.py --base ../base --runs 200 --rounds 4

Each round runs every checkout (`--base`, then this one) in a process of its own, through
the Flask test client as a coordinator, so both meet the same minute of a shared machine:

- `students`: GET /internships/{id}/recommended-students (BENCH_DATABASE_URL, the database
  of bench/gen_alliance.py) for postings of different shapes (onsite, hybrid, remote; one to
  three competencies; with and without majors and languages), pages 1, 2 and 10 of 20.
  "cold": every per-process cache emptied before each request (`core.cache.clear_all`: the
  index of students is read again); "warm": caches kept, each request still scores every
  student for its posting.
- `partners`: GET /organizations/{id}/recommended-partners for universities, every mode,
  pages 1 to 3 (BENCH_MONITORING_URL, the database of bench/gen_monitoring.py); "cold":
  caches emptied before each request (the index of students read again too), "afresh":
  every cache but the index of students emptied (each ranking scored afresh from every
  enterprise's signals read again), "warm": kept.

Prints p50, p95 and max per checkout and scenario (nearest rank, `bench/harness.py`).
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
DEFAULT_MONITORING = "postgresql://postgres@127.0.0.1:5432/cbec_bench_monitoring"
MODES = (
    "internship-employment",
    "co-developed-courses",
    "joint-training-bases",
    "joint-competitions",
)


def _app(database_url: str):
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    )
    from cbec_alliance import create_app

    return create_app()


def _coordinator(app) -> dict:
    from cbec_alliance.accounts.models import User
    from cbec_alliance.accounts.services import create_token
    from cbec_alliance.extensions import db

    with app.app_context():
        user = db.session.scalar(
            db.select(User).where(User.platform_role == "coordinator").order_by(User.id).limit(1)
        )
        _, plain = create_token(user, "bench", 1)
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _postings(app) -> list[int]:
    """Open postings of different shapes: each mode with 1, 2 and 3 competencies."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.internships.models import Internship, InternshipCompetency

    n = (
        sa.select(sa.func.count())
        .where(InternshipCompetency.internship_id == Internship.id)
        .scalar_subquery()
    )
    out = []
    with app.app_context():
        for mode in ("onsite", "hybrid", "remote"):
            for count in (1, 2, 3):
                found = db.session.scalar(
                    sa.select(Internship.id)
                    .where(Internship.status == "open", Internship.mode == mode, n == count)
                    .order_by(Internship.id)
                    .limit(1)
                )
                if found:
                    out.append(found)
    return out


def _universities(app) -> list[int]:
    from cbec_alliance.extensions import db
    from cbec_alliance.organizations.models import Organization

    with app.app_context():
        stmt = (
            db.select(Organization.id)
            .where(Organization.kind == "university", Organization.status == "approved")
            .order_by(Organization.id)
            .limit(5)
        )
        return list(db.session.scalars(stmt))


def _time(client, requests: list[tuple[str, dict]], runs: int, headers, clear) -> list[float]:
    samples = []
    for k in range(runs):
        url, query = requests[k % len(requests)]
        if clear:
            clear()
        started = time.perf_counter()
        resp = client.get(url, query_string=query, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{url} {query}: {resp.status_code} {resp.get_data(as_text=True)}")
    return samples


def worker(scenario: str, runs: int) -> dict[str, list[float]]:
    """Time one scenario in this process (the checkout on sys.path); samples by label."""
    from cbec_alliance.core.cache import clear_all

    if scenario == "students":
        app = _app(
            os.environ.get(
                "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/cbec_bench_alliance"
            )
        )
        requests = [
            (f"/api/v1/internships/{posting}/recommended-students", {"page": page})
            for page in (1, 2, 10)
            for posting in _postings(app)
        ]
    else:
        app = _app(os.environ.get("BENCH_MONITORING_URL", DEFAULT_MONITORING))
        requests = [
            (f"/api/v1/organizations/{org}/recommended-partners", {"mode": mode, "page": page})
            for page in (1, 2, 3)
            for mode in MODES
            for org in _universities(app)
        ]
    headers = _coordinator(app)
    client = app.test_client()
    client.get(requests[0][0], query_string=requests[0][1], headers=headers)  # warm-up
    cold = _time(client, requests, runs, headers, clear_all)
    warm = _time(client, requests, runs, headers, None)
    if scenario == "students":
        return {"cold": cold, "warm": warm}
    # Scored afresh: every ranking and every enterprise's signals read and scored again,
    # with the index of students as a running server holds it (kept current by its version:
    # rebuilt only after a profile changes, which "cold" includes on every request).
    afresh = _time(client, requests, runs, headers, _clear_but_students)
    return {"cold": cold, "afresh": afresh, "warm": warm}


def _clear_but_students() -> None:
    from cbec_alliance.core.cache import CACHES

    for name, cache in CACHES.items():
        if name != "student index":
            cache.clear()


def _run(checkout: Path, scenario: str, runs: int) -> dict[str, list[float]]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        scenario,
        "--runs",
        str(runs),
    ]
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        command, cwd=checkout, env=env, capture_output=True, text=True, check=False
    )  # noqa: S603
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Interleave the checkouts round by round, then print each one's figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, help="the checkout to compare with")
    parser.add_argument("--runs", type=int, default=200, help="requests per scenario in all")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--scenarios", default="students,partners")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(worker(args.worker, args.runs)))
        return
    sys.path.insert(0, str(ROOT))
    from bench.harness import summary

    checkouts = {"before": args.base, "after": ROOT} if args.base else {"after": ROOT}
    per_round = max(1, args.runs // args.rounds)
    for scenario in args.scenarios.split(","):
        got: dict[tuple[str, str], list[float]] = {}
        for k in range(args.rounds):
            for name, checkout in checkouts.items():
                for label, samples in _run(checkout.resolve(), scenario, per_round).items():
                    got.setdefault((name, label), []).extend(samples)
                    print(
                        f"  round {k + 1} {scenario} {name} {label}: {summary(samples)}", flush=True
                    )
        for (name, label), samples in got.items():
            print(f"{scenario:<9} {label:<5} {name:<7} {summary(samples)}")


if __name__ == "__main__":
    main()
