"""Bulk import of destinations from an xlsx file: checked row by row, all or (asked for)
the good rows only, every bad row reported with its reason.

The upload is stored with its job and read by a Celery task (`destinations.import`), which
reports progress on the job as it goes; the client polls the job. Rows are checked in three
passes (each cell against the same schema as a single report; then, in bulk, students,
duplicates and employers), then written with bulk inserts and updates: a row for a student
and year already reported replaces that report.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import after_commit, commit
from cbec_alliance.core.errors import forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.services import majors_of, student_universities

from .models import OUTCOME_LABELS, Destination, DestinationImport
from .schemas import DestinationInSchema
from .services import FIELDS, alliance_enterprises, employer_problem, link_employer, staff_orgs

TASK = "destinations.import"
MAX_ROWS = 50_000
PROGRESS_EVERY = 2_000  # rows checked between progress commits
# Column key -> its Chinese header; either (or "中文 key") heads a column.
COLUMNS = {
    "student_id": "学生ID",
    "student_email": "学生邮箱",
    "graduation_year": "毕业年份",
    "outcome": "去向",
    "employer_id": "单位ID",
    "employer_name": "单位名称",
    "employer_uscc": "统一社会信用代码",
    "location_code": "地区代码",
    "industry": "行业",
    "cbec_related": "跨境电商相关",
    "related_to_major": "专业相关",
    "salary_band": "月薪区间",
}
INTEGERS = ("student_id", "graduation_year", "employer_id")
BOOLEANS = ("cbec_related", "related_to_major")
TRUE = {"true", "yes", "y", "1", "是", "对"}
FALSE = {"false", "no", "n", "0", "否", "不是"}
OUTCOME_BY_ZH = {zh: code for code, (zh, _en) in OUTCOME_LABELS.items()}

Error = dict[str, Any]


def start(user: User, upload: FileStorage | None, args: dict) -> DestinationImport:
    """Store an upload as a queued import of the caller's university; the task runs after
    the commit. 422 naming `file` for anything that is not an xlsx workbook."""
    mine = staff_orgs(user, "university")
    if not mine:
        forbidden("imports are for the staff of alliance universities")
    university_id = args.get("university_id") or mine[0]
    if university_id not in mine:
        not_found("university")
    if upload is None:
        invalid("file", "Missing data for required field.")
    content = upload.read()
    problem = workbook_problem(content)
    if problem:
        invalid("file", problem)
    job = DestinationImport(
        university_id=university_id,
        created_by_id=user.id,
        filename=(upload.filename or "destinations.xlsx")[:200],
        content=content,
        partial=args.get("partial_import", False),
        errors=[],
    )
    db.session.add(job)
    db.session.flush()
    audit(actor=user, obj=job, action="create", organization_id=university_id)
    after_commit(enqueue, TASK, job.id)
    return job


def workbook_problem(content: bytes) -> str | None:
    """Why `content` is not an xlsx workbook we can read, or None."""
    if not content.startswith(b"PK\x03\x04"):
        return _("not an xlsx workbook (expected an Office Open XML spreadsheet)")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            if "xl/workbook.xml" not in z.namelist():
                return _("not an xlsx workbook (a zip file without a workbook)")
    except zipfile.BadZipFile:
        return _("not an xlsx workbook (a damaged zip file)")
    return None


def get_import(user: User, job_id: int) -> DestinationImport:
    """The import for its university's staff and coordinators; 404 for anyone else."""
    job = db.session.get(DestinationImport, job_id)
    if job is None or not (
        user.is_coordinator or job.university_id in staff_orgs(user, "university")
    ):
        not_found("import")
    return job


def _cell(key: str, value: Any) -> Any:
    """A cell as the schema expects it (numbers as numbers, yes/no as booleans)."""
    if isinstance(value, str):
        value = value.strip()
    if key in INTEGERS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return int(value)
        return value
    if key in BOOLEANS:
        text = str(value).strip().lower()
        return True if text in TRUE else False if text in FALSE else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if key == "outcome":
        return OUTCOME_BY_ZH.get(text, text)
    if key == "employer_uscc":
        return text.upper()
    return text


