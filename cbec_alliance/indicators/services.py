"""Reading indicators: the list (filters), a year's figures for the annual report, and who
may do what (monitors read, coordinators import)."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.authz import require_coordinator, require_monitor
from cbec_alliance.core.errors import invalid
from cbec_alliance.extensions import db

from . import imports
from .models import Indicator
from .periods import region_names, sort_key


def listing(user: User, args: dict) -> sa.Select:
    """Indicators by code, region and period (coordinators and associations); `code`,
    `region`, `year`, `from`..`to` (years) narrow them."""
    require_monitor(user)
    stmt = sa.select(Indicator).order_by(
        Indicator.code, Indicator.region, Indicator.year, Indicator.period, Indicator.id
    )
    for field in ("code", "region", "year"):
        if args.get(field) is not None:
            stmt = stmt.where(getattr(Indicator, field) == args[field])
    if args.get("from_") is not None:
        stmt = stmt.where(Indicator.year >= args["from_"])
    if args.get("to") is not None:
        stmt = stmt.where(Indicator.year <= args["to"])
    return stmt


def shape(ind: Indicator) -> dict:
    """An indicator as the API shows it: the value as a decimal string, the region named."""
    zh, en = region_names(ind.region) or (ind.region, ind.region)
    return {
        "id": ind.id,
        "code": ind.code,
        "name": ind.name,
        "region": ind.region,
        "region_zh": zh,
        "region_en": en,
        "period": ind.period,
        "year": ind.year,
        "value": format(ind.value.normalize(), "f"),
        "unit": ind.unit,
        "source": ind.source,
        "updated_at": ind.updated_at,
    }


def for_year(year: int) -> list[dict]:
    """Every indicator of `year`, shaped, by code, region and period in time order (what
    `GET /indicators?year=` lists, in the report's order)."""
    rows = db.session.scalars(sa.select(Indicator).where(Indicator.year == year)).all()
    rows = sorted(rows, key=lambda i: (i.code, i.region, sort_key(i.period)))
    return [shape(i) for i in rows]


def import_file(user: User, upload, partial: bool) -> dict:
    """Import an uploaded xlsx or csv (coordinators); see `imports`."""
    require_coordinator()
    if upload is None:
        invalid("file", "Missing data for required field.")
    return imports.run(user, upload.read(), upload.filename or "", partial)
