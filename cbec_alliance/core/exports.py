"""Downloads of report tables: CSV (UTF-8 with BOM), XLSX (openpyxl) and charts (SVG or PNG).

Coordinators open these in Excel and paste charts into reports, in Chinese: CSV starts with
a byte-order mark (without it Excel reads UTF-8 as the local code page and garbles Chinese),
headers are bilingual, and charts use the Noto Sans CJK SC font shipped in the `mplfonts`
package, never whatever fonts the machine happens to have.

Every cell of every table is written here, and its text is shown, never run (OWASP's CSV
injection guidance): names and labels come from users (an organization renames itself
`=HYPERLINK(...)`), and a spreadsheet takes text starting with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula. Numbers (int, float, Decimal) stay numbers, negative ones too;
everything else is text. In CSV, text that could start a formula gets a leading single quote
(`defuse`). XLSX cells are typed: every text cell is a string cell (never a formula, never an
error code), unchanged, and one that could start a formula is also marked quote-prefixed, so
editing it in Excel keeps it text. Text that merely looks like a negative number ("-5" as a
string) is text and is quoted like any other: a report that means a number hands a number.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from urllib.parse import quote

import marshmallow as ma
from flask import Response

from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.schemas import BaseSchema

FORMATS = ("json", "csv", "xlsx")
CHART_FORMATS = ("svg", "png")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Column:
    """A column of a report table: the row key and its Chinese and English headers."""

    key: str
    zh: str
    en: str

    @property
    def header(self) -> str:
        """The bilingual header, Chinese first."""
        return f"{self.zh} {self.en}"


# OWASP's list: a spreadsheet reads text starting with one of these as a formula.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# Blanks and control characters some importers drop before they look (Google Sheets trims
# cells), so `" =1+1"` is treated as `"=1+1"`.
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]*")
# Characters an XLSX file cannot hold (XML 1.0); openpyxl refuses the whole file over one.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NUMBERS = (int, float, Decimal)


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula: it starts with one of OWASP's
    characters, or does after leading blanks, in ASCII or full width (`＝`, `＋`, `－`, `＠`,
    which Chinese input methods type)."""
    if text.startswith(FORMULA_LEADS):
        return True
    blanks = _BLANKS.match(text)
    assert blanks is not None  # the pattern matches the empty string, so always here
    rest = text[blanks.end() :]
    return unicodedata.normalize("NFKC", rest[:1])[:1] in FORMULA_LEADS[:4]


def defuse(text: str) -> str:
    """`text` for a CSV cell: with a leading single quote when it could start a formula."""
    return "'" + text if starts_formula(text) else text


def _cell(value):
    """A cell's value: None (empty), a number, or text (lists joined with "; ")."""
    if value is None or isinstance(value, NUMBERS):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def csv_cell(value):
    """A value as written to CSV: numbers as they are, text defused."""
    value = _cell(value)
    return defuse(value) if isinstance(value, str) else value


