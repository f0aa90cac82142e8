"""Time the annual alliance report at the scale of bench/gen_monitoring.py (issue 21).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cbec_bench_hrep \\
        python3 -m uv run python bench/gen_monitoring.py      # once: 1,000,000 applications,
                                                             # 50,000 partnerships
    BENCH_DATABASE_URL=... python3 -m uv run python bench/annual_report.py --year 2025

Builds the report exactly as the `reports.annual` task does (`reports.services.run` on a new
row: every section, the xlsx, the PDF; committed progress included) in the production
configuration on that database, twice:
- cold: the monitoring summaries the report reads are computed during the build
  (MONITORING_REFRESH_SECONDS=0, as if beat had never run);
- warm: after the summaries are stored as the beat refresh stores them (without its
  partnership-health pass, which the report does not read), with the default interval, as a
  report built during the day finds them.
Each build runs after `settle_process()`, as a worker process does at start.
Prints each part's seconds (sections, xlsx, PDF, total), the PDF's pages and bytes, and
whether the targets hold: the whole build under 60 s, the PDF under 10 s of it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_monitoring import DEFAULT_URL  # noqa: E402


def setup_app(interval: int):
    """The production app on the benchmark database with the given refresh interval."""
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        MONITORING_REFRESH_SECONDS=str(interval),
    )
    from cbec_alliance import create_app, settle_process

    app = create_app()
    settle_process()  # as a Celery worker process does at start (tasks/celery.py)
    return app


def build_once(app, year: int, language: str) -> dict:
    """One build as the task runs it; its seconds, pages and sizes."""
    import pypdfium2
    import sqlalchemy as sa

    from cbec_alliance.extensions import db
    from cbec_alliance.reports import services
    from cbec_alliance.reports.models import AnnualReport

    with app.app_context():
        report = AnnualReport(year=year, language=language, missing=[], seconds={})
        db.session.add(report)
        db.session.commit()
        started = time.perf_counter()
        result = services.run(report.id)
        db.session.commit()
        wall = time.perf_counter() - started
        row = db.session.get(AnnualReport, report.id)
        assert row is not None, result
        assert row.status == "done", (result, row.error)
        pdf = db.session.scalar(sa.select(AnnualReport.pdf).where(AnnualReport.id == report.id))
        xlsx = db.session.scalar(sa.select(AnnualReport.xlsx).where(AnnualReport.id == report.id))
        return {
            "wall": wall,
            **row.seconds,
            "pages": len(pypdfium2.PdfDocument(pdf)),
            "pdf_bytes": len(pdf or b""),
            "xlsx_bytes": len(xlsx or b""),
            "missing": row.missing,
        }


def show(label: str, got: dict) -> None:
    """One line of figures and the verdict against the targets."""
    ok = got["total"] < 60 and got["pdf"] < 10
    print(
        f"{label:<34} sections {got['sections']:6.2f} s  xlsx {got['xlsx']:5.2f} s  "
        f"pdf {got['pdf']:5.2f} s  total {got['total']:6.2f} s (wall {got['wall']:6.2f} s)  "
        f"{got['pages']} pages, pdf {got['pdf_bytes'] / 1024:.0f} KiB, "
        f"xlsx {got['xlsx_bytes'] / 1024:.0f} KiB  {'target met' if ok else 'TARGET MISSED'}",
        flush=True,
    )


def counts(app) -> str:
    """The scale measured: applications, partnerships, survey responses."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    with app.app_context():
        n = {
            t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}"))  # noqa: S608 - fixed names
            for t in ("applications", "partnerships", "internships", "survey_responses")
        }
    return ", ".join(f"{v:,} {k}" for k, v in n.items())


def main() -> None:
    """Cold build, the beat refresh, warm builds in Chinese and English."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    cold = setup_app(0)
    print(f"scale: {counts(cold)}", flush=True)
    show("cold (summaries computed in build)", build_once(cold, args.year, "zh"))
    warm = setup_app(600)
    with warm.app_context():
        from cbec_alliance.extensions import db
        from cbec_alliance.insights.summaries import SUMMARIES
        from cbec_alliance.monitoring.services import compute

        t = time.perf_counter()
        took = {name: compute(name)["seconds"] for name in SUMMARIES}
        db.session.commit()
        print(
            f"summaries stored as beat does (not part of a build) {time.perf_counter() - t:.2f} s"
        )
        print("   ", took)
    for language in ("zh", "en"):
        got = build_once(warm, args.year, language)
        show(f"warm, {language}", got)
    print("missing:", "; ".join(got["missing"]) or "nothing")


if __name__ == "__main__":
    main()
