"""Benchmark of match rounds (issue 6): the pure algorithm, the `matching` package, and a
whole round through PostgreSQL.

    python3 -m uv run python bench/match.py --students 100000 --postings 10000 --seed 1
    python3 -m uv run python bench/match.py --students 10000 --postings 2000 --algorithm-only \
        --compare --package-checks on
    python3 -m uv run python bench/match.py --students 100000 --postings 10000 \
        --algorithm-only --compare --package-checks off --dump /tmp/match

The instance is skewed (bench/match_instance.py). The algorithm is timed from ids in Python
dicts to a verified result (building its arrays, solving, checking stability), best of
`--repeat` runs after one warm-up that compiles its Numba loops; the peak RSS is the whole
process's (interpreter, NumPy, Numba's compiler, the instance itself) before the package or
the database runs. `--compare` runs the `matching` package's student-optimal solver on the
same instance (with or without its input checks), checks the result is identical and
prints both times. Without `--algorithm-only` the round then runs through PostgreSQL
(BENCH_DATABASE_URL, default a `cbec_bench_match` database, rebuilt): half the postings are
ranked by their enterprise, the other half fall back to recommendation scores and the
lottery, exactly as in production; the time covers loading preferences and rankings,
ordering, solving, verifying and storing every assignment with its explanation.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import threading
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.match_instance import generate  # noqa: E402
from cbec_alliance.matching import algorithm  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_match"


def peak_mib() -> float:
    """The process's peak resident set so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_algorithm(instance, repeat: int):
    """Best and median seconds of build + solve + verify, and the last result."""
    algorithm.match({1: 1}, {1: [1]}, {1: [1]})  # compile (or load the cached machine code)
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        built = algorithm.build(*instance)
        t_built = time.perf_counter()
        result = algorithm.solve(built)
        times.append((time.perf_counter() - t, t_built - t))
    total = [t for t, _ in times]
    return min(total), statistics.median(total), min(b for _, b in times), result


def run_package(instance, checks: bool):
    """The `matching` package's resident-optimal solution: (build s, solve s, result)."""
    from matching.games import HospitalResident

    class Unchecked(HospitalResident):
        def check_inputs(self):
            """Skip the package's input checks (`--package-checks off`)."""

    game_cls = HospitalResident if checks else Unchecked
    capacities, prefs, ranks = instance
    out: dict = {}

    def work():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            game = game_cls.create_from_dictionaries(prefs, ranks, capacities)
            out["build"] = time.perf_counter() - t
            t = time.perf_counter()
            solution = game.solve(optimal="resident")
            out["solve"] = time.perf_counter() - t
        out["result"] = {r.name: h.name for h, rs in solution.items() for r in rs}

    # The package deep-copies a cyclic object graph: deep recursion needs a big stack.
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1 << 30)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return out["build"], out["solve"], out["result"]


def dump(directory: Path, instance, result: dict) -> None:
    """Write instance.json and result.json (ids as strings)."""
    capacities, prefs, ranks = instance
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "instance.json").write_text(
        json.dumps(
            {
                "capacities": {str(p): c for p, c in capacities.items()},
                "student_prefs": {str(s): [str(p) for p in v] for s, v in prefs.items()},
                "posting_ranks": {str(p): [str(s) for s in v] for p, v in ranks.items()},
            }
        )
    )
    (directory / "result.json").write_text(json.dumps({str(s): str(p) for s, p in result.items()}))


