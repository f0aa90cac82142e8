"""Monitoring through the API: the numbers, their downloads and charts, and who may look."""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import io
import re
import warnings
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cbec_alliance.applications.models import Hire
from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from tests import factories
from tests.applications.factories import apply_for
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

URL = "/api/v1/monitoring"
ROUTES = (
    "overview",
    "skills-gap",
    "skills-gap/languages",
    "districts",
    "internships",
    "partnerships",
)


@pytest.fixture
def alliance():
    """Two open internships asking for English, students who have it, a course teaching it."""
    ent = factories.OrganizationFactory(district="tianhe")
    uni = factories.UniversityFactory(district="panyu")
    InternshipFactory(
        enterprise_id=ent.id, slots=3, competencies={"english": 2}, category="marketing"
    )
    posting = InternshipFactory(
        enterprise_id=ent.id, slots=2, competencies={"english": 3, "data-analysis": 2}
    )
    student(uni, competencies={"english": 4})
    student(uni, competencies={"english": 2, "data-analysis": 3})
    _user, app_ = apply_for(posting, "completed", university=uni)
    db.session.add(
        Hire(
            application_id=app_.id,
            enterprise_id=ent.id,
            university_id=uni.id,
            student_id=app_.student_id,
        )
    )
    db.session.add(
        Course(
            university_id=uni.id,
            code="EN-201",
            title="跨境商务英语",
            credits=Decimal("2"),
            hours=32,
            semester="2026-fall",
            language="zh",
            capacity=25,
            status="published",
            competencies=[CourseCompetency(code="english")],
        )
    )
    db.session.flush()
    return {"ent": ent, "uni": uni, "posting": posting}


def test_the_skills_gap_counts_demand_and_supply(coord, alliance):
    got = coord.get(f"{URL}/skills-gap").get_json()
    assert got["refresh_interval_seconds"] == 0
    assert got["as_of"].endswith("Z")
    row = {r["code"]: r for r in got["items"]}
    # 3 + 2 open slots ask for English; 1 student at level 3+ (the other has 2 and the hired
    # applicant's factory profile has platform-operation) and 25 course seats supply it.
    assert (row["english"]["demand"], row["english"]["supply_students"]) == (5, 1)
    assert (row["english"]["supply_seats"], row["english"]["gap"]) == (25, 5 - 26)
    assert (row["data-analysis"]["demand"], row["data-analysis"]["supply"]) == (2, 1)
    assert row["english"]["label_zh"]


def test_overview_districts_internships_and_partnerships(coord, alliance):
    overview = coord.get(f"{URL}/overview").get_json()
    assert overview["internships"]["posted"] == 2
    assert overview["internships"]["hired"] == 1
    assert overview["internships"]["conversion_rate"] == 100.0
    assert overview["students"] >= 3
    districts = {r["code"]: r for r in coord.get(f"{URL}/districts").get_json()["items"]}
    assert districts["tianhe"]["demand_slots"] == 5 + 2  # two competencies of one posting
    assert districts["panyu"]["supply_seats"] == 25
    months = coord.get(f"{URL}/internships?category=marketing").get_json()["items"]
    assert sum(r["posted"] for r in months) == 2
    assert sum(r["hired"] for r in months) == 1
    assert coord.get(f"{URL}/partnerships").get_json()["items"] == []


GAP_HEADERS = [
    "岗位需求 open slots",
    "调查需求 survey weight",
    "需求 demand",
    "学生供给 students level 3+",
    "课程席位 course seats",
    "供给 supply",
    "缺口 gap",
]
HEADERS = {
    "overview": ["类别 section", "项目 item", "数量 value"],
    "skills-gap": ["代码 code", "名称 name (zh)", "英文名称 name (en)", *GAP_HEADERS],
    "districts": [
        "区代码 district",
        "区 district (zh)",
        "区英文名 district (en)",
        "能力代码 competency",
        "能力 competency (zh)",
        "能力英文名 competency (en)",
        *GAP_HEADERS,
    ],
    "internships": ["岗位类别 category", "月份 month", "发布 posted", "招满 filled", "录用 hired"],
    "skills-gap/languages": [
        "等级 level",
        "区代码 district",
        "区 district (zh)",
        "语种代码 language",
        "语种 language (zh)",
        "语种英文名 language (en)",
        "岗位数 postings",
        "岗位需求 open slots",
        "学生 students",
        "缺口 gap",
    ],
    "partnerships": [
        "维度 breakdown",
        "代码 key",
        "名称 name",
        "状态 status",
        "健康度 health",
        "数量 count",
    ],
}


