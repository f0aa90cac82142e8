"""Routes under /api/v1/reports."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import MIME
from cbec_alliance.core.pagination import paginate

from . import services
from .schemas import (
    AnnualReportArgs,
    AnnualReportInSchema,
    AnnualReportListArgs,
    AnnualReportPage,
    AnnualReportSchema,
)

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/reports",
    description="The alliance's annual report (JSON, xlsx, PDF in Chinese or English)",
)


@blp.route("/annual")
class Annual(MethodView):
    """Build an annual report."""

    @login_required
    @blp.arguments(AnnualReportInSchema, example={"year": 2026, "language": "zh"})
    @blp.response(202, AnnualReportSchema)
    def post(self, data):
        """Queue the report of `year` (coordinators and associations, who read monitoring):
        a worker builds it; poll `GET /reports/{id}` for `progress` until `status` is
        `done` (or `failed`). A year without data still builds, listing what is `missing`."""
        return services.start(me(), data)


@blp.route("")
class Reports(MethodView):
    """Reports."""

    @login_required
    @blp.arguments(AnnualReportListArgs, location="query")
    @blp.response(200, AnnualReportPage)
    def get(self, args):
        """Reports built and being built, newest first (coordinators and associations)."""
        return paginate(services.listing(me(), args), args)


@blp.route("/<int:report_id>")
class ReportItem(MethodView):
    """One report."""

    @login_required
    @blp.arguments(AnnualReportArgs, location="query")
    @blp.response(200, AnnualReportSchema)
    @blp.doc(
        responses={
            200: {
                "description": "`?format=xlsx` (a sheet per section) or `pdf` (typeset, with "
                "charts, page numbers and contents): a download, 409 until the report is done",
                "content": {MIME["xlsx"]: {}, "application/pdf": {}},
            }
        }
    )
    def get(self, args, report_id):
        """The report's state and progress, and its figures per section once done; or its
        xlsx or PDF (`?format=`)."""
        return services.serve(me(), report_id, args["format"])
