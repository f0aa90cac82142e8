"""Serving monitoring summaries: materialised, never older than the refresh interval."""

from __future__ import annotations

import datetime as dt
import time

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.core.db import upsert
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.insights import activity
from cbec_alliance.insights.summaries import SUMMARIES
from cbec_alliance.partnerships.models import Partnership

from .models import Snapshot

# Stored with each snapshot; a snapshot of another version (computed by code whose summaries
# had another shape) is recomputed on request instead of being served. Raise it whenever a
# summary's shape changes.
SHAPE_VERSION = 2


def compute(name: str) -> dict:
    """Compute a summary now and store it (an upsert: concurrent refreshes both succeed);
    returns the stored values."""
    started = time.perf_counter()
    values = {
        "name": name,
        "data": {**SUMMARIES[name](), "_shape": SHAPE_VERSION},
        "computed_at": utcnow(),
        "seconds": round(time.perf_counter() - started, 4),
    }
    upsert(Snapshot, values, ["name"])
    return values


def summary(name: str) -> dict:
    """The summary with `as_of` and `refresh_interval_seconds`; recomputed when older."""
    interval = current_app.config["MONITORING_REFRESH_SECONDS"]
    snap = db.session.get(Snapshot, name)
    if (
        snap is None
        or interval <= 0
        or snap.data.get("_shape") != SHAPE_VERSION
        or utcnow() - as_utc(snap.computed_at) > dt.timedelta(seconds=interval)
    ):
        values = compute(name)
    else:
        values = {"data": snap.data, "computed_at": snap.computed_at, "seconds": snap.seconds}
    return {
        "as_of": as_utc(values["computed_at"]),
        "refresh_interval_seconds": interval,
        "compute_seconds": values["seconds"],
        **{k: v for k, v in values["data"].items() if k != "_shape"},
    }


def refresh_all(batch: int = 5_000) -> dict[str, float]:
    """The beat task's work: partnership health first, then every summary; seconds each.

    Commits after each batch and each summary: one transaction over the whole refresh would
    hold every partnership's row lock for its many seconds, stalling requests that change one.
    """
    took = {}
    started = time.perf_counter()
    ids = db.session.scalars(sa.select(Partnership.id).order_by(Partnership.id)).all()
    for k in range(0, len(ids), batch):
        activity.refresh(ids[k : k + batch])
        db.session.commit()
    took["partnership_health"] = round(time.perf_counter() - started, 3)
    for name in SUMMARIES:
        took[name] = compute(name)["seconds"]
        db.session.commit()
    return took


def overview_rows(data: dict) -> list[dict]:
    """The overview flattened to (section, item, value) rows for csv and xlsx."""
    p, orgs = data["partnerships"], data["organizations"]
    sections = {
        "organizations": [(f"{r['kind']}/{r['status']}", r["count"]) for r in orgs],
        "partnerships": [(r["status"], r["count"]) for r in p["by_status"]],
        "partnership health": [(r["health"], r["count"]) for r in p["by_health"]],
        "active partnerships by mode": [(r["mode"], r["count"]) for r in p["active_by_mode"]],
        "internships": list(data["internships"].items()),
        "courses": [(r["status"], r["count"]) for r in data["courses"]],
        "training bases": [(r["level"], r["count"]) for r in data["training_bases"]],
        "competitions": [("total", data["competitions"])],
        "students": [("total", data["students"])],
    }
    return [
        {"section": section, "key": key, "value": value}
        for section, pairs in sections.items()
        for key, value in pairs
    ]


def internship_items(items: list[dict], args: dict) -> list[dict]:
    """The internship summary rows narrowed by `category`, `from_` and `to` (YYYY-MM)."""
    return [
        r
        for r in items
        if (not args.get("category") or r["category"] == args["category"])
        and (not args.get("from_") or r["month"] >= args["from_"])
        and (not args.get("to") or r["month"] <= args["to"])
    ]


def internship_series(items: list[dict]) -> tuple[list[str], dict[str, list[int]]]:
    """The months and, per measure, its total over the given categories each month."""
    totals: dict[str, dict[str, int]] = {}
    for r in items:
        month = totals.setdefault(r["month"], {"posted": 0, "filled": 0, "hired": 0})
        for key in month:
            month[key] += r[key]
    months = sorted(totals)
    labels = {"posted": "发布 posted", "filled": "招满 filled", "hired": "录用 hired"}
    return months, {label: [totals[m][key] for m in months] for key, label in labels.items()}


def district_rows(data: dict) -> list[dict]:
    """The districts summary flattened to one row per (district, competency), for csv and
    xlsx."""
    return [
        {
            "district": d["code"],
            "district_zh": d["label_zh"],
            "district_en": d["label_en"],
            **c,
        }
        for d in data["items"]
        for c in d["competencies"]
    ]


def partnership_rows(data: dict) -> list[dict]:
    """The partnerships summary flattened to (breakdown, key, name, status, health, count)
    rows, for csv and xlsx: by mode, then by district, then by university."""
    out = []
    for breakdown, items, key, name in (
        ("mode", data["items"], "mode", "label_zh"),
        ("district", data.get("by_district", []), "district", "label_zh"),
        ("university", data.get("by_university", []), "university_id", "name"),
    ):
        out += [
            {
                "breakdown": breakdown,
                "key": r[key],
                "name": r[name],
                "status": r["status"],
                "health": r["health"],
                "count": r["count"],
            }
            for r in items
        ]
    return out
