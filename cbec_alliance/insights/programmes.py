"""The programmes report: programmes by kind, state and district, cohort fill, commitment
fulfilment of order classes, and the dual-qualified share of teachers per university."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.programmes.models import KINDS, Programme, ProgrammePartner
from cbec_alliance.teaching import dual

Scope = tuple[str, int] | None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _in_scope(scope: Scope) -> list[sa.ColumnElement]:
    if scope is None:
        return []
    kind, org_id = scope
    if kind == "university":
        return [Programme.university_id == org_id]
    partnered = sa.select(ProgrammePartner.programme_id).where(
        ProgrammePartner.enterprise_id == org_id
    )
    return [Programme.id.in_(partnered)]


def programmes(scope: Scope = None) -> dict:
    """The report for the whole alliance (None) or one university's or enterprise's share."""
    where = _in_scope(scope)
    uni = sa.orm.aliased(Organization)
    rows = db.session.execute(
        sa.select(
            Programme.id,
            Programme.name,
            Programme.kind,
            Programme.state,
            Programme.university_id,
            uni.name.label("university"),
            uni.district,
            Programme.cohort_size,
            Programme.admitted_count,
        )
        .join(uni, uni.id == Programme.university_id)
        .where(*where)
        .order_by(Programme.id)
    ).all()
    promised = dict(
        db.session.execute(
            sa.select(
                ProgrammePartner.programme_id,
                sa.func.sum(ProgrammePartner.committed_positions),
            ).group_by(ProgrammePartner.programme_id)
        ).all()
    )
    offered = dict(
        db.session.execute(
            sa.select(
                ProgrammePartner.programme_id, sa.func.sum(ProgrammePartner.offered_positions)
            ).group_by(ProgrammePartner.programme_id)
        ).all()
    )
    by_kind = []
    for kind in KINDS:
        mine = [r for r in rows if r.kind == kind]
        size = sum(r.cohort_size for r in mine if r.state != "proposed")
        admitted = sum(r.admitted_count for r in mine)
        by_kind.append(
            {
                "kind": kind,
                "count": len(mine),
                "running": sum(1 for r in mine if r.state == "running"),
                "cohort_size": size,
                "admitted": admitted,
                "fill": _rate(admitted, size),
            }
        )
    districts: dict[str, dict] = {}
    for r in rows:
        d = districts.setdefault(
            r.district or "unknown",
            {"district": r.district or "unknown", "count": 0, "admitted": 0},
        )
        d["count"] += 1
        d["admitted"] += r.admitted_count
    fulfilment = [
        {
            "programme_id": r.id,
            "name": r.name,
            "university_id": r.university_id,
            "committed": int(promised.get(r.id) or 0),
            "offered": int(offered.get(r.id) or 0),
            "fulfilment": _rate(int(offered.get(r.id) or 0), int(promised.get(r.id) or 0)),
        }
        for r in rows
        if r.kind == "order_class" and r.state in ("running", "closed")
    ]
    universities = sorted({r.university_id for r in rows})
    if scope is not None and scope[0] == "university":
        universities = [scope[1]]
    names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(universities))
        ).all()
    )
    shares = dual.shares(universities if scope is not None else None)
    dual_rows = [
        {"university_id": u, "name": names.get(u), **figures} for u, figures in shares.items()
    ]
    return {
        "scope": None if scope is None else {"kind": scope[0], "organization_id": scope[1]},
        "totals": {
            "programmes": len(rows),
            "admitted": sum(r.admitted_count for r in rows),
            "committed": sum(f["committed"] for f in fulfilment),
            "offered": sum(f["offered"] for f in fulfilment),
        },
        "by_kind": by_kind,
        "by_district": sorted(districts.values(), key=lambda d: (-d["count"], d["district"])),
        "fulfilment": fulfilment,
        "dual_qualified": dual_rows,
    }
