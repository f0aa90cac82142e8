"""Coordinator and government pages: the alliance's key figures, partnerships with their
health, the skills gap, the districts as a tile map, and the organizations waiting for
approval. Every figure is the monitoring summary the API serves (the same `as_of`)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from cbec_alliance.core.authz import require_coordinator, require_monitor
from cbec_alliance.core.i18n import language_tag
from cbec_alliance.core.pagination import paginate
from cbec_alliance.extensions import db
from cbec_alliance.monitoring import services as monitoring
from cbec_alliance.organizations import services as organizations
from cbec_alliance.organizations.models import Organization
from cbec_alliance.organizations.schemas import OrganizationListArgs
from cbec_alliance.partnerships import services as partnerships
from cbec_alliance.partnerships.models import HEALTHS, STATUSES
from cbec_alliance.partnerships.schemas import PartnershipListArgs
from cbec_alliance.training_bases import services as training_bases
from cbec_alliance.training_bases.models import LEVELS
from cbec_alliance.training_bases.schemas import ApproveSchema, RejectSchema

from .web import attempt, carry_out, console_blueprint, form_values, page, parse, render, user

blp = console_blueprint("console_monitoring", __name__, "/console/monitoring")
TILES = json.loads((Path(__file__).parent / "district_tiles.json").read_text("utf-8"))["tiles"]
# Five shades of the accent colour, light to dark; text turns white on the two darkest.
SHADES = ("#e3ecf7", "#b6cde9", "#7fa6d6", "#3f74b8", "#1d4f8c")


def _label(item: dict) -> str:
    return item.get("label_zh" if language_tag() == "zh-CN" else "label_en") or item["code"]


@blp.before_request
def _monitors_only() -> None:
    from flask_login import current_user

    if current_user.is_authenticated:
        require_monitor(user())


@blp.get("/")
@page
def overview():
    """The alliance at a glance, with its `as_of`."""
    data = monitoring.summary("overview")
    kinds: dict[str, int] = {}
    for row in data["organizations"]:
        if row["status"] == "approved":
            kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["count"]
    modes = [(m["mode"], m["count"]) for m in data["partnerships"]["active_by_mode"]]
    return render("console/monitoring/overview.html", data=data, kinds=kinds, modes=modes)


@blp.get("/partnerships")
@page
def partnership_list():
    """Partnerships with their health, filtered as the API filters them."""
    args, errors = parse(PartnershipListArgs(), request.args.to_dict())
    if args is None:
        args, shown = {"page": 1, "per_page": 20}, errors
    else:
        shown = {}
    listing = paginate(partnerships.listing(args, user()), args)
    ids = {p.enterprise_id for p in listing["items"]} | {p.university_id for p in listing["items"]}
    names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        ).all()
    )
    summary = monitoring.summary("overview")
    health = [(row["health"] or "—", row["count"]) for row in summary["partnerships"]["by_health"]]
    return render(
        "console/monitoring/partnerships.html",
        listing=listing,
        names=names,
        args=args,
        errors=shown,
        statuses=[(s, s) for s in STATUSES],
        healths=[(h, h) for h in HEALTHS],
        health=health,
        as_of=summary["as_of"],
    )


@blp.get("/skills-gap")
@page
def skills_gap():
    """Demand against supply per competency, largest gap first."""
    data = monitoring.summary("skills-gap")
    items = sorted(data["items"], key=lambda i: i["gap"], reverse=True)
    rows = [(_label(i), i["gap"]) for i in items if i["gap"] > 0]
    return render(
        "console/monitoring/skills_gap.html", data=data, items=items, gap_rows=rows, label=_label
    )


@blp.get("/districts")
@page
def districts():
    """Guangzhou's districts as a tile map coloured by the measure chosen."""
    data = monitoring.summary("districts")
    measures = ("gap", "open_internships", "enterprises", "universities", "demand", "supply")
    measure = request.args.get("measure", "gap")
    if measure not in measures:
        measure = "gap"
    top = max((i[measure] for i in data["items"]), default=0) or 1
    tiles = []
    for item in data["items"]:
        col, row = TILES.get(item["code"], (0, 6))
        level = min(4, int(4 * max(item[measure], 0) / top + 0.5)) if item[measure] else 0
        tiles.append(
            {"item": item, "x": col * 96, "y": row * 64, "fill": SHADES[level], "dark": level >= 3}
        )
    return render(
        "console/monitoring/districts.html",
        data=data,
        tiles=tiles,
        measure=measure,
        measures=measures,
        measure_names=_measure_names(),
        label=_label,
    )


def _measure_names() -> dict[str, str]:
    return {
        "gap": _("Skills gap"),
        "open_internships": _("Open internships"),
        "enterprises": _("Enterprises"),
        "universities": _("Universities"),
        "demand": _("Demand"),
        "supply": _("Supply"),
    }


@blp.get("/approvals")
@page
def approvals():
    """Organizations waiting for a coordinator's decision."""
    args, _errors = parse(OrganizationListArgs(), {"status": "pending", **request.args.to_dict()})
    args = args or {"status": "pending", "page": 1, "per_page": 20}
    args["status"] = "pending"
    listing = attempt(lambda: paginate(organizations.listing(args, user()), args))[0]
    bases = None
    if user().is_coordinator:
        waiting = {"status": "applied", "page": 1, "per_page": 50}
        bases = paginate(training_bases.listing(waiting, user()), waiting)
    return render(
        "console/monitoring/approvals.html",
        listing=listing,
        bases=bases,
        levels=[(level, level) for level in LEVELS],
        args=args,
    )


@blp.post("/approvals/bases/<int:base_id>")
@page
def decide_base(base_id: int):
    """Approve a training base with its level, or reject it with a reason (coordinators)."""
    require_coordinator()
    base = training_bases.get_visible(base_id, user())
    approving = request.form.get("action") == "approve"
    schema = ApproveSchema() if approving else RejectSchema()
    fields = ("level",) if approving else ("reason",)
    data, errors = parse(schema, form_values(fields))
    if data is None:
        for name, messages in errors.items():
            flash(f"{base.name}: {name}: {' '.join(messages)}", "error")
        return redirect(url_for("console_monitoring.approvals"), code=303)
    return carry_out(
        lambda: training_bases.decide(
            user(), base, approving, data.get("level"), data.get("reason")
        ),
        _decided(base.name, approving),
        "console_monitoring.approvals",
    )


def _decided(name: str, approved: bool) -> str:
    if approved:
        return _("%(name)s approved.", name=name)
    return _("%(name)s rejected.", name=name)


@blp.post("/approvals/<int:org_id>")
@page
def decide(org_id: int):
    """Approve or reject an organization (coordinators), with an optional reason."""
    require_coordinator()
    action = request.form.get("action", "")
    if action not in ("approve", "reject"):
        return render("console/error.html", status=422, message=_("Unknown action.")), 422
    reason = request.form.get("reason", "").strip() or None
    org = organizations.get_visible(org_id, user())
    return carry_out(
        lambda: organizations.transition(user(), org, action, reason),
        _decided(org.name, action == "approve"),
        "console_monitoring.approvals",
    )
