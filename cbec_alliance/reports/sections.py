"""The annual report's sections: each a small function of the year returning what the
matching endpoint returns, so every figure in the report equals the endpoint's for that
year (a test compares them).

- survey: `GET /surveys/{id}/report?compare_to={last year's}`, and `?by=size|platform`;
- partnerships: `GET /monitoring/partnerships` and the overview's `partnerships`;
- internships: `GET /monitoring/internships?from=YYYY-01&to=YYYY-12`, the overview's
  `internships` and `GET /monitoring/placements`;
- employment: `GET /monitoring/employment?year=`;
- cooperation: the overview's `courses`, `training_bases` and `competitions`;
- skills gap: `GET /monitoring/skills-gap`;
- policies: `policies.services.granted_in_year(year)`;
- indicators: `GET /indicators?year=`.

The monitoring summaries that have no year (partnerships, courses, bases, the skills gap)
are the alliance as of the build (`as_of`); the internships are the year's months, the
employment the year's graduates, the survey the year's. Each section also says what is
missing for the year, so a report of a year without data still builds and says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import sqlalchemy as sa

from cbec_alliance.core.timeutil import as_utc
from cbec_alliance.extensions import db
from cbec_alliance.indicators.services import for_year
from cbec_alliance.insights.employment import employment as employment_report
from cbec_alliance.insights.placements import placements as placements_summary
from cbec_alliance.monitoring.services import internship_items, summary
from cbec_alliance.policies.services import granted_in_year
from cbec_alliance.surveys import breakdown
from cbec_alliance.surveys import report as survey_report
from cbec_alliance.surveys.models import Survey

# What a served summary carries besides its figures.
_SERVING = ("as_of", "refresh_interval_seconds", "compute_seconds")


def figures(served: dict) -> dict:
    """A served summary's figures, without when and how fast it was computed."""
    return {k: v for k, v in served.items() if k not in _SERVING}


def _iso(when):
    """A time as the API writes it (ISO 8601, UTC, `Z`)."""
    if not isinstance(when, datetime):
        return when
    return as_utc(when).isoformat().replace("+00:00", "Z")


def _as_of(served: dict) -> str:
    """When a summary was computed, to the second."""
    when = served["as_of"]
    return _iso(when.replace(microsecond=0) if isinstance(when, datetime) else when)


def year_survey(year: int) -> Survey | None:
    """The year's survey: a closed one first, else an open one, the latest of them."""
    return db.session.scalars(
        sa.select(Survey)
        .where(Survey.year == year, Survey.status != "draft")
        .order_by((Survey.status == "closed").desc(), Survey.id.desc())
        .limit(1)
    ).first()


def survey(year: int) -> dict:
    """The year's survey report compared with last year's, and broken down by size and
    platform; missing when the year had no survey (or one without valid responses)."""
    this = year_survey(year)
    if this is None:
        return {"missing": [f"{year} 年没有人才需求调查 / no talent-demand survey of {year}"]}
    before = year_survey(year - 1)
    report = survey_report.build(this, before)
    missing = []
    if before is None:
        missing.append(f"没有 {year - 1} 年调查可供对比 / no survey of {year - 1} to compare with")
    if not report["responses"]:
        missing.append(f"{year} 年调查没有有效问卷 / the {year} survey has no valid responses")
    return {
        "report": report,
        "by_size": breakdown.build(this, "size"),
        "by_platform": breakdown.build(this, "platform"),
        "missing": missing,
    }


def partnerships(year: int) -> dict:
    """Partnerships by mode, status and health, by district (as of the build), and the
    overview's counts by status and health."""
    served = summary("partnerships")
    overview = summary("overview")["partnerships"]
    data = figures(served)
    return {
        "as_of": _as_of(served),
        "by_mode": data["items"],
        "by_district": data["by_district"],
        "by_status": overview["by_status"],
        "by_health": overview["by_health"],
        "active_by_mode": overview["active_by_mode"],
        "missing": [] if overview["by_status"] else ["尚无合作伙伴关系 / no partnerships"],
    }