def column_keys(cells: tuple, columns: dict[str, str]) -> dict[int, str]:
    """Column index -> key, from a header row naming each column by its key or its Chinese
    label (`columns`: key -> label), as "label key" too; the first column of a key wins."""
    names = {k: k for k in columns} | {zh: k for k, zh in columns.items()}
    out: dict[int, str] = {}
    for k, cell in enumerate(cells):
        text = str(cell).strip().lstrip("\ufeff") if cell is not None else ""
        key = names.get(text) or names.get(text.split(" ")[-1].lower()) or names.get(text.lower())
        if key and key not in out.values():
            out[k] = key
    return out


def read_rows(content: bytes) -> tuple[list[tuple[int, dict]], list[Error]]:
    """(row number, values) of every non-empty row of the first sheet, and header errors."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = column_keys(next(rows, ()), COLUMNS)
        missing = [k for k in ("graduation_year", "outcome") if k not in header.values()]
        if not {"student_id", "student_email"} & set(header.values()):
            missing.insert(0, "student_id")
        if missing:
            return [], [
                {"row": 1, "field": k, "message": f"no column {k} ({COLUMNS[k]})"} for k in missing
            ]
        out = []
        for number, cells in enumerate(rows, start=2):
            values = {
                header[k]: _cell(header[k], v)
                for k, v in enumerate(cells)
                if k in header and v is not None and str(v).strip() != ""
            }
            if values:
                out.append((number, values))
            if len(out) > MAX_ROWS:
                return [], [{"row": number, "field": "file", "message": f"over {MAX_ROWS} rows"}]
        return out, []
    finally:
        book.close()


def _first_message(messages: Any) -> str:
    while isinstance(messages, (list, dict)):
        messages = next(iter(messages.values() if isinstance(messages, dict) else messages))
    return str(messages)


def _check_cells(job: DestinationImport, rows: list[tuple[int, dict]], errors: list[Error]):
    """Each row against the single report's schema; progress is committed as it goes."""
    schema = DestinationInSchema()
    good = []
    for k, (number, values) in enumerate(rows, start=1):
        email = values.pop("student_email", None)
        try:
            data = schema.load(values)
        except ma.ValidationError as exc:
            errors += [
                {"row": number, "field": field, "message": _first_message(msgs)}
                for field, msgs in exc.normalized_messages().items()
            ]
        else:
            if data.get("student_id") is None and not email:
                errors.append(
                    {"row": number, "field": "student_id", "message": "student_id or email"}
                )
            else:
                good.append((number, data, email))
        if k % PROGRESS_EVERY == 0:
            job.rows_done = k // 2  # the bulk checks and the writing are the other half
            commit()
    return good


def _resolve_students(job, good, errors: list[Error]):
    """Emails to ids; students of another university (or none) are bad rows."""
    emails = sorted({e.lower() for _n, d, e in good if d.get("student_id") is None})
    by_email: dict[str, int] = {}
    for start_ in range(0, len(emails), 5_000):
        by_email.update(
            db.session.execute(
                sa.select(sa.func.lower(User.email), User.id).where(
                    sa.func.lower(User.email).in_(emails[start_ : start_ + 5_000])
                )
            ).all()
        )
    for _n, data, email in good:
        if data.get("student_id") is None:
            data["student_id"] = by_email.get(email.lower())
    ids = [d["student_id"] for _n, d, _e in good if d["student_id"] is not None]
    universities = student_universities(ids)
    kept: list[tuple[int, dict]] = []
    seen: dict[tuple[int, int], int] = {}
    for number, data, _e in good:
        sid = data["student_id"]
        key = (sid, data["graduation_year"])
        if sid is None or universities.get(sid) != job.university_id:
            errors.append(
                {
                    "row": number,
                    "field": "student_id",
                    "message": "not a student of this university",
                }
            )
        elif key in seen:
            errors.append(
                {
                    "row": number,
                    "field": "student_id",
                    "message": f"same student and year as row {seen[key]}",
                }
            )
        else:
            seen[key] = number
            kept.append((number, data))
    return kept


