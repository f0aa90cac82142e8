"""The annual report as an xlsx workbook: a summary sheet, then one sheet per section."""

from __future__ import annotations

from decimal import Decimal

from cbec_alliance.core.exports import Column, workbook_bytes
from cbec_alliance.monitoring import employment as employment_view
from cbec_alliance.monitoring.services import GAP_COLUMNS

from .sections import SECTIONS

T = Column("table", "表", "table")
SURVEY = [
    T,
    Column("group", "分组", "group"),
    Column("question", "题目代码", "question"),
    Column("code", "选项代码", "option"),
    Column("label", "选项", "option label"),
    Column("count", "数量", "count"),
    Column("percent", "比例%", "percent"),
    Column("previous_count", "上年数量", "previous count"),
    Column("previous_percent", "上年比例%", "previous percent"),
    Column("change", "变化（百分点）", "change (points)"),
]
COUNTED = [
    T,
    Column("key", "代码", "key"),
    Column("name", "名称", "name"),
    Column("status", "状态", "status"),
    Column("health", "健康度", "health"),
    Column("count", "数量", "count"),
]
INTERNSHIPS = [
    T,
    Column("category", "岗位类别", "category"),
    Column("month", "月份", "month"),
    Column("posted", "发布", "posted"),
    Column("filled", "招满", "filled"),
    Column("hired", "录用", "hired"),
    Column("key", "项目", "item"),
    Column("value", "数值", "value"),
]
POLICIES = [
    Column("kind", "政策类别", "policy kind"),
    Column("policies", "政策数", "policies"),
    Column("applications", "申请数", "applications"),
    Column("approved", "批准数", "approved"),
    Column("amount_approved", "批准金额", "amount approved"),
    Column("amount_disbursed", "拨付金额", "amount disbursed"),
]
INDICATORS = [
    Column("code", "指标代码", "code"),
    Column("name", "指标名称", "name"),
    Column("region", "地区代码", "region"),
    Column("region_zh", "地区", "region (zh)"),
    Column("period", "期间", "period"),
    Column("value", "数值", "value"),
    Column("unit", "单位", "unit"),
    Column("source", "来源", "source"),
]
SUMMARY = [Column("key", "项目", "item"), Column("value", "内容", "value")]


def _survey(data: dict) -> list[dict]:
    if "report" not in data:
        return []
    out = [
        {"table": "report", "question": q["code"], **o}
        for q in data["report"]["questions"]
        for o in q["options"]
    ]
    for by in ("by_size", "by_platform"):
        out += [
            {"table": by, "group": g["key"], "question": q["code"], **o}
            for g in data[by]["groups"]
            for q in g["questions"]
            for o in q["options"]
        ]
    return out


def _partnerships(data: dict) -> list[dict]:
    out = [{"table": "mode", "key": r["mode"], "name": r["label_zh"], **r} for r in data["by_mode"]]
    out += [
        {"table": "district", "key": r["district"], "name": r["label_zh"], **r}
        for r in data["by_district"]
    ]
    out += [{"table": "status", "key": r["status"], **r} for r in data["by_status"]]
    out += [{"table": "health", "key": r["health"], **r} for r in data["by_health"]]
    return out


def _internships(data: dict) -> list[dict]:
    out = [{"table": "month", **r} for r in data["months"]]
    out += [{"table": "category", **r} for r in data["by_category"]]
    out += [{"table": "alliance", "key": k, "value": v} for k, v in data["alliance"].items()]
    out += [
        {"table": "placements", "key": r["state"], "value": r["count"]}
        for r in data["placements"].get("by_state", [])
    ]
    return out


def _cooperation(data: dict) -> list[dict]:
    out = [{"table": "courses", "key": r["status"], "count": r["count"]} for r in data["courses"]]
    out += [
        {"table": "training_bases", "key": r["level"], "count": r["count"]}
        for r in data["training_bases"]
    ]
    return [*out, {"table": "competitions", "key": "total", "count": data["competitions"]}]


def _policies(data: dict) -> list[dict]:
    return [
        {
            "kind": kind,
            **{
                k: (Decimal(v) if k.startswith("amount") else v)
                for k, v in figures.items()
                if k in {c.key for c in POLICIES}
            },
        }
        for kind, figures in data["kinds"].items()
    ]


def _indicators(data: dict) -> list[dict]:
    return [{**r, "value": Decimal(r["value"])} for r in data["items"]]


SHEETS = {
    "survey": (SURVEY, _survey),
    "partnerships": (COUNTED, _partnerships),
    "internships": (INTERNSHIPS, _internships),
    "employment": (
        employment_view.COLUMNS,
        lambda d: employment_view.rows(d) if "totals" in d else [],
    ),
    "cooperation": (COUNTED, _cooperation),
    "skills_gap": (GAP_COLUMNS, lambda d: d.get("items", [])),
    "policies": (POLICIES, _policies),
    "indicators": (INDICATORS, _indicators),
}


def build(report: dict) -> bytes:
    """The workbook: `summary` (year, built, what is missing), then a sheet per section."""
    summary = [
        {"key": "year 年度", "value": report["year"]},
        {"key": "built 生成时间", "value": report["built_at"]},
        *({"key": "missing 缺少", "value": m} for m in report["missing"]),
    ]
    sheets: list = [("summary 概要", SUMMARY, summary)]
    for section in SECTIONS:
        columns, rows = SHEETS[section.code]
        sheets.append(
            (f"{section.code} {section.zh}", columns, rows(report["sections"][section.code]))
        )
    return workbook_bytes(sheets)
