"""Run one benchmark script in two checkouts, interleaved round by round, and compare.

    git worktree add ../before <commit>
    python3 -m uv run python bench/compare.py --before ../before --after . --rounds 3 \
        -- bench/api_latency.py --runs 100

Each round runs the script once in each checkout (the order alternates, so neither always
runs on a warmer or quieter machine), with this interpreter and the same environment
(BENCH_DATABASE_URL and the rest). Every printed line with `p50 … ms  p95 … ms` (or a label
followed by one `… ms` figure) is read; the table gives, per label, the median over the
rounds of each side and after/before. A shared machine moves both sides alike within a
round, so the ratio is the figure to read, not the absolute milliseconds.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

FIGURES = re.compile(r"^(?P<label>.+?)\s+p50\s+(?P<p50>[\d.]+) ms\s+p95\s+(?P<p95>[\d.]+) ms")
SINGLE = re.compile(r"^(?P<label>\S.*?)\s{2,}(?P<value>[\d.]+) ms\b")


def parse(output: str) -> dict[str, tuple[float, float | None]]:
    """{label: (p50 or the single figure, p95 or None)} from a script's output."""
    found: dict[str, tuple[float, float | None]] = {}
    for line in output.splitlines():
        if match := FIGURES.match(line.strip()):
            found[match["label"].strip()] = (float(match["p50"]), float(match["p95"]))
        elif match := SINGLE.match(line.strip()):
            found[match["label"].strip()] = (float(match["value"]), None)
    return found


def run(checkout: Path, command: list[str]) -> str:
    """The script's output, run from `checkout` (its own code imported)."""
    done = subprocess.run(
        [sys.executable, *command], cwd=checkout, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"{command} failed in {checkout}:\n{done.stderr[-2000:]}")
    return done.stdout


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    """Interleave the two checkouts; print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [part for part in args.command if part != "--"]
    sides = {"before": args.before.resolve(), "after": args.after.resolve()}
    seen: dict[str, dict[str, list[tuple[float, float | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    order: list[str] = []
    for number in range(args.rounds):
        names = ["before", "after"] if number % 2 == 0 else ["after", "before"]
        for name in names:
            for label, figures in parse(run(sides[name], command)).items():
                if label not in order:
                    order.append(label)
                seen[label][name].append(figures)
        print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    print(f"{'label':<46} {'before p50/p95 ms':>20} {'after p50/p95 ms':>20} {'after/before':>13}")
    for label in order:
        cells = []
        for name in ("before", "after"):
            runs = seen[label][name]
            p50 = _median([r[0] for r in runs])
            p95s = [r[1] for r in runs if r[1] is not None]
            cells.append((p50, _median(p95s) if p95s else None))
        (b50, b95), (a50, a95) = cells
        before = f"{b50:.2f}" + (f" / {b95:.2f}" if b95 is not None else "")
        after = f"{a50:.2f}" + (f" / {a95:.2f}" if a95 is not None else "")
        ratio = a50 / b50 if b50 else float("nan")
        print(f"{label[:46]:<46} {before:>20} {after:>20} {ratio:>12.2f}x")


if __name__ == "__main__":
    main()
