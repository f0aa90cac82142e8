"""Survey reports for coordinators and government: the surveys, and a report with its
response rate and each question's options, compared with another year's survey when asked.
The figures are the surveys service's report (the same as the API's JSON and downloads)."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import HTTPException

from cbec_alliance.core.authz import require_monitor
from cbec_alliance.core.pagination import paginate
from cbec_alliance.surveys import services as surveys
from cbec_alliance.surveys.schemas import ReportArgs, SurveyListArgs

from .web import console_blueprint, page, parse, render, user

blp = console_blueprint("console_surveys", __name__, "/console/monitoring/surveys")


@blp.get("/")
@page
def survey_list():
    """Every survey the caller may read, newest first."""
    require_monitor(user())
    args, errors = parse(SurveyListArgs(), request.args.to_dict())
    args = args or {"page": 1, "per_page": 20}
    listing = paginate(surveys.listing(args, user()), args)
    return render("console/monitoring/surveys.html", listing=listing, errors=errors)


@blp.get("/<int:survey_id>")
@page
def report(survey_id: int):
    """One survey's report, compared with `?compare_to=` another survey."""
    args, errors = parse(ReportArgs(), {**request.args.to_dict(), "format": "json"})
    if args is None:
        args = {"format": "json"}
    try:
        data = surveys.report(user(), survey_id, args)
    except HTTPException as exc:
        if exc.code != 422:
            raise
        # Compared with itself: the report alone, and the service's reason beside it.
        errors = (getattr(exc, "data", None) or {}).get("errors") or {"compare_to": []}
        args = {"format": "json"}
        data = surveys.report(user(), survey_id, args)
    others = paginate(
        surveys.listing({"page": 1, "per_page": 100}, user()), {"page": 1, "per_page": 100}
    )
    return render(
        "console/monitoring/survey_report.html",
        data=data,
        errors=errors,
        others=[(s.id, s.title) for s in others["items"] if s.id != survey_id],
        compare_to=args.get("compare_to"),
    )
