"""Importing indicators from an xlsx or csv file, synchronously, row by row.

Files are small (a coordinator's table of a few hundred figures; at most `MAX_ROWS`), so
the import runs in the request, unlike destinations' (a Celery task over up to 50,000
graduates). Like destinations': a header row names the columns in English or Chinese, every
row is checked, every bad row is reported with its row number, field and reason, and with a
bad row nothing is written unless `partial` asks for the good rows. A row for an indicator,
region and period already stored replaces its value, unit, source and name.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import invalid, invalid_fields
from cbec_alliance.destinations.imports import column_keys, workbook_problem
from cbec_alliance.extensions import db

from .models import Indicator
from .periods import parse_period, region_names

MAX_ROWS = 5_000
MAX_VALUE = Decimal(10) ** 15
PLACES = Decimal("0.0001")
COLUMNS = {
    "code": "指标代码",
    "name": "指标名称",
    "region": "地区代码",
    "period": "期间",
    "value": "数值",
    "unit": "单位",
    "source": "来源",
}
REQUIRED = ("code", "region", "period", "value", "unit", "source")
LIMITS = {"code": 60, "name": 200, "unit": 40, "source": 500}
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")

Error = dict[str, Any]


def read_table(content: bytes, filename: str, limit: int = MAX_ROWS) -> list[tuple]:
    """The file's rows as tuples of cells: the first sheet of an xlsx (read up to `limit`
    rows after the header, and one more to tell it is over), or a csv (UTF-8 with or without
    a BOM, else GB 18030, as Excel in China saves it). 422 on `file` otherwise."""
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        problem = workbook_problem(content)
        if problem:
            invalid("file", problem)
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = []
            for row in book.worksheets[0].iter_rows(values_only=True):
                rows.append(row)
                if len(rows) > limit + 1:
                    break
            return rows
        finally:
            book.close()
    if b"\x00" in content[:4096]:
        invalid("file", "not an xlsx workbook or a csv text file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        invalid("file", "a csv file must be UTF-8 (or GB 18030) text")
    try:
        return [tuple(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        invalid("file", _("not a readable csv file: %(exc)s", exc=exc))


def _value(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError("a number")
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("a number (digits, a point and an optional sign)") from None
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise ValueError("a finite number under 10^15 in size")
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def check_row(values: dict[str, Any]) -> tuple[dict, list[tuple[str, str]]]:
    """One row's values, cleaned, and its problems as (field, message)."""
    problems = [(k, "Missing data for required field.") for k in REQUIRED if k not in values]
    out: dict[str, Any] = {}
    for key, raw in values.items():
        text = raw.strip() if isinstance(raw, str) else raw
        try:
            if key == "value":
                out["value"] = _value(text)
            elif key == "period":
                out["period"], out["year"] = parse_period(text)
            else:
                if isinstance(text, float) and text.is_integer():
                    text = int(text)
                text = str(text)
                if key == "code":
                    text = text.lower()
                    if not set(text) <= CODE_CHARS:
                        raise ValueError("lower-case letters, digits, '-', '_' and '.'")
                if key == "region" and region_names(text.upper()) is None:
                    raise ValueError("a GB/T 2260 code (440100 Guangzhou, 440000 Guangdong) or CN")
                if key in LIMITS and len(text) > LIMITS[key]:
                    raise ValueError(f"at most {LIMITS[key]} characters")
                out[key] = text.upper() if key == "region" else text
        except ValueError as exc:
            problems.append((key, str(exc)))
    return out, problems


def check(content: bytes, filename: str) -> tuple[int, list[tuple[int, dict]], list[Error]]:
    """(rows read, good rows with their row numbers, bad rows' errors), in file order."""
    table = read_table(content, filename)
    if not table:
        invalid("file", "the file is empty")
    header = column_keys(table[0], COLUMNS)
    missing = [k for k in REQUIRED if k not in header.values()]
    if missing:
        invalid(
            "file",
            _("no column %(value)s", value=", ".join(f"{k} ({COLUMNS[k]})" for k in missing)),
        )
    if len(table) > MAX_ROWS + 1:
        invalid("file", _("at most %(max_rows)s rows in one file", max_rows=MAX_ROWS))
    good: list[tuple[int, dict]] = []
    errors: list[Error] = []
    seen: dict[tuple, int] = {}
    total = 0
    for number, cells in enumerate(table[1:], start=2):
        values = {
            header[k]: v
            for k, v in enumerate(cells)
            if k in header and v is not None and str(v).strip() != ""
        }
        if not values:
            continue
        total += 1
        row, problems = check_row(values)
        if not problems:
            key = (row["code"], row["region"], row["period"])
            if key in seen:
                problems.append(("period", f"same indicator, region and period as row {seen[key]}"))
            else:
                seen[key] = number
        errors += [{"row": number, "field": f, "message": m} for f, m in problems]
        if not problems:
            good.append((number, row))
    return total, good, errors


def _write(user: User, good: list[tuple[int, dict]]) -> tuple[int, int]:
    """Insert new values, replace stored ones; (created, updated). Each change is audited."""
    created = updated = 0
    stored = {}
    codes = sorted({row["code"] for _n, row in good})
    for start in range(0, len(codes), 500):
        for ind in db.session.scalars(
            sa.select(Indicator).where(Indicator.code.in_(codes[start : start + 500]))
        ):
            stored[(ind.code, ind.region, ind.period)] = ind
    for _n, row in good:
        found = stored.get((row["code"], row["region"], row["period"]))
        fields = {"name": None, **row, "imported_by_id": user.id}
        if found is None:
            ind = Indicator(**fields)
            db.session.add(ind)
            created += 1
            action = "create"
        else:
            ind = found
            for key, value in fields.items():
                setattr(ind, key, value)
            updated += 1
            action = "update"
        audit(
            actor=user,
            obj=ind,
            action=action,
            changes={"value": str(row["value"]), "period": row["period"]},
        )
    return created, updated


def run(user: User, content: bytes, filename: str, partial: bool) -> dict:
    """Check every row, then write all of them (or, with `partial`, the good ones): 422 with
    each bad row's reason (`rows.<row>.<field>`) when a row is bad and `partial` is off."""
    total, good, errors = check(content, filename)
    if errors and not partial:
        detail = _(
            "%(bad)s bad row(s) of %(total)s; nothing imported",
            bad=len({e["row"] for e in errors}),
            total=total,
        )
        messages: dict[str, list[str]] = {}
        for e in errors:
            messages.setdefault(f"rows.{e['row']}.{e['field']}", []).append(e["message"])
        invalid_fields(detail, messages)
    created, updated = _write(user, good)
    return {
        "rows_total": total,
        "imported": len(good),
        "created": created,
        "updated": updated,
        "errors": errors,
    }
