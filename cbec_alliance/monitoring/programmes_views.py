"""GET /api/v1/monitoring/programmes, on the monitoring Blueprint."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import DOWNLOADS, ChartArgs

from . import programmes
from .schemas import Fresh
from .views import blp

__all__ = ["blp"]


class ProgrammesArgs(ChartArgs):
    """`?organization_id=` (coordinators and associations: one university's or enterprise's
    share; staff: their own, the first one by default)."""

    organization_id = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))


class ProgrammesReportSchema(Fresh):
    """Programmes by kind and district, cohort fill, commitment fulfilment, dual-qualified."""

    scope = ma.fields.Dict(allow_none=True)
    totals = ma.fields.Dict()
    by_kind = ma.fields.List(ma.fields.Dict())
    by_district = ma.fields.List(ma.fields.Dict())
    fulfilment = ma.fields.List(ma.fields.Dict())
    dual_qualified = ma.fields.List(ma.fields.Dict())


@blp.route("/programmes")
class ProgrammesReport(MethodView):
    """Programmes in numbers."""

    @login_required
    @blp.arguments(ProgrammesArgs, location="query")
    @blp.response(200, ProgrammesReportSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Programmes by kind (count, running, cohort size, admitted, fill) and by the
        university's district; each running or closed order class's commitment fulfilment
        (positions offered over committed); per university the dual-qualified (双师型) share
        of its teachers of the CBEC majors. Coordinators and associations see all (or
        `?organization_id=`), a university's staff their own programmes, an enterprise's
        staff the programmes it partners in. csv/xlsx: one table with a `section` column;
        svg/png: programmes and admitted students per kind."""
        return programmes.report(me(), args)
