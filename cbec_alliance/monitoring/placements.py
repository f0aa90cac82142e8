"""The placements summary: whose figures a caller sees, and the summary as a table.

Coordinators and industry associations see the whole alliance (or, with
`?organization_id=`, one university's or enterprise's share); a university's or an
enterprise's admins and staff see their own organization's placements only. Each scope is
its own materialised snapshot (`placements`, `placements:<organization id>`).
"""

from __future__ import annotations

from cbec_alliance.accounts.models import User
from cbec_alliance.core import exports
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.errors import forbidden, not_found
from cbec_alliance.core.exports import Column
from cbec_alliance.extensions import db
from cbec_alliance.insights.placements import Scope, placements
from cbec_alliance.organizations.models import STAFF_ROLES, Organization

from .services import summary

SIDES = ("university", "enterprise")
COLUMNS = [
    Column("section", "类别", "section"),
    Column("key", "代码", "key"),
    Column("name", "名称", "name"),
    Column("state", "状态", "state"),
    Column("value", "数值", "value"),
]


def scope_for(user: User, org_id: int | None) -> Scope:
    """The placements `user` may see figures of: all (None) or one organization's."""
    if sees_all(user):
        if org_id is None:
            return None
        org = db.session.get(Organization, org_id)
        if org is None or org.kind not in SIDES:
            not_found("university or enterprise")
        return (org.kind, org.id)
    mine = [m for m in user.memberships if m.role in STAFF_ROLES and m.organization.kind in SIDES]
    if org_id is not None:
        mine = [m for m in mine if m.organization_id == org_id]
    if not mine:
        forbidden(
            "placement figures are for coordinators, industry associations, and the staff "
            "of the university or enterprise they concern"
        )
    return (mine[0].organization.kind, mine[0].organization_id)


def _org_rows(section: str, items: list[dict], key: str) -> list[dict]:
    return [
        {
            "section": section,
            "key": r[key],
            "name": r.get("name"),
            "state": r.get("state"),
            "value": r["count"],
        }
        for r in items
    ]


def _share_rows(data: dict) -> list[dict]:
    out = []
    for section in ("agreement", "insurance", "check_in_rate_7d"):
        share = data[section]
        out += [
            {"section": section, "key": "done", "value": share["done"]},
            {"section": section, "key": "total", "value": share["total"]},
            {"section": section, "key": "share", "value": share["share"]},
        ]
    out += [
        {"section": "overdue_logs", "key": k, "value": v} for k, v in data["overdue_logs"].items()
    ]
    return out


def rows(data: dict) -> list[dict]:
    """The summary flattened to (section, key, name, state, value) rows for csv and xlsx."""
    out = [{"section": "state", "key": r["state"], "value": r["count"]} for r in data["by_state"]]
    out += _org_rows("district", data["by_district"], "district")
    out += _org_rows("university", data["by_university"], "university_id")
    out += _org_rows("enterprise", data["by_enterprise"], "enterprise_id")
    out += _share_rows(data)
    out += [
        {"section": "open_incidents", "key": r["severity"], "value": r["count"]}
        for r in data["open_incidents"]
    ]
    out += [
        {"section": "compliance_alerts", "key": r["kind"], "value": r["count"]}
        for r in data["compliance_alerts"]
    ]
    out += [
        {"section": "terminations", "key": r["reason"], "value": r["count"]}
        for r in data["terminations"]
    ]
    return out


def report(user: User, args: dict):
    """The placements summary the caller may see, as JSON, CSV or XLSX."""
    scope = scope_for(user, args.get("organization_id"))
    name = "placements" if scope is None else f"placements:{scope[1]}"
    data = summary(name, lambda: placements(scope))
    return exports.respond(args["format"], "placements", data, COLUMNS, lambda: rows(data))
