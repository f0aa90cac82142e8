"""Routes under /api/v1/monitoring (coordinators and industry associations)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import DOWNLOADS, ChartArgs, TableArgs

from . import placements, services
from .schemas import (
    DistrictsSchema,
    InternshipArgs,
    InternshipsSchema,
    LanguageGapArgs,
    LanguageGapSchema,
    OverviewSchema,
    PartnershipsSummarySchema,
    PlacementArgs,
    PlacementsSummarySchema,
    SkillsGapSchema,
)

blp = Blueprint(
    "monitoring",
    __name__,
    url_prefix="/api/v1/monitoring",
    description="The alliance in numbers, as JSON, CSV, XLSX or charts",
)


@blp.route("/overview")
class Overview(MethodView):
    """The alliance at a glance."""

    @login_required
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, OverviewSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Organizations by kind and status, partnerships, internships, courses, bases,
        competitions and students."""
        return services.report(me(), "overview", args)


@blp.route("/skills-gap")
class SkillsGap(MethodView):
    """Skills demanded against skills supplied."""

    @login_required
    @blp.arguments(ChartArgs, location="query")
    @blp.response(200, SkillsGapSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Per competency: `demand` (open slots that require it + survey weight: the
        enterprises that chose it in the latest closed survey answering `competencies`, named
        by `survey_id`), `supply` (students at level 3+ + seats of published courses teaching
        it) and `gap`."""
        return services.report(me(), "skills-gap", args)


@blp.route("/skills-gap/languages")
class LanguageGap(MethodView):
    """Minor languages demanded against languages spoken."""

    @login_required
    @blp.arguments(LanguageGapArgs, location="query")
    @blp.response(200, LanguageGapSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Per language and level N (`?level=`, 1..5): `postings` (open postings of any kind
        asking for it at level N or more), `demand` (their open slots), `students` (students
        speaking it at level N or more) and `gap`, for the alliance (`items`) and per
        district (`by_district`: postings by their district, students by their
        university's); csv and xlsx are one table, the alliance's rows with an empty
        `district`; svg/png chart one level."""
        return services.report(me(), "language-gap", args)


@blp.route("/districts")
class Districts(MethodView):
    """Guangzhou district by district."""

    @login_required
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, DistrictsSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Per district, as the skills gap: each competency's `demand`, `supply` and `gap`
        (internships and answering enterprises by their district, students and seats by their
        university's), their totals, and organization counts; csv and xlsx are one row per
        district and competency."""
        return services.report(me(), "districts", args)


@blp.route("/internships")
class Internships(MethodView):
    """Internships over time."""

    @login_required
    @blp.arguments(InternshipArgs, location="query")
    @blp.response(200, InternshipsSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Posted, filled and hired by category and month; `?category=`, `?from=`, `?to=`
        narrow it; svg/png chart the months (all categories, or the one given)."""
        return services.report(me(), "internships", args)


@blp.route("/partnerships")
class PartnershipsSummary(MethodView):
    """Partnerships in numbers."""

    @login_required
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, PartnershipsSummarySchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Partnerships by status and health (as of the last refresh) per mode, district
        (either side's) and university; csv and xlsx are one table with a `breakdown`
        column (mode, district, university)."""
        return services.report(me(), "partnerships", args)


@blp.route("/placements")
class PlacementsSummary(MethodView):
    """Placements in numbers."""

    @login_required
    @blp.arguments(PlacementArgs, location="query")
    @blp.response(200, PlacementsSummarySchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Placements by state, district, university and enterprise; agreement and insurance
        completion; check-in rate (last 7 days); overdue logs; open incidents by severity;
        compliance alerts by kind; terminations by reason. Coordinators and associations see
        all; a university's or enterprise's staff their own; csv and xlsx are one table with
        a `section` column."""
        return placements.report(me(), args)
