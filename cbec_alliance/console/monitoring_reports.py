"""The monitoring reports beside the overview: internships by month, placements (states,
agreement and insurance completion, incidents, alerts) and graduate employment. Each page is
the API's report as JSON (the same summary, the same `as_of`, the same scope rules: a
university's or enterprise's staff see their own), drawn and tabled, with its downloads."""

from __future__ import annotations

from collections import defaultdict

from flask import request

from cbec_alliance.core.authz import require_monitor
from cbec_alliance.monitoring import employment, placements
from cbec_alliance.monitoring import services as monitoring
from cbec_alliance.monitoring.employment_schemas import EmploymentArgs
from cbec_alliance.monitoring.schemas import InternshipArgs, PlacementArgs

from .web import console_blueprint, page, parse, render, user

blp = console_blueprint("console_reports", __name__, "/console/monitoring")


def _args(schema, extra: dict | None = None) -> tuple[dict, dict]:
    """The query parsed by the API's schema as JSON; on bad input the defaults and the errors."""
    query = {**request.args.to_dict(), **(extra or {}), "format": "json"}
    args, errors = parse(schema, query)
    if args is None:
        args = schema.load({"format": "json"})
    return args, errors


@blp.get("/internships")
@page
def internships():
    """Internships posted, filled and hired per month (the API's `category`, `from`, `to`)."""
    require_monitor(user())
    args, errors = _args(InternshipArgs())
    data = monitoring.report(user(), "internships", args)
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"posted": 0, "filled": 0, "hired": 0})
    for item in data["items"]:
        for measure in ("posted", "filled", "hired"):
            months[item["month"]][measure] += item[measure]
    rows = sorted(months.items())
    return render(
        "console/monitoring/internships.html",
        data=data,
        rows=rows,
        posted=[(month, m["posted"]) for month, m in rows],
        hired=[(month, m["hired"]) for month, m in rows],
        errors=errors,
    )


@blp.get("/placements")
@page
def placement_report():
    """Placements by state with agreement, insurance, check-ins, logs, incidents and alerts."""
    args, errors = _args(PlacementArgs())
    data = placements.report(user(), args)
    return render("console/monitoring/placements.html", data=data, errors=errors)


@blp.get("/employment")
@page
def employment_report():
    """Graduates' destinations of a year per university, with the outcomes."""
    args, errors = _args(EmploymentArgs())
    data = employment.report(user(), args)
    return render(
        "console/monitoring/employment.html",
        data=data,
        errors=errors,
        year=args.get("year") or employment.default_year(),
        outcome_rows=lambda items, tag: [
            (i["name_zh"] if tag == "zh-CN" else i["name_en"], i["count"]) for i in items
        ],
    )
