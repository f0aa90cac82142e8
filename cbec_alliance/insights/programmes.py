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


def _by_kind(where: list[sa.ColumnElement]) -> list[dict]:
    planned = sa.case((Programme.state != "proposed", Programme.cohort_size), else_=0)
    figures = {
        kind: (count, running, size, admitted)
        for kind, count, running, size, admitted in db.session.execute(
            sa.select(
                Programme.kind,
                sa.func.count(),
                sa.func.sum(sa.case((Programme.state == "running", 1), else_=0)),
                sa.func.sum(planned),
                sa.func.sum(Programme.admitted_count),
            )
            .where(*where)
            .group_by(Programme.kind)
        )
    }
    out = []
    for kind in KINDS:
        count, running, size, admitted = (int(x or 0) for x in figures.get(kind, (0, 0, 0, 0)))
        out.append(
            {
                "kind": kind,
                "count": count,
                "running": running,
                "cohort_size": size,
                "admitted": admitted,
                "fill": _rate(admitted, size),
            }
        )
    return out


def _by_district(where: list[sa.ColumnElement]) -> list[dict]:
    district = sa.func.coalesce(Organization.district, "unknown")
    rows = db.session.execute(
        sa.select(district, sa.func.count(), sa.func.sum(Programme.admitted_count))
        .join(Organization, Organization.id == Programme.university_id)
        .where(*where)
        .group_by(district)
    )
    districts = [{"district": d, "count": n, "admitted": int(a or 0)} for d, n, a in rows]
    return sorted(districts, key=lambda d: (-d["count"], d["district"]))


def _fulfilment(where: list[sa.ColumnElement]) -> list[dict]:
    committed = sa.func.coalesce(sa.func.sum(ProgrammePartner.committed_positions), 0)
    offered = sa.func.coalesce(sa.func.sum(ProgrammePartner.offered_positions), 0)
    rows = db.session.execute(
        sa.select(Programme.id, Programme.name, Programme.university_id, committed, offered)
        .outerjoin(ProgrammePartner, ProgrammePartner.programme_id == Programme.id)
        .where(*where, Programme.kind == "order_class", Programme.state.in_(("running", "closed")))
        .group_by(Programme.id, Programme.name, Programme.university_id)
        .order_by(Programme.id)
    )
    return [
        {
            "programme_id": pid,
            "name": name,
            "university_id": university_id,
            "committed": int(promised),
            "offered": int(given),
            "fulfilment": _rate(int(given), int(promised)),
        }
        for pid, name, university_id, promised, given in rows
    ]


def programmes(scope: Scope = None) -> dict:
    """The report for the whole alliance (None) or one university's or enterprise's share."""
    # Counted in the database: programmes by kind and district, the running or closed order
    # classes with their positions (5,000 programmes read as rows and counted here took 40 ms
    # of Python; docs/benchmarks.md, issue 20).
    where = _in_scope(scope)
    by_kind = _by_kind(where)
    fulfilment = _fulfilment(where)
    if scope is None:
        shares = dual.shares()
    elif scope[0] == "university":
        shares = dual.shares([scope[1]])
    else:
        shares = dual.shares(
            db.session.scalars(sa.select(Programme.university_id).where(*where).distinct()).all()
        )
    universities = (
        Organization.kind == "university" if scope is None else Organization.id.in_(list(shares))
    )
    names = dict(
        db.session.execute(sa.select(Organization.id, Organization.name).where(universities)).all()
    )
    return {
        "scope": None if scope is None else {"kind": scope[0], "organization_id": scope[1]},
        "totals": {
            "programmes": sum(k["count"] for k in by_kind),
            "admitted": sum(k["admitted"] for k in by_kind),
            "committed": sum(f["committed"] for f in fulfilment),
            "offered": sum(f["offered"] for f in fulfilment),
        },
        "by_kind": by_kind,
        "by_district": _by_district(where),
        "fulfilment": fulfilment,
        "dual_qualified": [
            {"university_id": u, "name": names.get(u), **figures} for u, figures in shares.items()
        ],
    }