def _csv(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.data[:300]
    assert resp.content_type == "text/csv; charset=utf-8"
    assert resp.data.startswith(b"\xef\xbb\xbf")
    return list(csv_module.reader(io.StringIO(resp.data[3:].decode("utf-8"))))


def _xlsx(resp) -> list[list]:
    assert resp.status_code == 200, resp.data[:300]
    ws = load_workbook(io.BytesIO(resp.data)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _cell(value, like=None):
    """A csv or xlsx cell compared as text, numbers as numbers (xlsx reads 100.0 as 100)."""
    if isinstance(like, int | float) and not isinstance(like, bool):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return "" if value is None else str(value)


@pytest.mark.parametrize("route", ROUTES)
def test_csv_and_xlsx_downloads_have_chinese_and_english_headers(coord, alliance, route):
    csv = coord.get(f"{URL}/{route}?format=csv")
    rows = _csv(csv)
    assert rows[0] == HEADERS[route]
    for header in rows[0]:  # Chinese first, then the English name
        zh, _, en = header.partition(" ")
        assert all("\u4e00" <= ch <= "\u9fff" for ch in zh), header
        assert en.isascii(), header
        assert any(ch.isalpha() for ch in en), header
    assert "attachment" in csv.headers["Content-Disposition"]
    table = _xlsx(coord.get(f"{URL}/{route}?format=xlsx"))
    assert list(table[0]) == HEADERS[route]
    assert len(table) == len(rows)  # the same rows as the csv
    for got, want in zip(table[1:], rows[1:], strict=True):
        pairs = zip(want, got, strict=True)
        assert [_cell(v) for v in got] == [_cell(v, like) for v, like in pairs]


@pytest.mark.parametrize("route", ["internships", "skills-gap", "skills-gap/languages"])
def test_charts(coord, alliance, route):
    svg = coord.get(f"{URL}/{route}?format=svg")
    assert (svg.status_code, svg.content_type) == (200, "image/svg+xml")
    assert svg.data.startswith(b"<?xml")
    png = coord.get(f"{URL}/{route}?format=png")
    assert png.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("route", ROUTES)
def test_only_coordinators_and_overseers_look(as_user, client, coord, alliance, route):
    # (tests/core/test_government_roles.py walks every monitoring route for every role.)
    for kind in ("association", "government"):
        body = factories.OrganizationFactory(kind=kind, uscc=None)
        assert as_user(factories.member(body, "staff")).get(f"{URL}/{route}").status_code == 200
    for outsider in (
        factories.member(alliance["ent"], "admin"),
        factories.member(alliance["uni"], "admin"),
        factories.member(alliance["uni"], "student"),
        factories.member(
            factories.OrganizationFactory(kind="government", uscc=None, status="pending"), "admin"
        ),
        factories.member(
            factories.OrganizationFactory(kind="association", uscc=None, status="pending"), "staff"
        ),
        factories.member(
            factories.OrganizationFactory(kind="association", uscc=None, status="suspended"),
            "admin",
        ),
    ):
        assert_problem(as_user(outsider).get(f"{URL}/{route}"), 403)
    assert_problem(client.get(f"{URL}/{route}"), 401)
    assert "format" in validation_errors(coord.get(f"{URL}/{route}?format=pdf"))


def test_tables_refuse_chart_formats_and_bad_months(coord):
    assert "format" in validation_errors(coord.get(f"{URL}/overview?format=svg"))
    assert "from" in validation_errors(coord.get(f"{URL}/internships?from=2026-13"))
    assert "from" in validation_errors(coord.get(f"{URL}/internships?from=2026-01%0A"))
    assert "to" in validation_errors(coord.get(f"{URL}/internships?to=2026-1"))
    assert "from" in validation_errors(coord.get(f"{URL}/internships?from=2026-05&to=2026-04"))
    assert "category" in validation_errors(coord.get(f"{URL}/internships?category="))
    assert "category" in validation_errors(coord.get(f"{URL}/internships?category={'x' * 41}"))
    assert coord.get(f"{URL}/internships?from=2026-04&to=2026-04").status_code == 200


def test_a_summary_is_served_from_its_snapshot_until_the_interval_passes(app, coord, alliance):
    app.config["MONITORING_REFRESH_SECONDS"] = 600
    try:
        first = coord.get(f"{URL}/overview").get_json()
        InternshipFactory()
        db.session.flush()
        cached = coord.get(f"{URL}/overview").get_json()
        assert cached["as_of"] == first["as_of"]
        assert cached["internships"]["posted"] == first["internships"]["posted"]
        from cbec_alliance.monitoring import services

        with app.app_context():
            services.refresh_all()  # what the beat task does
        fresh = coord.get(f"{URL}/overview").get_json()
        assert fresh["internships"]["posted"] == first["internships"]["posted"] + 1
    finally:
        app.config["MONITORING_REFRESH_SECONDS"] = 0


def closed_survey(app, user, year: int, answers: dict, *, close: bool = True, **extra):
    """A survey (the talent-demand template unless `extra` says otherwise) answered by the
    given enterprises ({enterprise: answers}) and closed (unless `close` is false)."""
    from cbec_alliance.surveys import services as surveys

    body = {"title": f"{year} 调查", "year": year, "template": "talent-demand", "distributed": 10}
    with app.app_context():  # only around the services: requests get their own contexts
        survey = surveys.create(user, body | extra)
        surveys.step(user, survey, "open")
        for enterprise, chosen in answers.items():
            surveys.add_response(survey, enterprise.id, chosen)
        if close:
            surveys.step(user, survey, "close")
        db.session.flush()
        return survey.id


def _gap(row: dict) -> tuple:
    return tuple(
        row[k]
        for k in (
            "demand_slots",
            "survey_weight",
            "demand",
            "supply_students",
            "supply_seats",
            "supply",
            "gap",
        )
    )


def test_districts_give_the_skills_gap_per_competency_and_in_total(app, coord, alliance):
    survey = closed_survey(
        app, coord.user, 2025, {alliance["ent"]: {"competencies": ["english", "ai-tools"]}}
    )
    got = coord.get(f"{URL}/districts").get_json()
    assert got["survey_id"] == survey
    rows = {r["code"]: r for r in got["items"]}
    assert len(rows) == 11  # every Guangzhou district
    tianhe, panyu = rows["tianhe"], rows["panyu"]
    # Tianhe: the enterprise's postings (English 3 + 2 slots, data analysis 2) and its survey
    # answer (English, AI tools); no university there.
    per = {c["code"]: c for c in tianhe["competencies"]}
    assert len(per) == 11  # every competency
    assert _gap(per["english"]) == (5, 1, 6, 0, 0, 0, 6)
    assert _gap(per["data-analysis"]) == (2, 0, 2, 0, 0, 0, 2)
    assert _gap(per["ai-tools"]) == (0, 1, 1, 0, 0, 0, 1)
    assert [c["code"] for c in tianhe["competencies"][:3]] == [
        "english",
        "data-analysis",
        "ai-tools",
    ]
    assert per["english"]["label_zh"] == "英语（口语与书面）"
    assert per["english"]["label_en"]
    assert _gap(tianhe) == (7, 2, 9, 0, 0, 0, 9)
    assert (tianhe["enterprises"], tianhe["universities"], tianhe["open_internships"]) == (1, 0, 2)
    # Panyu: the university's students at level 3+ (English 4; data analysis 3; the hired
    # applicant's platform operation 3) and its course's 25 English seats.
    per = {c["code"]: c for c in panyu["competencies"]}
    assert _gap(per["english"]) == (0, 0, 0, 1, 25, 26, -26)
    assert _gap(per["data-analysis"]) == (0, 0, 0, 1, 0, 1, -1)
    assert _gap(per["platform-operation"]) == (0, 0, 0, 1, 0, 1, -1)
    assert _gap(panyu) == (0, 0, 0, 3, 25, 28, -28)
    assert panyu["competencies"][0]["gap"] == 0  # no demand in Panyu: smallest gaps last
    assert panyu["competencies"][-1]["code"] == "english"
    assert all(_gap(c) == (0,) * 7 for c in rows["nansha"]["competencies"])
    # The whole alliance's skills gap is the districts' added up.
    alliance_gap = {r["code"]: _gap(r) for r in coord.get(f"{URL}/skills-gap").get_json()["items"]}
    for code, want in alliance_gap.items():
        added = [
            sum(_gap(c)[k] for r in got["items"] for c in r["competencies"] if c["code"] == code)
            for k in range(7)
        ]
        assert tuple(added) == want, code
    # The download: one row per district and competency.
    table = _csv(coord.get(f"{URL}/districts?format=csv"))
    assert len(table) == 1 + 11 * 11
    flat = {(r[0], r[3]): r for r in table[1:]}
    assert flat[("tianhe", "english")][1:3] == [tianhe["label_zh"], tianhe["label_en"]]
    assert flat[("tianhe", "english")][6:] == ["5", "1", "6", "0", "0", "0", "6"]
    assert flat[("panyu", "english")][6:] == ["0", "0", "0", "1", "25", "26", "-26"]
    xlsx = _xlsx(coord.get(f"{URL}/districts?format=xlsx"))
    assert [r[6:] for r in xlsx[1:] if r[:4:3] == ["tianhe", "english"]] == [[5, 1, 6, 0, 0, 0, 6]]


def test_survey_weight_comes_from_the_latest_closed_survey_answering_competencies(
    app, coord, alliance
):
    ent, other = alliance["ent"], factories.OrganizationFactory(district="haizhu")
    closed_survey(app, coord.user, 2024, {ent: {"competencies": ["data-analysis"]}})  # older
    counted = closed_survey(
        app,
        coord.user,
        2025,
        {ent: {"competencies": ["english"]}, other: {"competencies": ["english"]}},
    )
    # A coordinator's own survey without a competencies question, answered and closed later,
    # says nothing about competencies: it does not zero the weight.
    own = {
        "code": "platforms",
        "text": "主要销售平台",
        "kind": "multiple",
        "options": [{"code": "amazon", "label": "亚马逊"}],
    }
    closed_survey(
        app, coord.user, 2026, {ent: {"platforms": ["amazon"]}}, template=None, questions=[own]
    )
    # This year's talent-demand survey is still open: its answers are not final yet.
    closed_survey(app, coord.user, 2027, {ent: {"competencies": ["ai-tools"]}}, close=False)
    got = coord.get(f"{URL}/skills-gap").get_json()
    assert got["survey_id"] == counted
    weight = {r["code"]: r["survey_weight"] for r in got["items"]}
    assert (weight["english"], weight["data-analysis"], weight["ai-tools"]) == (2, 0, 0)
    districts = coord.get(f"{URL}/districts").get_json()
    assert districts["survey_id"] == counted
    by = {r["code"]: r for r in districts["items"]}
    assert (by["tianhe"]["survey_weight"], by["haizhu"]["survey_weight"]) == (1, 1)


def test_no_closed_survey_means_no_survey_weight(coord, alliance):
    got = coord.get(f"{URL}/skills-gap").get_json()
    assert got["survey_id"] is None
    assert all(r["survey_weight"] == 0 for r in got["items"])


def _partnership(ent, uni, status, health, modes):
    from cbec_alliance.partnerships.models import Partnership, PartnershipMode

    p = Partnership(
        enterprise_id=ent.id,
        university_id=uni.id,
        starts_on=dt.date(2026, 1, 1),
        goals={},
        status=status,
        health=health,  # as beat stored it: checked, so a first use does not recompute it
        health_checked_at=dt.datetime.now(dt.UTC),
        modes=[PartnershipMode(mode=m) for m in modes],
        proposed_by_org_id=ent.id,
    )
    db.session.add(p)
    db.session.flush()
    return p


def test_partnerships_by_mode_district_and_university(coord, alliance):
    ent, uni = alliance["ent"], alliance["uni"]  # Tianhe, Panyu
    ent2 = factories.OrganizationFactory(district="panyu")
    uni2 = factories.UniversityFactory(district="haizhu")
    _partnership(ent, uni, "active", "quiet", ["internship-employment", "lectures"])
    _partnership(ent2, uni, "proposed", None, ["lectures"])  # both sides in Panyu
    _partnership(ent, uni2, "ended", "ended", ["co-developed-courses"])
    _partnership(ent2, uni2, "active", "active", ["lectures"])
    got = coord.get(f"{URL}/partnerships").get_json()
    modes = {(r["mode"], r["status"], r["health"]): r["count"] for r in got["items"]}
    assert modes == {
        ("co-developed-courses", "ended", "ended"): 1,
        ("internship-employment", "active", "quiet"): 1,
        ("lectures", "active", "active"): 1,
        ("lectures", "active", "quiet"): 1,
        ("lectures", "proposed", None): 1,
    }
    assert all(r["label_zh"] and r["label_en"] for r in got["items"])
    districts = {(r["district"], r["status"], r["health"]): r["count"] for r in got["by_district"]}
    assert districts == {
        ("haizhu", "active", "active"): 1,
        ("haizhu", "ended", "ended"): 1,
        ("panyu", "active", "active"): 1,
        ("panyu", "active", "quiet"): 1,
        ("panyu", "proposed", None): 1,  # counted once, though both sides are in Panyu
        ("tianhe", "active", "quiet"): 1,
        ("tianhe", "ended", "ended"): 1,
    }
    assert {r["label_en"] for r in got["by_district"]} >= {"Tianhe", "Panyu", "Haizhu"}
    universities = {
        (r["university_id"], r["status"], r["health"]): r["count"] for r in got["by_university"]
    }
    assert universities == {
        (uni.id, "active", "quiet"): 1,
        (uni.id, "proposed", None): 1,
        (uni2.id, "active", "active"): 1,
        (uni2.id, "ended", "ended"): 1,
    }
    assert {r["name"] for r in got["by_university"]} == {uni.name, uni2.name}
    # A district's counts are what the list's `district` filter finds.
    for district in ("tianhe", "panyu", "haizhu"):
        for status in ("active", "proposed", "ended"):
            listed = coord.get(f"/api/v1/partnerships?district={district}&status={status}")
            assert listed.status_code == 200, listed.get_json()
            want = sum(n for (d, s, _h), n in districts.items() if (d, s) == (district, status))
            assert listed.get_json()["total"] == want, (district, status)
    # The download: modes, then districts, then universities, in one table.
    table = _csv(coord.get(f"{URL}/partnerships?format=csv"))
    assert [r[0] for r in table[1:]] == ["mode"] * 5 + ["district"] * 7 + ["university"] * 4
    assert ["district", "panyu", "番禺区", "proposed", "", "1"] in table
    assert ["university", str(uni2.id), uni2.name, "ended", "ended", "1"] in table
    lectures = next(r["label_zh"] for r in got["items"] if r["mode"] == "lectures")
    xlsx = _xlsx(coord.get(f"{URL}/partnerships?format=xlsx"))
    assert ["mode", "lectures", lectures, "proposed", None, 1] in xlsx


def test_the_summaries_document_their_breakdowns(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    district = schemas["DistrictRow"]["properties"]
    assert district["competencies"]["type"] == "array"
    summary = schemas["PartnershipsSummary"]["properties"]
    assert {"items", "by_district", "by_university"} <= set(summary)
    assert "each side" in summary["by_district"]["description"]
    assert "closed" in schemas["SkillsGap"]["properties"]["survey_id"]["description"]


CHINESE = ["跨境商务英语", "数据分析", "直播间运营"]


def _texts(fig):
    ax = fig.axes[0]
    return [ax.title, *ax.get_yticklabels(), *ax.get_legend().get_texts()]


def test_charts_draw_chinese_in_the_bundled_font_without_missing_glyphs(caplog):
    from matplotlib import font_manager

    from cbec_alliance.core import exports

    path = exports.font_path()
    assert path.replace("\\", "/").endswith("mplfonts/fonts/NotoSansCJKsc-Regular.otf")
    series = {"需求 demand": [3, 2, 1], "供给 supply": [1, 2, 3]}
    with warnings.catch_warnings(record=True) as caught, caplog.at_level("WARNING"):
        warnings.simplefilter("always")
        fig = exports.figure("跨境电商能力供需 Skills", CHINESE, series, horizontal=True)
        svg = exports.bar_chart("svg", "跨境电商能力供需 Skills", CHINESE, series, horizontal=True)
        png = exports.bar_chart("png", "实习岗位 Internships", CHINESE, series)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "Glyph" in m or "missing" in m or "findfont" in m], messages
    assert png.startswith(b"\x89PNG")
    # Every label is drawn with the bundled file, never a machine font of the same family.
    texts = _texts(fig)
    assert [t.get_text() for t in texts[1:4]] == CHINESE
    for t in texts:
        props = t.get_fontproperties()
        assert props.get_file() == path, t.get_text()
        assert font_manager.findfont(props) == path
    # SVG text is drawn as glyph paths from that font (or kept as text if svg.fonttype is
    # "none"): every Chinese character is there, none as a missing-glyph box.
    import matplotlib

    if matplotlib.rcParams["svg.fonttype"] == "none":
        for label in CHINESE:
            assert label.encode() in svg
    else:
        # Glyph paths are named by the font's PostScript name and the glyph's index in it;
        # index 0 would be the font's "missing glyph" box.
        font = font_manager.get_font(path)
        glyphs = set(re.findall(rb'id="NotoSansCJKsc-Regular-([0-9a-f]+)"', svg))
        indices = {font.get_char_index(ord(ch)) for label in CHINESE for ch in label}
        assert 0 not in indices
        wanted = {f"{k:x}".encode() for k in indices}
        assert wanted <= glyphs, wanted - glyphs
        assert len(wanted) == len({ch for label in CHINESE for ch in label})