def csv_bytes(columns: Sequence[Column], rows: Iterable[dict]) -> bytes:
    """The table as CSV: BOM, one bilingual header row, then the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(c.header) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in columns])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _put(ws, row: int, column: int, value):
    """Write one XLSX cell: a number, or a string cell that is never a formula."""
    value = _cell(value)
    cell = ws.cell(row=row, column=column)
    if not isinstance(value, str):
        cell.value = value
        return cell
    # openpyxl makes a formula of a string starting with "=" (and an error of "#N/A");
    # the type is set after the value, which is what it writes.
    cell.value = _NOT_IN_XML.sub("\ufffd", value)
    cell.data_type = "s"
    if starts_formula(value):
        cell.quotePrefix = True
    return cell


def xlsx_bytes(columns: Sequence[Column], rows: Iterable[dict], sheet: str) -> bytes:
    """The table as an XLSX workbook: a bold header row in Chinese and English."""
    return workbook_bytes([(sheet, columns, rows)])


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[Column], Iterable[dict]]]) -> bytes:
    """An XLSX workbook of one sheet per (name, columns, rows), each with a bold bilingual
    header row, every cell written as `_put` writes it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    bold = Font(bold=True)
    for n, (sheet, columns, rows) in enumerate(sheets):
        ws = book.active if n == 0 else book.create_sheet()
        ws.title = _NOT_IN_XML.sub("", re.sub(r"[\\/?*\[\]:]", "_", sheet))[:31] or f"Sheet{n + 1}"
        for k, c in enumerate(columns, start=1):
            _put(ws, 1, k, c.header).font = bold
        for r, row in enumerate(rows, start=2):
            for k, c in enumerate(columns, start=1):
                _put(ws, r, k, row.get(c.key))
        for k, c in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=k).column_letter].width = max(
                12, len(c.header) + 4
            )
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ascii_filename(filename: str) -> str:
    """`filename` itself when it is plain ASCII, else its closest ASCII form (accents
    dropped, each run of other characters one `_`; `download` when no letter or digit is
    left), with the same extension."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    simple = "".join(
        ch for ch in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(ch)
    )
    # Quotes, backslashes and percent signs break or change the quoted form; control
    # characters have no place in a header.
    simple = re.sub(r'(?:[^ -~]|["\\%])+', "_", simple)
    if not any(ch.isalnum() for ch in simple):
        simple = "download"
    return f"{simple}{dot}{ext}"


def disposition(filename: str) -> str:
    """`attachment` naming one file in both `filename` (ASCII, for old clients) and
    `filename*` (UTF-8, RFC 6266/5987): the same name when it is ASCII, its ASCII form
    otherwise."""
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{encoded}"


def download(data: bytes, fmt: str, name: str) -> Response:
    """A download response named `name.fmt`."""
    headers = {"Content-Disposition": disposition(f"{name}.{fmt}")}
    return Response(data, content_type=MIME[fmt], headers=headers)


def table(fmt: str, name: str, columns: Sequence[Column], rows: list[dict]) -> Response:
    """A CSV or XLSX download of `rows`, built once per content (as charts are)."""
    key = (
        "table",
        fmt,
        name,
        tuple(columns),
        tuple(tuple(repr(_cell(row.get(c.key))) for c in columns) for row in rows),
    )
    if fmt == "csv":
        data = _once(key, lambda: csv_bytes(columns, rows))
    else:
        data = _once(key, lambda: xlsx_bytes(columns, rows, name))
    return download(data, fmt, name)


_font_lock = threading.Lock()
_font_cache: dict = {}


def font_path() -> str:
    """The file of the bundled Noto Sans CJK SC font (from the `mplfonts` package)."""
    return str(resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf")


def _font():
    """The bundled CJK font as FontProperties naming its file, so matplotlib draws with this
    file even when the machine has a font of the same family name; set up once per process
    (the Agg backend, SVG text as glyph paths, and a fixed SVG id salt so the same chart gives
    the same bytes)."""
    with _font_lock:
        if "props" not in _font_cache:
            import matplotlib

            matplotlib.use("Agg")
            matplotlib.rcParams["svg.fonttype"] = "path"
            matplotlib.rcParams["svg.hashsalt"] = "cbec-alliance"
            from matplotlib import font_manager

            _font_cache["props"] = font_manager.FontProperties(fname=font_path())
        return _font_cache["props"]


def prepare_charts() -> None:
    """Load matplotlib, its renderers and the font now (a worker calls this once it has
    loaded the app, before `gc.freeze`), so the first chart a user asks for pays none of it."""
    _font()
    from matplotlib.backends import backend_agg, backend_svg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401


def figure(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    horizontal: bool = False,
):
    """A grouped bar chart as a matplotlib Figure: every label (title, categories, legend)
    in the bundled CJK font."""
    font = _font()
    from matplotlib.figure import Figure

    height = max(4.0, 0.35 * len(categories) + 1.5) if horizontal else 5.0
    fig = Figure(figsize=(10, height), dpi=100)
    ax = fig.add_subplot()
    n = max(len(series), 1)
    width = 0.8 / n
    positions = list(range(len(categories)))
    for k, (label, values) in enumerate(series.items()):
        offsets = [p - 0.4 + width * (k + 0.5) for p in positions]
        if horizontal:
            ax.barh(offsets, list(values), height=width, label=label)
        else:
            ax.bar(offsets, list(values), width=width, label=label)
    if horizontal:
        ax.set_yticks(positions, list(categories), fontproperties=font)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, list(categories), fontproperties=font, rotation=45, ha="right")
    ax.set_title(title, fontproperties=font)
    if len(series) > 1:
        ax.legend(prop=font)
    ax.grid(axis="x" if horizontal else "y", alpha=0.3)
    fig.tight_layout()
    return fig


def bar_chart(
    fmt: str,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    horizontal: bool = False,
) -> bytes:
    """A grouped bar chart as SVG (text drawn as glyph paths, so it needs no font where it is
    opened) or PNG."""
    fig = figure(title, categories, series, horizontal=horizontal)
    out = io.BytesIO()
    fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


# Drawing a chart takes 100-300 ms and an XLSX of a few hundred rows 100 ms or more; the
# same content built again comes from this process's memory. Keyed by everything in the
# file, so changed figures are never served from here.
_files = ProcessCache("downloads", maxsize=128)


def _once(key: tuple, make) -> bytes:
    return _files.get_or_make(key, make)


def chart(
    fmt: str,
    name: str,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    horizontal: bool = False,
) -> Response:
    """A chart download, drawn once per content."""
    key = (
        "chart",
        fmt,
        title,
        tuple(categories),
        tuple((label, tuple(values)) for label, values in series.items()),
        horizontal,
    )
    image = _once(key, lambda: bar_chart(fmt, title, categories, series, horizontal=horizontal))
    return download(image, fmt, name)


@dataclass(frozen=True)
class Bars:
    """What a report draws as a grouped bar chart: title, categories, series by label."""

    title: str
    categories: Sequence[str]
    series: Mapping[str, Sequence[float]]
    horizontal: bool = False


def respond(
    fmt: str,
    name: str,
    data: dict,
    columns: Sequence[Column],
    rows: Callable[[], list[dict]],
    bars: Callable[[], Bars] | None = None,
) -> dict | Response:
    """A report in the format asked for: `data` itself for json, else a download named
    `name`: the chart `bars()` draws (svg, png) or the table of `rows()` (csv, xlsx), each
    made only when asked for."""
    if fmt == "json":
        return data
    if fmt in CHART_FORMATS and bars is not None:
        drawn = bars()
        return chart(
            fmt, name, drawn.title, drawn.categories, drawn.series, horizontal=drawn.horizontal
        )
    return table(fmt, name, columns, rows())


# The query arguments and the documented answers of every route that offers downloads.


class TableArgs(BaseSchema):
    """`?format=json|csv|xlsx` (csv is UTF-8 with a BOM; headers in Chinese and English)."""

    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS))


class ChartArgs(BaseSchema):
    """`?format=json|csv|xlsx|svg|png` (svg and png: a chart)."""

    format = ma.fields.String(
        load_default="json", validate=ma.validate.OneOf(FORMATS + CHART_FORMATS)
    )


DOWNLOADS = {
    200: {
        "description": (
            "`?format=csv|xlsx|svg|png`: a download, named the same in `filename` and"
            " `filename*`. Text is shown, never run: a csv cell that starts like a formula"
            " (`=`, `+`, `-`, `@`, tab, carriage return) starts with a single quote, and every"
            " xlsx text cell is a string cell; numbers stay numbers."
        ),
        "content": {
            MIME["csv"]: {},
            MIME["xlsx"]: {},
            MIME["svg"]: {},
            MIME["png"]: {},
        },
    }
}
