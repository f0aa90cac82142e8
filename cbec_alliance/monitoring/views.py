"""Routes under /api/v1/monitoring (coordinators and industry associations)."""

from __future__ import annotations

import threading

from cachetools import LRUCache
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core import exports
from cbec_alliance.core.exports import Column

from . import services
from .schemas import (
    ChartArgs,
    DistrictsSchema,
    InternshipArgs,
    InternshipsSchema,
    OverviewSchema,
    PartnershipsSummarySchema,
    SkillsGapSchema,
    TableArgs,
)

blp = Blueprint(
    "monitoring",
    __name__,
    url_prefix="/api/v1/monitoring",
    description="The alliance in numbers, as JSON, CSV, XLSX or charts",
)

DOWNLOADS = {
    200: {
        "description": "`?format=csv|xlsx|svg|png`: a download",
        "content": {
            exports.MIME["csv"]: {},
            exports.MIME["xlsx"]: {},
            exports.MIME["svg"]: {},
            exports.MIME["png"]: {},
        },
    }
}

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


_charts: LRUCache = LRUCache(maxsize=64)
_charts_lock = threading.Lock()


def _chart(name: str, data: dict, args: dict, title: str, categories, series, **kw):
    """A chart download, drawn once per summary version and query (drawing one takes
    100-300 ms; serving it again from this process's memory under a millisecond)."""
    key = (name, data["as_of"], tuple(sorted(args.items())))
    with _charts_lock:
        image = _charts.get(key)
    if image is None:
        image = exports.bar_chart(args["format"], title, categories, series, **kw)
        with _charts_lock:
            _charts[key] = image
    return exports.download(image, args["format"], name)


def _get(name: str) -> dict:
    services.require_monitor(me())
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
        rows = [
            {"section": "organizations", "key": f"{r['kind']}/{r['status']}", "value": r["count"]}
            for r in data["organizations"]
        ]
        p = data["partnerships"]
        rows += [
            {"section": "partnerships", "key": r["status"], "value": r["count"]}
            for r in p["by_status"]
        ]
        rows += [
            {"section": "partnership health", "key": r["health"], "value": r["count"]}
            for r in p["by_health"]
        ]
        rows += [
            {"section": "active partnerships by mode", "key": r["mode"], "value": r["count"]}
            for r in p["active_by_mode"]
        ]
        rows += [
            {"section": "internships", "key": k, "value": v} for k, v in data["internships"].items()
        ]
        rows += [
            {"section": "courses", "key": r["status"], "value": r["count"]} for r in data["courses"]
        ]
        rows += [
            {"section": "training bases", "key": r["level"], "value": r["count"]}
            for r in data["training_bases"]
        ]
        rows += [
            {"section": "competitions", "key": "total", "value": data["competitions"]},
            {"section": "students", "key": "total", "value": data["students"]},
        ]
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
        """Per competency: `demand` (open slots that require it + survey weight), `supply`
        (students at level 3+ + seats of published courses teaching it) and `gap`."""
        data = _get("skills-gap")
        fmt = args["format"]
        if fmt == "json":
            return data
        if fmt in exports.CHART_FORMATS:
            items = data["items"]
            return _chart(
                "skills-gap",
                data,
                args,
                "跨境电商能力供需 Skills demand and supply",
                [r["label_zh"] for r in items],
                {
                    "需求 demand": [r["demand"] for r in items],
                    "供给 supply": [r["supply"] for r in items],
                },
                horizontal=True,
            )
        return exports.table(fmt, "skills-gap", GAP_COLUMNS, data["items"])


@blp.route("/districts")
class Districts(MethodView):
    """Guangzhou district by district."""

    @login_required
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, DistrictsSchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Per district: demand, supply and gap over all competencies (internships by their
        district, students and seats by their university's), and organization counts."""
        data = _get("districts")
        if args["format"] == "json":
            return data
        columns = [
            *GAP_COLUMNS[:3],
            Column("enterprises", "企业", "enterprises"),
            Column("universities", "高校", "universities"),
            Column("open_internships", "开放岗位", "open internships"),
            *GAP_COLUMNS[3:],
        ]
        return exports.table(args["format"], "districts", columns, data["items"])


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
        items = [
            r
            for r in data["items"]
            if (not args.get("category") or r["category"] == args["category"])
            and (not args.get("from_") or r["month"] >= args["from_"])
            and (not args.get("to") or r["month"] <= args["to"])
        ]
        fmt = args["format"]
        if fmt == "json":
            return {**data, "items": items}
        if fmt in exports.CHART_FORMATS:
            months = sorted({r["month"] for r in items})
            series = {
                label: [sum(r[key] for r in items if r["month"] == m) for m in months]
                for key, label in (
                    ("posted", "发布 posted"),
                    ("filled", "招满 filled"),
                    ("hired", "录用 hired"),
                )
            }
            return _chart("internships", data, args, "实习岗位 Internships", months, series)
        columns = [
            Column("category", "岗位类别", "category"),
            Column("month", "月份", "month"),
            Column("posted", "发布", "posted"),
            Column("filled", "招满", "filled"),
            Column("hired", "录用", "hired"),
        ]
        return exports.table(fmt, "internships", columns, items)


@blp.route("/partnerships")
class PartnershipsSummary(MethodView):
    """Partnerships in numbers."""

    @login_required
    @blp.arguments(TableArgs, location="query")
    @blp.response(200, PartnershipsSummarySchema)
    @blp.doc(responses=DOWNLOADS)
    def get(self, args):
        """Partnerships by mode, status and health (health as of the last refresh)."""
        data = _get("partnerships")
        if args["format"] == "json":
            return data
        columns = [
            Column("mode", "合作模式", "mode"),
            Column("status", "状态", "status"),
            Column("health", "健康度", "health"),
            Column("count", "数量", "count"),
        ]
        return exports.table(args["format"], "partnerships", columns, data["items"])
