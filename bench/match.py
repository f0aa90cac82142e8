"""Benchmark of match rounds (issues 6 and 17): the algorithm at scale, the `matching`
package, and a whole round through PostgreSQL, each stage timed, before and after.

    python bench/match.py algorithm --sizes 100000x10000,1000000x100000 \
        --baseline /work/wt-match-base --cold
    python bench/match.py round --students 100000 --postings 10000 --rounds 3 \
        --baseline /work/wt-match-base
    python bench/match.py compare --students 10000 --postings 2000 --package-checks on

Every measurement runs in a fresh subprocess (`--code DIR` imports the app from DIR, so a
checkout of main is the baseline), whose peak RSS (ru_maxrss) covers the interpreter, NumPy,
Numba, the instance and the run, and nothing of another size or version. Before and after
alternate, size by size and round by round.

- `algorithm`: build (ids to indices, each posting's rank of each student), solve (deferred
  acceptance), verify (stability), per repeat, from the instance as the version takes it
  (main: dicts of lists; this branch: NumPy CSR arrays, bench/match_instance.py). `--cold`
  first deletes the Numba cache of the version, as after a fresh clone, and times the
  compilation too.
- `round`: `runner.execute` on a database holding the instance as a round (half the
  postings ranked by their enterprise, the other half by scores and the seeded lottery), each
  stage timed by wrapping the functions that do it: load (reading the lists and rankings,
  the rest of the run), order, build, solve, verify, store, then the commit. Each version
  has its own database (`BENCH_DATABASE_URL`, default `cbec_bench_match`, the baseline's
  name + `_base`), built once and reset before each round.
- `compare`: our result against the `matching` package's student-optimal solver, identical
  or not, and the solve-time ratio of one repeat.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_match"


def peak_mib() -> float:
    """This process's peak resident set so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(code: Path, *args: str) -> dict:
    """Run this script's `_measure` in a fresh process importing the app from `code`."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "_measure", "--code", str(code), *args]
    done = subprocess.run(cmd, cwd=code, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def _numba_cache(code: Path) -> list[Path]:
    """The Numba cache files of the matching package of a checkout."""
    cache = code / "cbec_alliance" / "matching" / "__pycache__"
    return [*cache.glob("*.nbi"), *cache.glob("*.nbc")]


def _instances():
    """bench/match_instance.py of this checkout, whichever version of the app is imported."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "match_instance", ROOT / "bench" / "match_instance.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["match_instance"] = module
    spec.loader.exec_module(module)
    return module


