"""Throughput of the internship list under gunicorn, as a ratio to hello-world (issue 4).

    python3 -m uv run python bench/gen_alliance.py      # once
    python3 -m uv run python bench/api_throughput.py --duration 10

Starts gunicorn (2 workers, gthread with 4 threads, --reuse-port: the best hello-world
setting in ../shared/performance-baselines.md) on the generated database, and drives it with
wrk (2 threads, 32 connections; `apt-get install wrk`) on the same 2 cores. Each route runs
`--rounds` times, alternating, and the best run of each counts, so a noisy neighbour hurts
both alike. Routes: `/healthz` (hello-world JSON, the baseline), the default list page, and
a rotation over filtered pages (a wrk Lua script), all of 20 rows. It runs once with the
page cache (the default: pages kept per data version, see internships/listing_json.py) and
once without (INTERNSHIP_PAGE_CACHE=0), each against hello-world on the same server.
Target: list >= 30% of hello-world.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_alliance import DEFAULT_URL  # noqa: E402
from bench.harness import lua_file  # noqa: E402

PORT = 8765
FILTERED = [
    "/api/v1/internships?category=marketing",
    "/api/v1/internships?district=tianhe&mode=onsite",
    "/api/v1/internships?competency=data-analysis",
    "/api/v1/internships?category=data&district=panyu&competency=english",
    "/api/v1/internships?major=e-commerce&category=technical",
    "/api/v1/internships?sort=apply_by&district=haizhu",
    "/api/v1/internships?enterprise_id=1234",
    "/api/v1/internships?q=%E4%BA%9A%E9%A9%AC%E9%80%8A",  # 亚马逊
    "/api/v1/internships?page=2&category=marketing",
    "/api/v1/internships?page=3",
]


def start_gunicorn(workers: int, threads: int, page_cache: bool) -> subprocess.Popen:
    """gunicorn on the benchmark database; returns once it answers."""
    env = {
        **os.environ,
        "INTERNSHIP_PAGE_CACHE": "1" if page_cache else "0",
        "CBEC_CONFIG": "production",
        "SECRET_KEY": "bench-" + "x" * 32,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--reuse-port",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1):  # noqa: S310
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def wrk(path_or_script: str, duration: int, connections: int) -> tuple[float, str]:
    """Requests per second (and wrk's latency line) for one path or a Lua rotation."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if path_or_script.endswith(".lua"):
        args += ["-s", path_or_script, f"http://127.0.0.1:{PORT}"]
    else:
        args.append(f"http://127.0.0.1:{PORT}{path_or_script}")
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"errors from {path_or_script}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1)
    return rate, p99


def rotation_script(paths: list[str]) -> str:
    """A wrk Lua script that requests `paths` in turn."""
    body = ", ".join(f'"{p}"' for p in paths)
    script = (
        f"local paths = {{{body}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )
    return lua_file(script)


def main() -> None:
    """Run each route `--rounds` times, alternating; print the best of each and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    routes = {
        "hello-world JSON (/healthz)": "/healthz",
        "list, default page (20 rows)": "/api/v1/internships",
        "list, 10 filtered pages in turn": rotation_script(FILTERED),
    }
    for page_cache in (True, False):
        label = "page cache on" if page_cache else "page cache off (INTERNSHIP_PAGE_CACHE=0)"
        print(f"\n== {label}")
        best = run_server(args, routes, page_cache)
        hello = best["hello-world JSON (/healthz)"][0]
        print(
            f"-- gunicorn -w {args.workers} -k gthread --threads {args.threads} --reuse-port;"
            f" wrk -t2 -c{args.connections} -d{args.duration}s; best of {args.rounds}; {label}"
        )
        for name, (rate, p99) in best.items():
            print(f"{name:<34} {rate:8.0f} req/s  p99 {p99:>8}  ratio {rate / hello:6.1%}")
    print("target: list >= 30% of hello-world")


def run_server(args, routes: dict[str, str], page_cache: bool) -> dict[str, tuple[float, str]]:
    """Start gunicorn, run every route `--rounds` times alternating, keep the best of each."""
    proc = start_gunicorn(args.workers, args.threads, page_cache)
    best: dict[str, tuple[float, str]] = {}
    try:
        for route in routes.values():  # warm both workers' pools and caches
            wrk(route, 2, args.connections)
        for n in range(args.rounds):
            for name, route in routes.items():
                rate, p99 = wrk(route, args.duration, args.connections)
                print(f"round {n + 1}: {name:<34} {rate:8.0f} req/s  p99 {p99}")
                if rate > best.get(name, (0.0, ""))[0]:
                    best[name] = (rate, p99)
    finally:
        proc.terminate()
        proc.wait(10)
    return best


if __name__ == "__main__":
    main()