def run_database(args, instance) -> None:
    """Build a database holding the instance as a round, then time the worker's run."""
    import psycopg

    from bench import gen_alliance

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    capacities, prefs, ranks = instance
    t = time.perf_counter()
    gen_alliance.reset(url)
    counts = argparse.Namespace(
        internships=args.postings,
        students=args.students,
        enterprises=max(1, args.postings // 5),
        universities=min(300, max(1, args.students // 300)),
    )
    with psycopg.connect(url, autocommit=True) as conn:
        for label, sql in gen_alliance.statements(counts, gen_alliance.vocabularies(conn)):
            if label != "analyze":
                conn.execute(sql)
        conn.execute("UPDATE internships SET status = 'open'")
        coordinator = args.students + 1
        round_id = conn.execute(
            """INSERT INTO match_rounds (name, status, preferences_close_at, seed,
                created_by_id, created_at, run_requested_at)
            VALUES ('基准匹配轮次', 'running', now(), %s, %s, now(), now()) RETURNING id""",
            (args.seed, coordinator),
        ).fetchone()[0]
        with conn.cursor().copy(
            "COPY match_round_internships (round_id, internship_id, enterprise_id, slots) "
            "FROM STDIN"
        ) as copy:
            for p, c in capacities.items():
                copy.write_row((round_id, p, 1 + counts.universities + p % counts.enterprises, c))
        with conn.cursor().copy(
            "COPY match_preferences (round_id, student_id, university_id, internship_ids, "
            "updated_at) FROM STDIN"
        ) as copy:
            for s, v in prefs.items():
                copy.write_row(
                    (round_id, s, 1 + s % counts.universities, json.dumps(v), "2026-11-25")
                )
        with conn.cursor().copy(
            "COPY match_rankings (round_id, internship_id, student_ids, excluded_student_ids, "
            "updated_at) FROM STDIN"
        ) as copy:
            for p, v in ranks.items():
                if p % 2 == 0:  # the odd ones are left to scores and the lottery
                    copy.write_row((round_id, p, json.dumps(v), "[]", "2026-11-25"))
        conn.execute("VACUUM ANALYZE")
    print(f"database built in {time.perf_counter() - t:.1f} s ({url})")

    from cbec_alliance import create_app
    from cbec_alliance.core.db import commit
    from cbec_alliance.extensions import db
    from cbec_alliance.matching import runner
    from cbec_alliance.matching.models import MatchRound

    with create_app().app_context():
        t = time.perf_counter()
        stats = runner.execute(round_id)
        commit()
        elapsed = time.perf_counter() - t
        rnd = db.session.get(MatchRound, round_id)
        stored = db.session.execute(
            db.text("SELECT count(*), count(internship_id) FROM match_assignments")
        ).one()
    print(
        f"whole round through PostgreSQL: {elapsed:.2f} s (target < 30 s): "
        f"load + order {stats['load_seconds']:.2f} s, solve + verify "
        f"{stats['solve_seconds']:.2f} s, store + commit "
        f"{elapsed - stats['load_seconds'] - stats['solve_seconds']:.2f} s"
    )
    print(
        f"  status {rnd.status}, verdict {rnd.verdict}, stored {stored[0]:,} assignments "
        f"({stored[1]:,} matched), first choice {stats['first_choice_share']:.1%}"
    )


def main() -> None:
    """Generate, time and compare; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--algorithm-only", action="store_true")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--package-checks", choices=("on", "off"), default="on")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()

    t = time.perf_counter()
    instance = generate(args.students, args.postings, args.seed)
    proposals_max = sum(len(v) for v in instance[1].values())
    print(
        f"instance: {args.students:,} students, {args.postings:,} postings, "
        f"{proposals_max:,} choices, {sum(instance[0].values()):,} slots "
        f"(generated in {time.perf_counter() - t:.1f} s)"
    )
    best, median, build, result = time_algorithm(instance, args.repeat)
    position = result.position()
    print(
        f"algorithm (ids -> arrays, solve, verify): best {best:.3f} s, median {median:.3f} s "
        f"(build {build:.3f} s); {result.proposals:,} proposals; "
        f"{int((position >= 0).sum()):,} matched, first choice "
        f"{int((position == 0).sum()) / args.students:.1%}; verdict {result.verdict.as_dict()}"
    )
    print(f"peak RSS so far: {peak_mib():.0f} MiB (target < 512 MiB)")
    ours = result.assignments()
    if args.dump:
        dump(args.dump, instance, ours)
        print(f"wrote {args.dump}/instance.json and result.json")
    if args.compare:
        checks = args.package_checks == "on"
        p_build, p_solve, theirs = run_package(instance, checks)
        same = theirs == ours
        solve_ours = best - build
        print(
            f"matching package (input checks {args.package_checks}): build {p_build:.2f} s, "
            f"solve {p_solve:.2f} s; identical result: {same}"
        )
        print(
            f"speed-up: end to end {(p_build + p_solve) / best:,.0f}x, "
            f"solve {p_solve / solve_ours:,.0f}x (ours: solve + verify {solve_ours:.3f} s)"
        )
        if not same:
            sys.exit("the results differ")
    if not args.algorithm_only:
        run_database(args, instance)


if __name__ == "__main__":
    main()