def _check_employers(good, errors: list[Error]):
    ids = {d["employer_id"] for _n, d in good if d.get("employer_id") is not None}
    usccs = {d["employer_uscc"] for _n, d in good if d.get("employer_uscc")}
    known, by_uscc = alliance_enterprises(ids, usccs)
    kept = []
    for number, data in good:
        problem = employer_problem(data, known)
        if problem:
            errors.append({"row": number, "field": problem[0], "message": problem[1]})
        else:
            link_employer(data, by_uscc)
            kept.append((number, data))
    return kept


def _write(job: DestinationImport, good: list[tuple[int, dict]]) -> None:
    """Insert new destinations and replace reported ones, in bulk; ask each employer once."""
    ids = sorted({d["student_id"] for _n, d in good})
    existing: dict[tuple[int, int], int] = {}
    for start_ in range(0, len(ids), 5_000):
        for did, sid, gyear in db.session.execute(
            sa.select(Destination.id, Destination.student_id, Destination.graduation_year).where(
                Destination.student_id.in_(ids[start_ : start_ + 5_000])
            )
        ):
            existing[(sid, gyear)] = did
    majors = majors_of(ids)
    now = utcnow()
    inserts, updates = [], []
    asked: dict[int, int] = defaultdict(int)
    for _n, data in good:
        row = {f: data.get(f) for f in FIELDS}
        row["cbec_related"] = bool(row["cbec_related"])
        row["related_to_major"] = bool(row["related_to_major"])
        row.update(
            major=majors.get(data["student_id"]),
            source="import",
            reported_by_id=job.created_by_id,
            confirmation="pending" if row["employer_id"] else "not_required",
            confirmed_by_id=None,
            confirmed_at=None,
            dispute_reason=None,
            updated_at=now,
        )
        if row["employer_id"]:
            asked[row["employer_id"]] += 1
        key = (data["student_id"], data["graduation_year"])
        if key in existing:
            updates.append({"id": existing[key], **row})
        else:
            inserts.append(
                {
                    **row,
                    "student_id": data["student_id"],
                    "graduation_year": data["graduation_year"],
                    "university_id": job.university_id,
                    "created_at": now,
                }
            )
    for start_ in range(0, len(inserts), 5_000):
        db.session.execute(sa.insert(Destination), inserts[start_ : start_ + 5_000])
    if updates:
        db.session.execute(sa.update(Destination), updates)
    year: int | None = good[0][1]["graduation_year"] if good else None
    names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(list(asked)))
        ).all()
    )
    for enterprise_id, count in sorted(asked.items()):
        emit(
            "destination.confirmation_requested",
            {
                "destination_id": None,
                "student_id": None,
                "student_name": "",
                "university_id": job.university_id,
                "enterprise_id": enterprise_id,
                "enterprise_name": names.get(enterprise_id, ""),
                "graduation_year": year,
                "outcome": "",
                "outcome_zh": "",
                "count": count,
            },
            organization_id=enterprise_id,
        )


def run(job_id: int) -> dict:
    """The task's work: check every row, then write all (none when a row is bad, unless the
    import is partial); the job says how far it got and why each bad row is bad."""
    job = db.session.get(DestinationImport, job_id)
    if job is None or job.state not in ("queued", "running"):
        return {"skipped": job_id}
    job.state = "running"
    errors: list[Error] = []
    rows, errors = read_rows(job.content or b"")
    job.rows_total = len(rows)
    commit()
    good = _check_cells(job, rows, errors)
    good = _check_employers(_resolve_students(job, good, errors), errors)
    errors.sort(key=lambda e: (e["row"], e["field"]))
    if errors and (not job.partial or not rows):
        job.state, job.imported = "failed", 0
    else:
        _write(job, good)
        job.state, job.imported = "done", len(good)
    job.rows_done = job.rows_total
    job.errors = errors
    job.content = None  # the report stays; the upload is not kept
    job.finished_at = utcnow()
    return {"imported": job.imported, "errors": len(errors)}
