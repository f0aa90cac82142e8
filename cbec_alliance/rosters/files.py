"""The roster's files: the upload read into rows, the template and the report downloads.

Headers name each column in Chinese or English or both ("学号 student_number", as the
template writes them), read by destinations' `column_keys`; an xlsx (first sheet) or a csv
(UTF-8 or GB 18030) is read by indicators' `read_table`.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from cbec_alliance.core.errors import invalid
from cbec_alliance.core.exports import Column, csv_bytes, download, workbook_bytes
from cbec_alliance.destinations.imports import column_keys
from cbec_alliance.extensions import db
from cbec_alliance.indicators.imports import read_table
from cbec_alliance.taxonomy import services as taxonomy

MAX_ROWS = 50_000
COLUMNS = (
    Column("name", "姓名", "name"),
    Column("student_number", "学号", "student_number"),
    Column("email", "邮箱", "email"),
    Column("major", "专业", "major"),
    Column("graduation_year", "毕业年份", "graduation_year"),
)
LABELS = {c.key: c.zh for c in COLUMNS}
REPORT_COLUMNS = (
    Column("row", "行号", "row"),
    Column("outcome", "结果", "outcome"),
    *COLUMNS[:3],
    Column("user_id", "用户ID", "user_id"),
    Column("field", "字段", "field"),
    Column("message", "原因", "message"),
)
MAJOR_COLUMNS = (
    Column("code", "代码", "code"),
    Column("name_zh", "中文名称", "name_zh"),
    Column("name_en", "英文名称", "name_en"),
)


def _text(value: Any) -> str:
    """A cell as text: 2027.0 (a spreadsheet's number) as "2027"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_upload(upload: FileStorage | None) -> tuple[str, list[dict]]:
    """(file name, rows as {column: text, "row": number}) of an uploaded roster; 422 naming
    `file` for a wrong type, an empty file, a missing column or too many rows."""
    if upload is None:
        invalid("file", _("Missing data for required field."))
    filename = (upload.filename or "roster.csv")[:200]
    if not filename.lower().endswith((".xlsx", ".csv")):
        invalid("file", _("an .xlsx or .csv file (the template shows the columns)"))
    content = upload.read()
    if not content.removeprefix(b"\xef\xbb\xbf").strip():
        invalid("file", _("the file is empty"))
    table = read_table(content, filename, MAX_ROWS)
    if not table:
        invalid("file", _("the file is empty"))
    header = column_keys(table[0], LABELS)
    missing = [c for c in COLUMNS if c.key not in header.values()]
    if missing:
        names = ", ".join(c.header for c in missing)
        invalid("file", _("no column %(columns)s in the header row", columns=names))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            header[k]: _text(v)
            for k, v in enumerate(cells)
            if k in header and v is not None and _text(v) != ""
        }
        if values:
            rows.append({**values, "row": number})
        if len(rows) > MAX_ROWS:
            invalid("file", _("at most %(count)s rows in one file", count=MAX_ROWS))
    if not rows:
        invalid("file", _("no students under the header row"))
    return filename, rows


def template(fmt: str) -> Response:
    """The empty roster with its bilingual header (xlsx: a second sheet lists the majors)."""
    if fmt == "csv":
        return download(csv_bytes(COLUMNS, []), "csv", "roster-template 学生名单模板")
    majors = [
        {"code": item.code, "name_zh": item.name_zh, "name_en": item.name_en}
        for item in db.session.scalars(taxonomy.items("majors"))
    ]
    data = workbook_bytes(
        [("学生名单 roster", COLUMNS, []), ("专业 majors", MAJOR_COLUMNS, majors)]
    )
    return download(data, "xlsx", "roster-template 学生名单模板")


def report_download(rows: list[dict], fmt: str, name: str) -> Response:
    """The row-by-row report as a csv or xlsx download."""
    if fmt == "csv":
        return download(csv_bytes(REPORT_COLUMNS, rows), "csv", name)
    return download(workbook_bytes([("导入结果 report", REPORT_COLUMNS, rows)]), "xlsx", name)
