"""What every benchmark here shares: percentiles that can be trusted, gunicorn servers on
configurable ports, wrk, and baselines interleaved with what they are compared with.

- `percentile`: the nearest-rank method on the sorted sample (inclusive), so a percentile is
  always one of the measured values and never exceeds the maximum; `summary` says "max"
  rather than p99 when the sample is too small for it to mean anything.
- `gunicorn`: a server for any WSGI target (the app, or `bench/hello_app.py`, the bare Flask
  hello-world the shared baselines define) with the same settings, on a port of its own
  (BENCH_PORT_BASE, default 8700, + an offset).
- `interleaved`: each round runs the baseline, then each measured command, then the next
  round; a ratio is computed within a round (the same minute of a noisy machine), and the
  median ratio over rounds is reported beside each round's.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "8700"))


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0 < p <= 100) by nearest rank: a measured value, never above the
    maximum."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float], unit: str = "ms") -> str:
    """ "p50 x, p95 y, max z (n)": p95 only from 20 values up, p99 from 100 up."""
    parts = [f"p50 {percentile(values, 50):.2f} {unit}"]
    if len(values) >= 20:
        parts.append(f"p95 {percentile(values, 95):.2f} {unit}")
    if len(values) >= 100:
        parts.append(f"p99 {percentile(values, 99):.2f} {unit}")
    parts.append(f"max {max(values):.2f} {unit} (n={len(values)})")
    return ", ".join(parts)


def timed(call: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of `runs` calls."""
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


@contextlib.contextmanager
def gunicorn(
    target: str,
    offset: int,
    env: dict[str, str] | None = None,
    workers: int = 2,
    threads: int = 4,
    health: str = "/healthz",
) -> Iterator[str]:
    """gunicorn `target` (gthread, --reuse-port) on PORT_BASE + offset; yields its URL."""
    port = PORT_BASE + offset
    command = [
        sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread",
        "--threads", str(threads), "--reuse-port", "-b", f"127.0.0.1:{port}",
        "--log-level", "warning", target,
    ]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})})  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts slowly
        while True:
            try:
                with urllib.request.urlopen(base + health, timeout=2):  # noqa: S310
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn {target} did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def hello_world(offset: int = 0, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """The bare Flask hello-world under the same gunicorn settings; yields its URL."""
    with gunicorn(
        "bench.hello_app:app", offset, workers=workers, threads=threads, health="/"
    ) as base:
        yield base + "/"


def wrk(url: str, duration: int, connections: int = 32, script: str | None = None) -> dict:
    """{rate, p50, p99, errors} of wrk (2 threads) against `url` (or a Lua rotation)."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE).group(1),
        "p99": re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1),
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def lua_file(script: str) -> str:
    """`script` (a wrk Lua script) in a temporary file; its path, for `wrk(script=...)`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    return handle.name


def interleaved(
    baseline: Callable[[], dict],
    measured: dict[str, Callable[[], dict]],
    rounds: int,
    log: Callable[[str], None] = print,
) -> dict[str, dict]:
    """Run the baseline then each measured command, `rounds` times; per name, the rounds'
    results and the median of each round's ratio to that round's baseline."""
    results: dict[str, dict] = {name: {"runs": [], "ratios": []} for name in measured}
    base_runs = []
    for k in range(rounds):
        base = baseline()
        base_runs.append(base)
        log(f"round {k + 1}: baseline {base['rate']:8.0f} req/s p99 {base['p99']}")
        for name, run in measured.items():
            got = run()
            ratio = got["rate"] / base["rate"]
            results[name]["runs"].append(got)
            results[name]["ratios"].append(ratio)
            log(f"round {k + 1}: {name:<44} {got['rate']:8.0f} req/s p99 {got['p99']:>8}"
                f"  {ratio:6.1%} of the baseline")  # fmt: skip
    for name in results:
        results[name]["median_ratio"] = statistics.median(results[name]["ratios"])
    results["_baseline"] = {"runs": base_runs}
    return results
