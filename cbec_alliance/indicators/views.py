"""Routes under /api/v1/indicators."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.destinations.schemas import ImportFileSchema

from . import services
from .schemas import (
    IndicatorImportArgs,
    IndicatorImportSchema,
    IndicatorListArgs,
    IndicatorPage,
)

blp = Blueprint(
    "indicators",
    __name__,
    url_prefix="/api/v1/indicators",
    description="Industry indicators (CBEC trade value, enterprises, ...) as time series",
)


@blp.route("")
class Indicators(MethodView):
    """Indicators."""

    @login_required
    @blp.arguments(IndicatorListArgs, location="query")
    @blp.response(200, IndicatorPage)
    def get(self, args):
        """Values by indicator code, region and period (coordinators and associations)."""
        page = paginate(services.listing(me(), args), args)
        return {**page, "items": [services.shape(i) for i in page["items"]]}


@blp.route("/imports")
class Imports(MethodView):
    """Imports."""

    @login_required
    @blp.arguments(IndicatorImportArgs, location="query")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, IndicatorImportSchema)
    def post(self, args, files):
        """Upload an xlsx or csv (`file`, multipart; first sheet; a header row naming the
        columns in English or Chinese: code 指标代码, name 指标名称 (optional), region 地区代码
        (GB/T 2260, or CN), period 期间 (YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, YYYY-YTDn), value 数值,
        unit 单位, source 来源) (coordinators). Checked row by row: with a bad row nothing is
        imported and the 422 names each bad row's field as `rows.<row>.<field>`; with
        `?partial=true` the good rows are imported and the bad ones listed in `errors`. A row
        for a stored indicator, region and period replaces it."""
        return services.import_file(me(), files.get("file"), args["partial_import"])
