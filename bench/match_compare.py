"""bench/match.py compare: our matching against the `matching` package's student-optimal
solver on one instance, both timed in the same single repeat, and whether they are
identical."""

from __future__ import annotations

import sys
import time


def measure_compare(args, instances) -> dict:
    """Ours and the `matching` package on one instance: times of one repeat, identical?"""
    from cbec_alliance.matching import algorithm, kernels

    as_dicts, generate = instances.as_dicts, instances.generate
    kernels.warm()
    generated = generate(args.students, args.postings, args.seed)
    instance = as_dicts(generated)
    t0 = time.perf_counter()
    built = algorithm.build_arrays(*generated)
    t1 = time.perf_counter()
    ours = algorithm.solve(built)
    t2 = time.perf_counter()
    p_build, p_solve, theirs = run_package(instance, args.package_checks == "on")
    return {
        "build": t1 - t0,
        "solve_verify": t2 - t1,
        "package_build": p_build,
        "package_solve": p_solve,
        "identical": theirs == ours.assignments(),
    }


def run_package(instance, checks: bool):
    """The `matching` package's resident-optimal solution: (build s, solve s, result)."""
    import threading
    import warnings

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
