"""Hostile inputs to every route, with a bigger budget than the test suite's: counts per route.

    python3 -m uv run python bench/hostile_inputs.py --examples 100
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        python3 -m uv run python bench/hostile_inputs.py --examples 100

Runs tests/core/test_hostile_inputs.py (the same generator, world and assertions: no 5xx,
every 4xx problem+json) with CBEC_HOSTILE_EXAMPLES examples per route, on the test
database (TEST_DATABASE_URL, else the suite's SQLite file), then prints how many hostile
requests each route got and how many were answered 5xx. Exits non-zero when any test failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/core/test_hostile_inputs.py"


def main() -> int:
    """Run the property test with the given budget and print the per-route counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per route")
    parser.add_argument("-k", default=None, help="only routes matching this pytest -k")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "hostile.json"
        env = {
            **os.environ,
            "CBEC_HOSTILE_EXAMPLES": str(args.examples),
            "CBEC_HOSTILE_REPORT": str(report),
        }
        command = [sys.executable, "-m", "pytest", TEST, "-n", "0", "-q", "-p", "no:cacheprovider"]
        if args.k:
            command += ["-k", args.k]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
        elapsed = time.perf_counter() - started
        if not report.exists():
            print("no report written (collection failed?)", file=sys.stderr)
            return result.returncode or 1
        data = json.loads(report.read_text(encoding="utf-8"))
    routes = data["routes"]
    width = max(len(route) for route in routes)
    print(f"\n{'route':<{width}}  {'inputs':>7}  {'5xx':>4}")
    for route, (tried, fives) in sorted(routes.items(), key=lambda item: item[0].split()[1]):
        print(f"{route:<{width}}  {tried:>7}  {fives:>4}")
    total = sum(tried for tried, _ in routes.values())
    fives = sum(f for _, f in routes.values())
    database = os.environ.get("TEST_DATABASE_URL", "SQLite").split("@")[-1]
    print(
        f"\n{total} hostile requests over {len(routes)} routes "
        f"({data['examples']} examples per route, each sent anonymously and logged in, "
        f"as a body and as a query), {fives} answered 5xx; {database}; {elapsed:.0f} s"
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
