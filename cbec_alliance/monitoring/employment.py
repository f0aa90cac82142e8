"""The employment report: whose figures a caller sees, and the report as a table or chart.

Coordinators and industry associations see the whole alliance (or, with
`?organization_id=`, one university's or enterprise's share); a university's admins and
staff see their own graduates; an enterprise's see only their confirmations and the
graduates they employ (conversions). Each year and scope is its own materialised snapshot
(`employment:<year>`, `employment:<year>:<organization id>`).
"""

from __future__ import annotations

from functools import partial

from cbec_alliance.accounts.models import User
from cbec_alliance.core import exports
from cbec_alliance.core.exports import Bars, Column
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.insights.employment import employment
from cbec_alliance.placements.hours import local_day

from .placements import scope_for
from .services import compute, summary

MEASURES = (
    "graduates",
    "reported",
    "placed",
    "confirmed",
    "declared",
    "destination_rate",
    "confirmed_rate",
    "cbec_related_share",
    "guangzhou_share",
)
COLUMNS = [
    Column("section", "类别", "section"),
    Column("university_id", "院校ID", "university"),
    Column("key", "代码", "key"),
    Column("name", "名称", "name"),
    Column("graduates", "毕业生", "graduates"),
    Column("reported", "已登记", "reported"),
    Column("placed", "去向落实", "placed"),
    Column("confirmed", "单位核实", "confirmed"),
    Column("declared", "仅申报", "declared only"),
    Column("destination_rate", "去向落实率", "destination rate"),
    Column("confirmed_rate", "核实率", "confirmed rate"),
    Column("cbec_related_share", "跨境电商相关占比", "CBEC-related share"),
    Column("guangzhou_share", "留穗占比", "retained in Guangzhou"),
    Column("count", "人数", "count"),
    Column("converted", "实习转就业", "converted from internship"),
    Column("level", "证书等级", "certificate level"),
    Column("results", "考试人数", "exam results"),
    Column("passed", "通过人数", "passed"),
    Column("pass_rate", "通过率", "pass rate"),
]
CHART_LIMIT = 40  # bars a chart can still label


def default_year() -> int:
    """This year (China time): the class whose destinations are being reported."""
    return local_day(utcnow()).year


def _measured(section: str, r: dict, key, name) -> dict:
    return {
        "section": section,
        "university_id": r.get("university_id"),
        "key": key,
        "name": name,
        **{m: r.get(m) for m in MEASURES},
    }


def rows(data: dict) -> list[dict]:
    """The report flattened to one table with a `section` column, for csv and xlsx."""
    out = []
    if data["totals"] is not None:
        out.append(_measured("total", data["totals"], data["year"], "合计 total"))
    out += [
        _measured("university", r, r["university_id"], r["name"]) for r in data["by_university"]
    ]
    out += [_measured("major", r, r["major"], r["major"]) for r in data["by_major"]]
    for section, items in (("outcome", data["by_outcome"]), ("salary_band", data["salary_bands"])):
        out += [
            {
                "section": section,
                "key": r["code"],
                "name": r.get("name_zh"),
                "count": r["count"],
                "confirmed": r["confirmed"],
            }
            for r in items
        ]
    out += [
        {"section": "confirmation", "key": k, "count": v} for k, v in data["confirmations"].items()
    ]
    out += [
        {
            "section": "conversion",
            "key": r["enterprise_id"],
            "name": r["name"],
            "count": r["hired"],
            "confirmed": r["confirmed"],
            "converted": r["converted"],
        }
        for r in data["conversions"]
    ]
    out += [{"section": "certificate", **r} for r in data["certificates"]]
    return out


def bars(data: dict) -> Bars:
    """Destination and confirmed rates per university (percent); for an enterprise, its
    hires and those converted from internships."""
    if data["totals"] is None:
        items = data["conversions"][:CHART_LIMIT]
        return Bars(
            f"{data['year']} 届实习转就业 Internship to employment",
            [r["name"] for r in items],
            {
                "录用 hired": [r["hired"] for r in items],
                "实习转就业 converted": [r["converted"] for r in items],
            },
            horizontal=True,
        )
    items = data["by_university"][:CHART_LIMIT]
    return Bars(
        f"{data['year']} 届毕业去向 Graduate destinations (%)",
        [r["name"] or str(r["university_id"]) for r in items],
        {
            "去向落实率 destination rate": [100 * (r["destination_rate"] or 0) for r in items],
            "核实率 confirmed rate": [100 * (r["confirmed_rate"] or 0) for r in items],
        },
        horizontal=True,
    )


def refresh() -> dict[str, float]:
    """The beat's share: the whole alliance's report of this year and last year (about 0.6 s
    each at 1,000,000 graduates), so no request pays for it; seconds each. Scoped reports
    (one university: under 0.1 s) are computed on demand."""
    took = {}
    for year in (default_year(), default_year() - 1):
        name = f"employment:{year}"
        took[name] = compute(name, partial(employment, year))["seconds"]
    return took


def report(user: User, args: dict):
    """The employment report the caller may see, as JSON, CSV, XLSX or a chart."""
    scope = scope_for(user, args.get("organization_id"))
    year = args.get("year") or default_year()
    name = f"employment:{year}" if scope is None else f"employment:{year}:{scope[1]}"
    data = summary(name, lambda: employment(year, scope))
    return exports.respond(
        args["format"], f"employment-{year}", data, COLUMNS, lambda: rows(data), lambda: bars(data)
    )
