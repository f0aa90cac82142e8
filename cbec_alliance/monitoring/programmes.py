"""The programmes report: whose figures a caller sees, as a table or a chart."""

from __future__ import annotations

from cbec_alliance.accounts.models import User
from cbec_alliance.core import exports
from cbec_alliance.core.exports import Bars, Column
from cbec_alliance.insights.programmes import programmes

from .placements import scope_for
from .services import summary

COLUMNS = [
    Column("section", "类别", "section"),
    Column("key", "代码", "key"),
    Column("name", "名称", "name"),
    Column("count", "数量", "count"),
    Column("cohort_size", "计划人数", "cohort size"),
    Column("admitted", "录取人数", "admitted"),
    Column("fill", "满额率", "cohort fill"),
    Column("committed", "承诺岗位", "positions committed"),
    Column("offered", "已提供岗位", "positions offered"),
    Column("fulfilment", "承诺兑现率", "commitment fulfilment"),
    Column("teachers", "专业教师", "teachers"),
    Column("dual_qualified", "双师型", "dual-qualified"),
    Column("share", "双师型占比", "dual-qualified share"),
]


def rows(data: dict) -> list[dict]:
    """The report as one table with a `section` column."""
    out = [{"section": "kind", "key": r["kind"], **r} for r in data["by_kind"]]
    out += [{"section": "district", "key": r["district"], **r} for r in data["by_district"]]
    out += [{"section": "fulfilment", "key": r["programme_id"], **r} for r in data["fulfilment"]]
    out += [
        {"section": "dual_qualified", "key": r["university_id"], **r}
        for r in data["dual_qualified"]
    ]
    return out


def bars(data: dict) -> Bars:
    """Programmes and admitted students per kind."""
    items = data["by_kind"]
    return Bars(
        "校企合作项目 Programmes",
        [r["kind"] for r in items],
        {
            "项目 programmes": [r["count"] for r in items],
            "录取 admitted": [r["admitted"] for r in items],
        },
    )


def report(user: User, args: dict):
    """The programmes report the caller may see: coordinators and associations all (or
    `?organization_id=`), a university's or enterprise's staff their own; each scope is
    its own materialised snapshot (`programmes`, `programmes:<organization id>`)."""
    scope = scope_for(user, args.get("organization_id"))
    name = "programmes" if scope is None else f"programmes:{scope[1]}"
    data = summary(name, lambda: programmes(scope))
    return exports.respond(
        args["format"], "programmes", data, COLUMNS, lambda: rows(data), lambda: bars(data)
    )
