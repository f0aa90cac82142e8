"""Industry indicators: coordinators import xlsx or csv files, checked row by row (every
bad row reported with its reason), and monitors read the series."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.indicators.periods import parse_period, sort_key
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/indicators"
HEADER_ZH = ["指标代码", "指标名称", "地区代码", "期间", "数值", "单位", "来源"]
SEED = [
    ["cbec-trade-value", "跨境电商进出口额", "440100", 2019, 385.9, "亿元", "种子论文（海关）"],
    [
        "cbec-trade-value",
        "跨境电商进出口额",
        "440100",
        "2020-h1",
        "175.2",
        "亿元",
        "种子论文（海关）",
    ],
    ["cbec-enterprises", "跨境电商相关企业数", "440000", "2020-YTD10", "390,000", "家", "种子论文"],
]


def xlsx(rows, header=HEADER_ZH) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER_ZH, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def upload(client, content: bytes, name="指标.xlsx", query=""):
    return client.post(
        f"{URL}/imports{query}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def listed(client, query="") -> list[dict]:
    resp = client.get(f"{URL}?per_page=100{query}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


def test_the_seed_papers_figures_import_from_xlsx(coord):
    resp = upload(coord, xlsx(SEED))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {
        "rows_total": 3,
        "imported": 3,
        "created": 3,
        "updated": 0,
        "errors": [],
    }
    items = listed(coord, "&code=cbec-trade-value")
    assert [(i["period"], i["value"], i["unit"]) for i in items] == [
        ("2019", "385.9", "亿元"),
        ("2020-H1", "175.2", "亿元"),
    ]
    assert items[0]["region_zh"] == "广州市"
    assert items[0]["region_en"] == "Guangzhou"
    assert items[0]["name"] == "跨境电商进出口额"
    enterprises = listed(coord, "&year=2020&region=440000")
    assert [(i["code"], i["period"], i["value"]) for i in enterprises] == [
        ("cbec-enterprises", "2020-YTD10", "390000")
    ]
    assert [i["period"] for i in listed(coord, "&from=2020&to=2020")] == ["2020-YTD10", "2020-H1"]
    audited = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEntry.object_type == "indicators")
    )
    assert audited == 3


def test_a_row_for_a_stored_period_replaces_it(coord):
    upload(coord, xlsx(SEED))
    fixed = [["cbec-trade-value", None, "440100", "2019", "386.0", "亿元", "广州海关 2020 年公报"]]
    resp = upload(coord, csv_bytes([[c or "" for c in fixed[0]]]), name="fix.csv")
    assert resp.status_code == 200, resp.get_json()
    assert (resp.get_json()["created"], resp.get_json()["updated"]) == (0, 1)
    item = listed(coord, "&code=cbec-trade-value&year=2019")[0]
    assert (item["value"], item["source"]) == ("386", "广州海关 2020 年公报")


def test_csv_in_english_headers_and_gb18030(coord):
    header = ["code", "region", "period", "value", "unit", "source"]
    rows = [["cbec-trade-value", "CN", "2023", "23800", "亿元", "海关总署"]]
    resp = upload(coord, csv_bytes(rows, header, encoding="gb18030"), name="全国.csv")
    assert resp.status_code == 200, resp.get_json()
    assert listed(coord, "&region=CN")[0]["source"] == "海关总署"
    assert listed(coord, "&region=CN")[0]["region_zh"] == "全国"


BAD_ROWS = [
    (["cbec-trade-value", "x", "440100", "2019", "很多", "亿元", "s"], "value"),
    (["cbec-trade-value", "x", "999999", "2019", "1", "亿元", "s"], "region"),
    (["cbec-trade-value", "x", "440100", "2019-Q5", "1", "亿元", "s"], "period"),
    (["cbec-trade-value", "x", "440100", "1999", "1", "亿元", "s"], "period"),
    (["Trade Value!", "x", "440100", "2019", "1", "亿元", "s"], "code"),
    (["cbec-trade-value", "x", "440100", "2019", "1", None, "s"], "unit"),
    (["cbec-trade-value", "x", "440100", "2019", "1e20", "亿元", "s"], "value"),
    (["cbec-trade-value", "x", "440100", "2019", "NaN", "亿元", "s"], "value"),
    (["cbec-trade-value", "x", "440100", "2019", "1", "亿元", "s" * 501], "source"),
]


@pytest.mark.parametrize(("row", "field"), BAD_ROWS)
def test_a_bad_row_refuses_the_file_naming_the_row_and_reason(coord, row, field):
    good = ["cbec-enterprises", "企业数", "440100", "2021", "5000", "家", "演示"]
    errors = validation_errors(upload(coord, xlsx([good, row])))
    assert list(errors) == [f"rows.3.{field}"]
    assert errors[f"rows.3.{field}"][0]
    assert listed(coord) == []


def test_every_bad_row_is_listed_and_partial_imports_the_good_ones(coord):
    rows = [SEED[0], BAD_ROWS[0][0], SEED[1], BAD_ROWS[1][0], SEED[0]]
    resp = upload(coord, xlsx(rows))
    body = assert_problem(resp, 422)
    assert set(body["errors"]) == {"rows.3.value", "rows.5.region", "rows.6.period"}
    assert "same indicator, region and period as row 2" in body["errors"]["rows.6.period"][0]
    assert "3 bad row(s) of 5" in body["detail"]

    resp = upload(coord, xlsx(rows), query="?partial=true")
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert (got["rows_total"], got["imported"]) == (5, 2)
    assert [(e["row"], e["field"]) for e in got["errors"]] == [
        (3, "value"),
        (5, "region"),
        (6, "period"),
    ]
    assert len(listed(coord)) == 2


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.csv"),
        (b"PK\x03\x04not really a zip", "x.xlsx"),
        (b"\x00\x01\x02\x03binary", "x.bin"),
        (b"\xff\xfe\x00", "x.csv"),
        (b"code,region\nx,440100\n", "few-columns.csv"),
    ],
)
def test_a_file_we_cannot_read_is_422_on_file(coord, content, name):
    assert "file" in validation_errors(upload(coord, content, name=name))


def test_no_file_is_422(coord):
    resp = coord.post(f"{URL}/imports", data={}, content_type="multipart/form-data")
    assert "file" in validation_errors(resp)


@pytest.mark.parametrize(
    "query", ["?year=1999", "?from=abc", "?per_page=101", "?region=" + "9" * 7]
)
def test_bad_list_filters_are_422(coord, query):
    validation_errors(coord.get(f"{URL}{query}"))


def test_who_imports_and_who_reads(coord, as_user, client):
    upload(coord, xlsx(SEED))
    association = as_user(
        factories.member(factories.OrganizationFactory(kind="association", uscc=None), "staff")
    )
    assert len(listed(association)) == 3
    assert upload(association, xlsx(SEED)).status_code == 403
    enterprise = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    university = as_user(factories.member(factories.UniversityFactory(), "admin"))
    for outsider in (enterprise, university):
        resp = outsider.get(URL)
        assert_problem(resp, 403)
        assert_problem(upload(outsider, xlsx(SEED)), 403)
    assert_problem(client.get(URL), 401)
    assert len(listed(coord)) == 3


@given(
    year=st.integers(2000, 2100),
    part=st.sampled_from(
        ["", "-H1", "-h2", "-Q3", "-q4", "-01", "-12", "-YTD3", "-ytd10", "-YTD07"]
    ),
)
def test_a_period_parses_to_its_canonical_form_and_year(year, part):
    period, got_year = parse_period(f"{year}{part}")
    assert got_year == year
    assert parse_period(period) == (period, year)
    assert period == period.upper()
    assert sort_key(period)[0] == year


@pytest.mark.parametrize(
    "bad", ["20", "2019-Q0", "2019-13", "2019-H3", "2019-YTD13", "abc", "1999", True, 2019.5]
)
def test_a_bad_period_is_refused(bad):
    with pytest.raises(ValueError, match="period|year"):
        parse_period(bad)


def test_periods_sort_in_time_within_a_year():
    periods = ["2020", "2020-H1", "2020-YTD10", "2020-Q1", "2020-01", "2020-06"]
    assert sorted(periods, key=sort_key) == [
        "2020-01",
        "2020-Q1",
        "2020-06",
        "2020-H1",
        "2020-YTD10",
        "2020",
    ]
