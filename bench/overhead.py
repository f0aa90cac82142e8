"""The app's own overhead: its `/healthz` as a share of a bare Flask hello-world (issue 17).

    python3 -m uv run python bench/gen_alliance.py      # once
    python3 -m uv run python bench/overhead.py --duration 10 --rounds 5

Both under the same gunicorn settings (2 workers, gthread 4 threads, --reuse-port) on their
own ports, driven by wrk (2 threads, 32 connections) on the same 2 cores, interleaved round
by round: the hello-world, then `/healthz`, then the next round. Prints each round's rates
and ratio and the median ratio. Target: `/healthz` at least 80% of the hello-world.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_alliance import DEFAULT_URL  # noqa: E402
from bench.harness import gunicorn, hello_world, interleaved, wrk  # noqa: E402


def app_env() -> dict[str, str]:
    """The production configuration on the benchmark database."""
    return {
        "CBEC_CONFIG": "production",
        "SECRET_KEY": "bench-" + "x" * 32,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    }


def main() -> None:
    """Interleave the hello-world and /healthz; print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with hello_world(offset=0) as hello, gunicorn("wsgi:app", offset=1, env=app_env()) as app:
        for url in (hello, app + "/healthz"):
            wrk(url, 2, args.connections)  # warm both
        results = interleaved(
            lambda: wrk(hello, args.duration, args.connections),
            {"/healthz": lambda: wrk(app + "/healthz", args.duration, args.connections)},
            args.rounds,
        )
    ratio = results["/healthz"]["median_ratio"]
    print(f"/healthz: median {ratio:.1%} of the bare hello-world (target >= 80%)")


if __name__ == "__main__":
    main()