def digest(assignments: dict) -> str:
    """A short fingerprint of a matching, to compare versions."""
    text = json.dumps(sorted(assignments.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- in the subprocess ----------------------------------------------------------------------


def measure_algorithm(args) -> dict:
    """Generate the instance, build, solve and verify it `repeat` times; one JSON result."""
    from cbec_alliance.matching import algorithm

    as_dicts, generate = _instances().as_dicts, _instances().generate
    arrays = hasattr(algorithm, "build_arrays")
    t = time.perf_counter()
    if arrays:  # compile (or load the machine code) before the instance is loaded
        from cbec_alliance.matching import kernels

        kernels.warm()
    compiled = time.perf_counter() - t
    t = time.perf_counter()
    instance = generate(args.students, args.postings, args.seed)
    if not arrays:
        instance = as_dicts(instance)
    generated = time.perf_counter() - t
    if not arrays:  # main compiles after the instance, as its benchmark and worker did
        t = time.perf_counter()
        algorithm.match({1: 1}, {1: [1]}, {1: [1]})
        compiled = time.perf_counter() - t
    solve = algorithm.kernels.solve if arrays else algorithm._solve
    repeats, result = [], None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        built = algorithm.build_arrays(*instance) if arrays else algorithm.build(*instance)
        t1 = time.perf_counter()
        choice, proposals = solve(
            built.capacity, built.pref_ptr, built.pref_posting, built.pref_rank
        )
        t2 = time.perf_counter()
        result = algorithm.check(built, choice, int(proposals))
        t3 = time.perf_counter()
        repeats.append({"build": t1 - t0, "solve": t2 - t1, "verify": t3 - t2})
    peak = peak_mib()
    position = result.position()
    return {
        "compile": compiled,
        "generate": generated,
        "repeats": repeats,
        "peak_mib": peak,
        "proposals": result.proposals,
        "matched": int((position >= 0).sum()),
        "stable": result.verdict.stable,
        "digest": digest(result.assignments()),
    }


def _wrap(module, name: str, stage: str, times: dict) -> None:
    """Replace `module.name` by a wrapper adding its time to `times[stage]`."""
    inner = getattr(module, name)

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            times[stage] = times.get(stage, 0.0) + time.perf_counter() - t

    setattr(module, name, timed)


def measure_round(args) -> dict:
    """Reset the round of the database, run it with each stage timed; one JSON result."""
    import psycopg

    url = args.url
    with psycopg.connect(url, autocommit=True) as conn:
        round_id = conn.execute("SELECT max(id) FROM match_rounds").fetchone()[0]
        conn.execute("DELETE FROM match_assignments")
        conn.execute("UPDATE match_round_internships SET filled = NULL, cutoff_rank = NULL")
        conn.execute("UPDATE match_rounds SET status = 'running', stats = NULL")
        conn.execute("VACUUM ANALYZE match_assignments")
        conn.execute("VACUUM ANALYZE match_round_internships")
        conn.execute("CHECKPOINT")
    _environment(url)
    from cbec_alliance import create_app
    from cbec_alliance.core.db import commit
    from cbec_alliance.extensions import db
    from cbec_alliance.matching import algorithm, ordering, runner

    times: dict = {}
    arrays = hasattr(algorithm, "build_arrays")
    _wrap(ordering, "posting_orders", "order", times)
    _wrap(algorithm, "build_arrays" if arrays else "build", "build", times)
    _wrap(
        algorithm.kernels if arrays else algorithm, "solve" if arrays else "_solve", "solve", times
    )
    _wrap(algorithm, "check", "verify", times)
    _wrap(runner, "_store", "store", times)
    with create_app().app_context():
        t = time.perf_counter()
        stats = runner.execute(round_id)
        run = time.perf_counter() - t
        t = time.perf_counter()
        commit()
        times["commit"] = time.perf_counter() - t
        rows = db.session.execute(
            db.text(
                "SELECT student_id, internship_id, choice, explanation::text "
                "FROM match_assignments ORDER BY student_id"
            )
        ).all()
        status = db.session.execute(db.text("SELECT status FROM match_rounds")).scalar()
    times["load"] = run - sum(v for k, v in times.items() if k != "commit")
    text = json.dumps([list(row) for row in rows])
    return {
        "stages": times,
        "total": run + times["commit"],
        "peak_mib": peak_mib(),
        "status": status,
        "matched": stats["matched"] if stats else None,
        "digest": hashlib.sha256(text.encode()).hexdigest()[:16],
    }


def _environment(url: str) -> None:
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    )


def build_database(args) -> dict:
    """Rebuild the database with the checkout's migrations and the instance as a round."""
    import psycopg

    from bench import gen_alliance

    as_dicts, generate = _instances().as_dicts, _instances().generate
    capacities, prefs, ranks = as_dicts(generate(args.students, args.postings, args.seed))
    t = time.perf_counter()
    gen_alliance.reset(args.url)
    counts = argparse.Namespace(
        internships=args.postings,
        students=args.students,
        enterprises=max(1, args.postings // 5),
        universities=min(300, max(1, args.students // 300)),
    )
    with psycopg.connect(args.url, autocommit=True) as conn:
        for label, sql in gen_alliance.statements(counts, gen_alliance.vocabularies(conn)):
            if label != "analyze":
                conn.execute(sql)
        conn.execute("UPDATE internships SET status = 'open'")
        round_id = conn.execute(
            """INSERT INTO match_rounds (name, status, preferences_close_at, seed,
                created_by_id, created_at, run_requested_at)
            VALUES ('基准匹配轮次', 'running', now(), %s, %s, now(), now()) RETURNING id""",
            (args.seed, args.students + 1),
        ).fetchone()[0]
        _copy(
            conn,
            "match_round_internships (round_id, internship_id, enterprise_id, slots)",
            (
                (round_id, p, 1 + counts.universities + p % counts.enterprises, c)
                for p, c in capacities.items()
            ),
        )
        _copy(
            conn,
            "match_preferences (round_id, student_id, university_id, internship_ids, updated_at)",
            (
                (round_id, s, 1 + s % counts.universities, json.dumps(v), "2026-11-25")
                for s, v in prefs.items()
            ),
        )
        _copy(  # the odd postings are left to scores and the lottery
            conn,
            "match_rankings (round_id, internship_id, student_ids, excluded_student_ids, "
            "updated_at)",
            (
                (round_id, p, json.dumps(v), "[]", "2026-11-25")
                for p, v in ranks.items()
                if p % 2 == 0
            ),
        )
        conn.execute("VACUUM ANALYZE")
    return {"seconds": time.perf_counter() - t}


def _copy(conn, target: str, rows) -> None:
    with conn.cursor().copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _compare(args) -> dict:
    from bench.match_compare import measure_compare  # always this checkout's code

    return measure_compare(args, _instances())


def _measure(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("algorithm", "round", "build", "compare"))
    parser.add_argument("--code", type=Path, required=True)
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--postings", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--package-checks", choices=("on", "off"), default="on")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code))  # the version measured (its bench/ too)
    work = {
        "algorithm": measure_algorithm,
        "round": measure_round,
        "build": build_database,
        "compare": _compare,
    }[args.what]
    print(json.dumps(work(args)), flush=True)


# --- in the parent --------------------------------------------------------------------------


def _versions(args) -> list[tuple[str, Path]]:
    """(label, checkout) of each version measured: the baseline first."""
    versions = [("after", ROOT)]
    if args.baseline:
        versions.insert(0, ("before", args.baseline.resolve()))
    return versions


def _stages(repeat: dict) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in repeat.items())


