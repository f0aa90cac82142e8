"""Report downloads: CSV with BOM, XLSX with bilingual headers, charts that draw Chinese."""

from __future__ import annotations

import io

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
