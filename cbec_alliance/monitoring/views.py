"""Routes under /api/v1/monitoring (coordinators and industry associations)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core import exports
from cbec_alliance.core.authz import require_monitor
from cbec_alliance.core.exports import DOWNLOADS, ChartArgs, Column, TableArgs

from . import services
from .schemas import (
    DistrictsSchema,
    InternshipArgs,
    InternshipsSchema,
    OverviewSchema,
    PartnershipsSummarySchema,
    SkillsGapSchema,
)

blp = Blueprint(
    "monitoring",
    __name__,
    url_prefix="/api/v1/monitoring",
    description="The alliance in numbers, as JSON, CSV, XLSX or charts",
)

GAP_COLUMNS = [
    Column("code", "代码", "code"),
    Column("label_zh", "名称", "name (zh)"),
    Column("label_en", "英文名称", "name (en)"),
    Column("demand_slots", "岗位需求", "open slots"),
    Column("survey_weight", "调查需求", "survey weight"),
    Column("demand", "需求", "demand"),
    Column("supply_students", "学生供给", "students level 3+"),
    Column("supply_seats", "课程席位", "course seats"),
    Column("supply", "供给", "supply"),
    Column("gap", "缺口", "gap"),
]


def _get(name: str) -> dict:
    require_monitor(me())
    return services.summary(name)


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
        data = _get("overview")
        if args["format"] == "json":
            return data
        rows = services.overview_rows(data)
        columns = [
            Column("section", "类别", "section"),
            Column("key", "项目", "item"),
            Column("value", "数量", "value"),
        ]
        return exports.table(args["format"], "overview", columns, rows)


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
        data = _get("skills-gap")
        fmt = args["format"]
        if fmt == "json":
            return data
        if fmt in exports.CHART_FORMATS:
            items = data["items"]
            return exports.chart(
                fmt,
                "skills-gap",
                "跨境电商能力供需 Skills demand and supply",
                [r["label_zh"] for r in items],
                {
                    "需求 demand": [r["demand"] for r in items],
                    "供给 supply": [r["supply"] for r in items],
                },
                horizontal=True,
            )
        return exports.table(fmt, "skills-gap", GAP_COLUMNS, data["items"])


DISTRICT_COLUMNS = [
    Column("district", "区代码", "district"),
    Column("district_zh", "区", "district (zh)"),
    Column("district_en", "区英文名", "district (en)"),
    Column("code", "能力代码", "competency"),
    Column("label_zh", "能力", "competency (zh)"),
    Column("label_en", "能力英文名", "competency (en)"),
    *GAP_COLUMNS[3:],
]


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
        data = _get("districts")
        if args["format"] == "json":
            return data
        rows = services.district_rows(data)
        return exports.table(args["format"], "districts", DISTRICT_COLUMNS, rows)


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
        data = _get("internships")
        items = services.internship_items(data["items"], args)
        fmt = args["format"]
        if fmt == "json":
            return {**data, "items": items}
        if fmt in exports.CHART_FORMATS:
            months, series = services.internship_series(items)
            return exports.chart(fmt, "internships", "实习岗位 Internships", months, series)
        columns = [
            Column("category", "岗位类别", "category"),
            Column("month", "月份", "month"),
            Column("posted", "发布", "posted"),
            Column("filled", "招满", "filled"),
            Column("hired", "录用", "hired"),
        ]
        return exports.table(fmt, "internships", columns, items)


PARTNERSHIP_COLUMNS = [
    Column("breakdown", "维度", "breakdown"),
    Column("key", "代码", "key"),
    Column("name", "名称", "name"),
    Column("status", "状态", "status"),
    Column("health", "健康度", "health"),
    Column("count", "数量", "count"),
]


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
        data = _get("partnerships")
        if args["format"] == "json":
            return data
        rows = services.partnership_rows(data)
        return exports.table(args["format"], "partnerships", PARTNERSHIP_COLUMNS, rows)