def run_algorithm(args) -> None:
    """Each size in a fresh process per version; cold (cache cleared) first when asked."""
    for size in args.sizes.split(","):
        students, postings = (int(n) for n in size.split("x"))
        modes = ["cold", "warm"] if args.cold else ["warm"]
        for mode in modes:
            for label, code in _versions(args):
                if mode == "cold":
                    for path in _numba_cache(code):
                        path.unlink()
                out = _child(
                    code,
                    "algorithm",
                    "--students",
                    str(students),
                    "--postings",
                    str(postings),
                    "--seed",
                    str(args.seed),
                    "--repeat",
                    str(args.repeat),
                )
                best = min(out["repeats"], key=lambda r: sum(r.values()))
                print(
                    f"{students:>9,} x {postings:>7,} {label:6} {mode}: build + solve + verify "
                    f"best {sum(best.values()):.3f} s ({_stages(best)}); "
                    f"all {[round(sum(r.values()), 3) for r in out['repeats']]}; "
                    f"compile/load {out['compile']:.2f} s; peak RSS {out['peak_mib']:.0f} MiB; "
                    f"{out['matched']:,} matched, stable {out['stable']}, digest {out['digest']}",
                    flush=True,
                )


def run_round(args) -> None:
    """Build each version's database once, then alternate their timed rounds."""
    base_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    urls = {"after": base_url, "before": base_url + "_base"}
    size = ["--students", str(args.students), "--postings", str(args.postings)]
    for label, code in _versions(args):
        if not args.reuse:
            built = _child(code, "build", *size, "--url", urls[label])
            print(f"{label}: database built in {built['seconds']:.1f} s ({urls[label]})")
    for k in range(args.rounds):
        for label, code in _versions(args):
            out = _child(code, "round", *size, "--url", urls[label])
            print(
                f"round {k + 1} {label:6}: whole round {out['total']:.2f} s "
                f"({_stages(out['stages'])}); peak RSS {out['peak_mib']:.0f} MiB; "
                f"{out['status']}, {out['matched']:,} matched, digest {out['digest']}",
                flush=True,
            )


def run_compare(args) -> None:
    """Ours against the `matching` package, one repeat."""
    out = _child(
        ROOT,
        "compare",
        "--students",
        str(args.students),
        "--postings",
        str(args.postings),
        "--package-checks",
        args.package_checks,
    )
    ratio = out["package_solve"] / out["solve_verify"]
    ours = out["build"] + out["solve_verify"]
    print(
        f"{args.students:,} x {args.postings:,}: ours build {out['build']:.3f} s, solve + verify "
        f"{out['solve_verify']:.3f} s; matching package (checks {args.package_checks}) build "
        f"{out['package_build']:.2f} s, solve {out['package_solve']:.2f} s; solve ratio "
        f"{ratio:,.0f}x, end to end "
        f"{(out['package_build'] + out['package_solve']) / ours:,.0f}x"
        f" (one repeat); identical: {out['identical']}"
    )


def main() -> None:
    """Parse the command and print the figures."""
    if sys.argv[1:2] == ["_measure"]:
        _measure(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("algorithm", "round", "compare"))
    parser.add_argument("--sizes", default="100000x10000,1000000x100000")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of the baseline (main)")
    parser.add_argument("--cold", action="store_true", help="clear the Numba cache first")
    parser.add_argument("--reuse", action="store_true", help="keep the databases built before")
    parser.add_argument("--package-checks", choices=("on", "off"), default="on")
    args = parser.parse_args()
    {"algorithm": run_algorithm, "round": run_round, "compare": run_compare}[args.what](args)


if __name__ == "__main__":
    main()
