"""Building annual reports: a monitor asks (`start`), a Celery task builds every section,
then the xlsx and the PDF (`run`, with progress on the row), and the report is served as
JSON, xlsx or PDF.

Who: whoever may read the monitoring views (`core.authz.require_monitor`), since the report
is made of them.
"""

from __future__ import annotations

import json
import logging
import time

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import undefer

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.authz import require_monitor
from cbec_alliance.core.db import after_commit, commit
from cbec_alliance.core.errors import conflict, invalid, not_found
from cbec_alliance.core.exports import download
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.monitoring.employment import default_year

from . import typeset, workbook
from .models import AnnualReport
from .sections import SECTIONS

TASK = "reports.annual"
log = logging.getLogger(__name__)


def start(user: User, data: dict) -> AnnualReport:
    """Queue the build of `year`'s report in `language` (422 for a year after this one;
    409 while a build of the same year and language is queued or running)."""
    require_monitor(user)
    year, language = data["year"], data["language"]
    if year > default_year():
        invalid(
            "year",
            _("the year has not begun; at most %(default_year)s", default_year=default_year()),
        )
    busy = db.session.scalar(
        sa.select(AnnualReport.id).where(
            AnnualReport.year == year,
            AnnualReport.language == language,
            AnnualReport.status.in_(("queued", "running")),
        )
    )
    if busy:
        conflict(
            _(
                "report %(busy)s of %(year)s (%(language)s) is being built; poll it",
                busy=busy,
                year=year,
                language=language,
            )
        )
    report = AnnualReport(
        year=year, language=language, created_by_id=user.id, missing=[], seconds={}
    )
    db.session.add(report)
    db.session.flush()
    audit(actor=user, obj=report, action="create", changes={"year": year, "language": language})
    after_commit(enqueue, TASK, report.id)
    return report


def listing(user: User, args: dict) -> sa.Select:
    """Built and building reports, newest first; `?year=` narrows them."""
    require_monitor(user)
    stmt = sa.select(AnnualReport).order_by(AnnualReport.id.desc())
    if args.get("year") is not None:
        stmt = stmt.where(AnnualReport.year == args["year"])
    return stmt


def get(user: User, report_id: int, *, files: bool = False) -> AnnualReport:
    """A report for monitors (404 for a missing one)."""
    require_monitor(user)
    stmt = sa.select(AnnualReport).where(AnnualReport.id == report_id)
    if files:
        stmt = stmt.options(undefer(AnnualReport.data))
    report = db.session.scalars(stmt).first()
    if report is None:
        not_found("report")
    return report


def _plain(value):
    """`value` as JSON holds it (dates as ISO text, decimals as text)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _progress(report: AnnualReport, step: str, percent: int) -> None:
    report.step, report.progress = step, percent
    commit()


def assemble(year: int, report: AnnualReport | None = None) -> dict:
    """Every section of `year`'s report and what the year is missing (progress on `report`
    when given: 0..80 over the sections)."""
    sections, missing = {}, []
    for k, section in enumerate(SECTIONS, start=1):
        figures = _plain(section.build(year))
        sections[section.code] = figures
        missing += [f"{section.zh} {section.en}: {m}" for m in figures.get("missing", [])]
        if report is not None:
            _progress(report, section.code, 80 * k // len(SECTIONS))
    built = utcnow().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {"year": year, "built_at": built, "sections": sections, "missing": missing}


def run(report_id: int) -> dict:
    """The task's work: sections, then the xlsx, then the PDF, committing progress as it
    goes; a failure is stored on the report (and logged), never left running."""
    report = db.session.get(AnnualReport, report_id)
    if report is None or report.status not in ("queued", "running"):
        return {"skipped": report_id}
    report.status = "running"
    _progress(report, "sections", 0)
    took: dict[str, float] = {}
    try:
        started = time.perf_counter()
        data = assemble(report.year, report)
        data["language"] = report.language
        took["sections"] = round(time.perf_counter() - started, 3)
        mark = time.perf_counter()
        report.xlsx = workbook.build(data)
        took["xlsx"] = round(time.perf_counter() - mark, 3)
        _progress(report, "pdf", 90)
        mark = time.perf_counter()
        report.pdf = typeset.build(data, report.language)
        took["pdf"] = round(time.perf_counter() - mark, 3)
        took["total"] = round(time.perf_counter() - started, 3)
    except Exception as exc:  # noqa: BLE001 - stored on the report, which must not stay running
        db.session.rollback()
        log.exception("annual report %s failed", report_id)
        report = db.session.get(AnnualReport, report_id)
        assert report is not None
        report.status, report.error, report.finished_at = "failed", repr(exc)[:2000], utcnow()
        audit(actor=None, obj=report, action="fail", changes={"error": report.error})
        return {"failed": report_id}
    report.data, report.missing, report.seconds = data, data["missing"], took
    report.status, report.progress, report.step = "done", 100, None
    report.finished_at = utcnow()
    audit(actor=None, obj=report, action="build", changes={"seconds": took})
    return {"built": report_id, "seconds": took}


def serve(user: User, report_id: int, fmt: str):
    """The report as JSON (its state, and its figures once built), or its xlsx or PDF (409
    until it is built)."""
    report = get(user, report_id, files=fmt == "json")
    if fmt == "json":
        return report
    if report.status != "done":
        conflict(
            _("the report is %(status)s; its files are ready when it is done", status=report.status)
        )
    content = db.session.scalar(
        sa.select(getattr(AnnualReport, fmt)).where(AnnualReport.id == report.id)
    )
    name = f"annual-report-{report.year}-{report.language}"
    return download(content or b"", fmt, name)
