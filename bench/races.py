"""Race trials: every capacity and uniqueness limit under concurrent requests, many times over.

Runs each scenario of `tests/core/races.py` (a wave of 6 requests at one limit) for --trials
trials in threads through the app in this process, and across two gunicorn workers (4
threads each) serving the same database, then prints per scenario and process model: the
trials, the requests that succeeded against the places there were, rows holding places
against the stored counters, and what `flask check-integrity` found.

    python bench/races.py --database-url sqlite:////tmp/races.db --trials 20
    python bench/races.py --database-url postgresql://postgres@127.0.0.1:5432/bench_races

The database is emptied and rebuilt by the migrations first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    """Parse the arguments, run the trials, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--models", default="threads,processes")
    args = parser.parse_args()
    os.environ["TEST_DATABASE_URL"] = args.database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("TEST_REDIS_URL", None)
    if args.database_url.startswith("sqlite"):
        os.environ.pop("TEST_DATABASE_URL")
        os.environ["DATABASE_URL"] = args.database_url

    from tests.core.race_runner import run_trials

    print(
        f"{'scenario':<40} {'model':<10} {'trials':>6} {'2xx':>6} {'places':>6} "
        f"{'rows':>6} {'counter':>7} {'5xx':>4} {'broken':>6}"
    )
    for row in run_trials(args.trials, args.models.split(",")):
        print(
            f"{row['scenario']:<40} {row['model']:<10} {row['trials']:>6} {row['won']:>6} "
            f"{row['places']:>6} {row['rows']:>6} {row['counter']:>7} {row['errors']:>4} "
            f"{row['broken']:>6}"
        )


if __name__ == "__main__":
    main()
