"""GET /api/v1/monitoring/employment, on the monitoring Blueprint."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import DOWNLOADS

from . import employment
from .employment_schemas import EmploymentArgs, EmploymentSchema
from .views import blp

__all__ = ["blp"]


@blp.route("/employment")
class Employment(MethodView):
    """Graduate employment in numbers."""

    @login_required
    @blp.arguments(EmploymentArgs, location="query")
    @blp.response(200, EmploymentSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Graduates of `?year=` (default this year): destination rate (placed: any outcome
        but not-employed, over graduates) and confirmed rate (confirmed by the alliance
        employer, over placed; the rest is declared only) per university and major;
        CBEC-related share and retained in Guangzhou (a Guangzhou district or the city code)
        among the placed; outcomes; salary bands; the employers' confirmations; conversions
        from internship to employment per enterprise (hires who had an accepted or completed
        application with it); certificate pass rates (`certificates`). Coordinators and
        associations see all (or `?organization_id=`); a university's staff their own; an
        enterprise's staff their confirmations and conversions only. csv and xlsx are one
        table with a `section` column; svg/png chart the rates per university (an
        enterprise's: its conversions)."""
        return employment.report(me(), args)