def internships(year: int) -> dict:
    """The year's internships posted, filled and hired by category and month, with their
    totals per category; the placements now running; the alliance's totals as of the build."""
    served = summary("internships")
    months = internship_items(served["items"], {"from_": f"{year}-01", "to": f"{year}-12"})
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"posted": 0, "filled": 0, "hired": 0})
    for row in months:
        for key in ("posted", "filled", "hired"):
            totals[row["category"]][key] += row[key]
    placed = summary("placements", partial(placements_summary, None))
    return {
        "as_of": _as_of(served),
        "months": months,
        "by_category": [{"category": c, **v} for c, v in sorted(totals.items())],
        "alliance": summary("overview")["internships"],
        "placements": figures(placed),
        "missing": []
        if months
        else [
            f"{year} 年没有实习岗位发布、招满或录用 / "
            f"no internships posted, filled or hired in {year}"
        ],
    }


def employment(year: int) -> dict:
    """The year's graduates: destinations, confirmed rates, hires converted from internships
    (where known: what universities reported)."""
    data = figures(summary(f"employment:{year}", partial(employment_report, year)))
    reported = (data.get("totals") or {}).get("reported", 0)
    return {
        **data,
        "missing": []
        if reported
        else [f"没有 {year} 届毕业生去向 / no graduate destinations of {year}"],
    }


def cooperation(year: int) -> dict:
    """Courses by status, approved training bases by level, competitions (as of the build)."""
    overview = summary("overview")
    out = {
        "as_of": _as_of(overview),
        "courses": overview["courses"],
        "training_bases": overview["training_bases"],
        "competitions": overview["competitions"],
        "missing": [],
    }
    for key, what in (
        ("courses", "尚无课程 / no courses"),
        ("training_bases", "尚无已批准的实训基地 / no approved training bases"),
        ("competitions", "尚无竞赛 / no competitions"),
    ):
        if not out[key]:
            out["missing"].append(what)
    return out


def skills_gap(year: int) -> dict:
    """Demand and supply per competency (as of the build)."""
    served = summary("skills-gap")
    return {**figures(served), "as_of": _as_of(served), "missing": []}


def policies(year: int) -> dict:
    """Policies and money granted in the year, per policy kind (`granted_in_year`)."""
    kinds = granted_in_year(year)
    quiet = not any(f["policies"] or f["applications"] or f["approved"] for f in kinds.values())
    return {
        "kinds": kinds,
        "missing": [f"{year} 年没有政策与资助 / no policies or grants in {year}"] if quiet else [],
    }


def indicators(year: int) -> dict:
    """The industry indicators of the year's periods."""
    items = for_year(year)
    for item in items:
        item["updated_at"] = _iso(item["updated_at"])
    return {
        "items": items,
        "missing": [] if items else [f"没有 {year} 年产业指标 / no industry indicators for {year}"],
    }


@dataclass(frozen=True)
class Section:
    """A section of the report: its code, its titles and the function that builds it."""

    code: str
    zh: str
    en: str
    build: Callable[[int], dict]


SECTIONS = [
    Section("survey", "人才需求调查", "Talent-demand survey", survey),
    Section("partnerships", "校企合作伙伴关系", "Partnerships", partnerships),
    Section("internships", "实习与就业安置", "Internships and placements", internships),
    Section("employment", "毕业生去向", "Graduate destinations and hires", employment),
    Section(
        "cooperation", "课程、实训基地与竞赛", "Courses, training bases, competitions", cooperation
    ),
    Section("skills_gap", "技能供需", "Skills demand and supply", skills_gap),
    Section("policies", "政策与资金", "Policies and money granted", policies),
    Section("indicators", "产业指标", "Industry indicators", indicators),
]
