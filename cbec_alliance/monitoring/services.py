"""Serving monitoring summaries: materialised, never older than the refresh interval."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts.models import User
from cbec_alliance.core import exports
from cbec_alliance.core.authz import require_monitor
from cbec_alliance.core.db import is_postgres, upsert, write_lock
from cbec_alliance.core.exports import Bars, Column
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.insights import activity
from cbec_alliance.insights.summaries import SUMMARIES
from cbec_alliance.partnerships import services as partnership_services
from cbec_alliance.partnerships.models import Partnership

from .models import Snapshot

# Stored with each snapshot; a snapshot of another version (computed by code whose summaries
# had another shape) is recomputed on request instead of being served. Raise it whenever a
# summary's shape changes.
SHAPE_VERSION = 2


def compute(name: str, make: Callable[[], dict] | None = None) -> dict:
    """Compute a summary now (`make`, else the summary named) and store it (an upsert:
    concurrent refreshes both succeed); returns the stored values."""
    started = time.perf_counter()
    values = {
        "name": name,
        "data": {**(make or SUMMARIES[name])(), "_shape": SHAPE_VERSION},
        "computed_at": utcnow(),
        "seconds": round(time.perf_counter() - started, 4),
    }
    upsert(Snapshot, values, ["name"])
    return values


# pg_advisory_xact_lock(SNAPSHOT_LOCK, hashtext(name)): one request computes a missing or
# stale summary while the others asking for it at the same moment wait, then read its row.
SNAPSHOT_LOCK = 7_221_021


def _fresh(snap: Snapshot | None, interval: int) -> bool:
    return (
        snap is not None
        and interval > 0
        and snap.data.get("_shape") == SHAPE_VERSION
        and utcnow() - as_utc(snap.computed_at) <= dt.timedelta(seconds=interval)
    )


def summary(name: str, make: Callable[[], dict] | None = None) -> dict:
    """The summary with `as_of` and `refresh_interval_seconds`; computed on first use (a
    fresh install, the demo) and when older than the interval, else as beat stored it.

    Concurrent first uses compute once: the first takes the summary's advisory lock
    (PostgreSQL) or the write lock (SQLite), the others wait for its commit and then find the
    row fresh; the upsert on the name keeps one row whatever happens."""
    interval = current_app.config["MONITORING_REFRESH_SECONDS"]
    snap = db.session.get(Snapshot, name)
    if not _fresh(snap, interval):
        if is_postgres():
            lock = sa.func.pg_advisory_xact_lock(SNAPSHOT_LOCK, sa.func.hashtext(name))
            db.session.execute(sa.select(lock))
        else:
            write_lock()
        snap = db.session.get(Snapshot, name, populate_existing=True)
    values: dict[str, Any]
    if snap is not None and _fresh(snap, interval):
        values = {"data": snap.data, "computed_at": snap.computed_at, "seconds": snap.seconds}
    else:
        partnership_services.fill_missing_health()  # summaries count partnerships by it
        values = compute(name, make)
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


# How each summary goes out as a download: its columns, its rows (flattened from the JSON),
# the chart it offers (skills gap and internships) and how the query narrows it.


@dataclass(frozen=True)
class Download:
    """A summary as a table (and, with `bars`, a chart); `narrow` applies the query."""

    columns: list[Column]
    rows: Callable[[dict], list[dict]]
    bars: Callable[[dict], Bars] | None = None
    narrow: Callable[[dict, dict], dict] | None = None


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


def _gap_bars(data: dict) -> Bars:
    items = data["items"]
    return Bars(
        "跨境电商能力供需 Skills demand and supply",
        [r["label_zh"] for r in items],
        {
            "需求 demand": [r["demand"] for r in items],
            "供给 supply": [r["supply"] for r in items],
        },
        horizontal=True,
    )


def language_items(data: dict, args: dict) -> dict:
    """The language gap narrowed by `level` and `district` (each optional)."""

    def keep(row: dict) -> bool:
        return (args.get("level") is None or row["level"] == args["level"]) and (
            args.get("district") is None or row.get("district") == args["district"]
        )

    return {
        **data,
        "level": args.get("level"),
        "items": [r for r in data["items"] if keep({**r, "district": args.get("district")})],
        "by_district": [r for r in data["by_district"] if keep(r)],
    }


def language_rows(data: dict) -> list[dict]:
    """The alliance's rows (district empty) then each district's, for csv and xlsx."""
    return [
        *({**r, "district": "", "district_zh": "全市 all"} for r in data["items"]),
        *data["by_district"],
    ]


def _language_bars(data: dict) -> Bars:
    level = data.get("level") or 1
    rows = [r for r in data["items"] if r["level"] == level and (r["demand"] or r["students"])]
    return Bars(
        f"小语种供需（{level}级及以上）Minor languages at level {level}+",
        [r["label_zh"] for r in rows],
        {
            "岗位需求 demand": [r["demand"] for r in rows],
            "学生 students": [r["students"] for r in rows],
        },
        horizontal=True,
    )


def _internship_bars(data: dict) -> Bars:
    months, series = internship_series(data["items"])
    return Bars("实习岗位 Internships", months, series)


SHAPES = {
    "overview": Download(
        [
            Column("section", "类别", "section"),
            Column("key", "项目", "item"),
            Column("value", "数量", "value"),
        ],
        overview_rows,
    ),
    "skills-gap": Download(GAP_COLUMNS, lambda data: data["items"], _gap_bars),
    "language-gap": Download(
        [
            Column("level", "等级", "level"),
            Column("district", "区代码", "district"),
            Column("district_zh", "区", "district (zh)"),
            Column("code", "语种代码", "language"),
            Column("label_zh", "语种", "language (zh)"),
            Column("label_en", "语种英文名", "language (en)"),
            Column("postings", "岗位数", "postings"),
            Column("demand", "岗位需求", "open slots"),
            Column("students", "学生", "students"),
            Column("gap", "缺口", "gap"),
        ],
        language_rows,
        _language_bars,
        language_items,
    ),
    "districts": Download(
        [
            Column("district", "区代码", "district"),
            Column("district_zh", "区", "district (zh)"),
            Column("district_en", "区英文名", "district (en)"),
            Column("code", "能力代码", "competency"),
            Column("label_zh", "能力", "competency (zh)"),
            Column("label_en", "能力英文名", "competency (en)"),
            *GAP_COLUMNS[3:],
        ],
        district_rows,
    ),
    "internships": Download(
        [
            Column("category", "岗位类别", "category"),
            Column("month", "月份", "month"),
            Column("posted", "发布", "posted"),
            Column("filled", "招满", "filled"),
            Column("hired", "录用", "hired"),
        ],
        lambda data: data["items"],
        _internship_bars,
        lambda data, args: {**data, "items": internship_items(data["items"], args)},
    ),
    "partnerships": Download(
        [
            Column("breakdown", "维度", "breakdown"),
            Column("key", "代码", "key"),
            Column("name", "名称", "name"),
            Column("status", "状态", "status"),
            Column("health", "健康度", "health"),
            Column("count", "数量", "count"),
        ],
        partnership_rows,
    ),
}


def report(user: User, name: str, args: dict):
    """The summary `name` in the format the query asks for (JSON, CSV, XLSX or a chart),
    narrowed by the query where the summary allows it (coordinators and associations)."""
    require_monitor(user)
    data = summary(name)
    shape = SHAPES[name]
    if shape.narrow is not None:
        data = shape.narrow(data, args)
    draw = shape.bars
    bars = (lambda: draw(data)) if draw is not None else None
    return exports.respond(
        args["format"], name, data, shape.columns, lambda: shape.rows(data), bars
    )
