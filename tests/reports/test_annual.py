"""The annual alliance report: built by a task with progress, served as JSON, xlsx and a
typeset PDF, and every figure equal to the matching monitoring or survey endpoint's."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from cbec_alliance.extensions import db
from cbec_alliance.monitoring.employment import default_year
from cbec_alliance.reports import sections
from cbec_alliance.reports.models import AnnualReport
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/reports"
SERVING = {"as_of", "refresh_interval_seconds", "compute_seconds"}


def build(client, year: int, language: str = "zh") -> dict:
    resp = client.post(f"{URL}/annual", json={"year": year, "language": language})
    assert resp.status_code == 202, resp.get_json()
    got = client.get(f"{URL}/{resp.get_json()['id']}")
    assert got.status_code == 200
    return got.get_json()


def pages(data: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    return [pdf[k].get_textpage().get_text_range() for k in range(len(pdf))]


@pytest.fixture
def demo(app):
    """The demo alliance (surveys of this year and last, partnerships, internships,
    placements, destinations, indicators), and an indicator of this year."""
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output


def _same(endpoint: dict, section: dict, what: str) -> None:
    """Every figure the endpoint returns equals the report's."""
    for key, value in endpoint.items():
        if key in SERVING:
            continue
        assert section[key] == value, f"{what}.{key}"


def test_every_figure_equals_its_endpoint(demo, coord):
    """For this year (internships posted, destinations, an open survey compared with last
    year's closed one) and last year, the report's figures are the endpoints' figures."""
    for year in (default_year(), default_year() - 1):
        report = build(coord, year)
        assert report["status"] == "done", report
        s = report["data"]["sections"]

        survey = s["survey"]["report"]
        this = survey["survey_id"]
        query = f"?compare_to={survey['compare_to']['survey_id']}" if "compare_to" in survey else ""
        assert coord.get(f"/api/v1/surveys/{this}/report{query}").get_json() == survey
        for by in ("size", "platform"):
            got = coord.get(f"/api/v1/surveys/{this}/report?by={by}").get_json()["breakdown"]
            assert got == s["survey"][f"by_{by}"]

        mon = "/api/v1/monitoring"
        partnerships = coord.get(f"{mon}/partnerships").get_json()
        assert partnerships["items"] == s["partnerships"]["by_mode"]
        assert partnerships["by_district"] == s["partnerships"]["by_district"]
        overview = coord.get(f"{mon}/overview").get_json()
        for key in ("by_status", "by_health", "active_by_mode"):
            assert overview["partnerships"][key] == s["partnerships"][key], key
        assert overview["internships"] == s["internships"]["alliance"]
        for key in ("courses", "training_bases", "competitions"):
            assert overview[key] == s["cooperation"][key], key

        months = coord.get(f"{mon}/internships?from={year}-01&to={year}-12").get_json()
        assert months["items"] == s["internships"]["months"]
        _same(
            coord.get(f"{mon}/placements").get_json(), s["internships"]["placements"], "placements"
        )
        _same(coord.get(f"{mon}/employment?year={year}").get_json(), s["employment"], "employment")
        _same(coord.get(f"{mon}/skills-gap").get_json(), s["skills_gap"], "skills_gap")

        listed = coord.get(f"/api/v1/indicators?year={year}&per_page=100").get_json()["items"]
        assert sorted(listed, key=lambda i: i["id"]) == sorted(
            s["indicators"]["items"], key=lambda i: i["id"]
        )
    this_year = build(coord, default_year())["data"]["sections"]
    assert this_year["internships"]["months"], "the demo posts internships this year"
    assert this_year["employment"]["totals"]["reported"] > 0
    assert this_year["survey"]["report"]["compare_to"]["year"] == default_year() - 1


def test_the_demo_built_last_years_report_in_both_languages(demo, coord, app):
    listed = coord.get(f"{URL}?year={default_year() - 1}").get_json()["items"]
    assert {(r["language"], r["status"]) for r in listed} == {("zh", "done"), ("en", "done")}
    zh = next(r for r in listed if r["language"] == "zh")
    assert "data" not in zh
    resp = coord.get(f"{URL}/{zh['id']}?format=pdf")
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    assert "annual-report" in resp.headers["Content-Disposition"]
    text = pages(resp.data)
    assert f"{default_year() - 1} 年跨境电商教育联盟年度报告" in text[0]
    assert "目录" in "".join(text[:2])
    for title in ("人才需求调查", "校企合作伙伴关系", "产业指标", "政策与资金"):
        assert title in "".join(text[:2]), title  # listed in the contents
    assert "第 2 页" in text[1]
    assert len(text) >= 4
    en = next(r for r in listed if r["language"] == "en")
    text_en = "".join(pages(coord.get(f"{URL}/{en['id']}?format=pdf").data))
    assert "Contents" in text_en
    assert "Page 2" in text_en


def test_the_xlsx_has_a_sheet_per_section(demo, coord):
    report = build(coord, default_year())
    resp = coord.get(f"{URL}/{report['id']}?format=xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    assert len(book.sheetnames) == 1 + len(sections.SECTIONS)
    assert book.sheetnames[0] == "summary 概要"
    assert book.sheetnames[1] == "survey 人才需求调查"
    ws = book["partnerships 校企合作伙伴关系"]
    assert ws.cell(row=1, column=1).value == "表 table"
    modes = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "mode"]
    assert sum(r[5] for r in modes) == sum(
        r["count"] for r in report["data"]["sections"]["partnerships"]["by_mode"]
    )


def test_a_year_without_data_still_builds_saying_what_is_missing(coord):
    report = build(coord, 2003)
    assert report["status"] == "done"
    assert report["progress"] == 100
    missing = report["missing"]
    for line in (
        "人才需求调查 Talent-demand survey: 2003 年没有人才需求调查 / "
        "no talent-demand survey of 2003",
        "毕业生去向 Graduate destinations and hires: 没有 2003 届毕业生去向 / no graduate "
        "destinations of 2003",
        "产业指标 Industry indicators: 没有 2003 年产业指标 / no industry indicators for 2003",
        "政策与资金 Policies and money granted: 2003 年没有政策与资助 / "
        "no policies or grants in 2003",
    ):
        assert line in missing
    assert set(report["seconds"]) >= {"sections", "xlsx", "pdf", "total"}
    text = "".join(pages(coord.get(f"{URL}/{report['id']}?format=pdf").data))
    assert "no talent-demand survey of 2003" in text
    assert "no policies or grants in 2003" in text


def test_policies_and_money_granted_are_the_policies_domains(demo, coord):
    """The section is `granted_in_year` of the report's year (the demo's policies and
    applications: some approved and disbursed), in the JSON and the PDF."""
    from cbec_alliance.policies.services import granted_in_year

    year = default_year()
    report = build(coord, year)
    section = report["data"]["sections"]["policies"]
    expected = {k: {**f} for k, f in granted_in_year(year).items()}
    assert section["kinds"] == {
        k: {n: (str(v) if n.startswith("amount") else v) for n, v in f.items()}
        for k, f in expected.items()
    }
    assert sum(f["approved"] for f in section["kinds"].values()) > 0
    assert section["missing"] == []
    text = "".join(pages(coord.get(f"{URL}/{report['id']}?format=pdf").data))
    granted = next(f for f in section["kinds"].values() if f["approved"])
    assert granted["amount_approved"] in text


def test_a_failed_build_is_stored_not_left_running(coord, monkeypatch):
    def boom(year):
        raise RuntimeError("the survey table is gone")

    broken = [sections.Section("survey", "调查", "Survey", boom), *sections.SECTIONS[1:]]
    monkeypatch.setattr("cbec_alliance.reports.services.SECTIONS", broken)
    report = build(coord, 2024)
    assert report["status"] == "failed"
    assert "the survey table is gone" in report["error"]
    assert_problem(coord.get(f"{URL}/{report['id']}?format=pdf"), 409)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"year": "2024"},
        {"year": 1999},
        {"year": 2101},
        {"year": 2024, "language": "fr"},
        {"year": 2024, "extra": 1},
        {"year": default_year() + 1},
    ],
)
def test_bad_requests_are_422(coord, body):
    errors = validation_errors(coord.post(f"{URL}/annual", json=body))
    assert set(errors) <= {"year", "language", "extra"}


def test_bad_queries(coord):
    validation_errors(coord.get(f"{URL}/1?format=docx"))
    validation_errors(coord.get(f"{URL}?year=abc"))
    assert_problem(coord.get(f"{URL}/999999"), 404)
    assert_problem(coord.get(f"{URL}/999999?format=pdf"), 404)


def test_one_build_of_a_year_and_language_at_a_time(coord):
    running = AnnualReport(year=2024, language="zh", status="running", missing=[], seconds={})
    db.session.add(running)
    db.session.flush()
    db.session.commit()  # the test's savepoint: a refused request rolls back its own work
    assert_problem(coord.get(f"{URL}/{running.id}?format=xlsx"), 409)
    body = assert_problem(coord.post(f"{URL}/annual", json={"year": 2024}), 409)
    assert str(running.id) in body["detail"]
    assert build(coord, 2024, "en")["status"] == "done"


def test_who_builds_and_reads(coord, as_user, client):
    association = as_user(
        factories.member(factories.OrganizationFactory(kind="association", uscc=None), "staff")
    )
    report = build(association, 2024)
    assert report["status"] == "done"
    assert coord.get(f"{URL}/{report['id']}").status_code == 200
    enterprise = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    university = as_user(factories.member(factories.UniversityFactory(), "admin"))
    for outsider in (enterprise, university):
        assert_problem(outsider.post(f"{URL}/annual", json={"year": 2024}), 403)
        for query in ("", "?format=pdf", "?format=xlsx"):
            resp = outsider.get(f"{URL}/{report['id']}{query}")
            assert_problem(resp, 403)
        assert_problem(outsider.get(URL), 403)
    assert_problem(client.get(f"{URL}/{report['id']}"), 401)
    assert_problem(client.post(f"{URL}/annual", json={"year": 2024}), 401)
    builds = db.session.scalar(sa.select(sa.func.count()).select_from(AnnualReport))
    assert builds == 1


def test_the_demo_reports_first_page_renders_to_png(demo, coord):
    """Page 1 of the demo's annual report, rendered as a person sees it and kept as
    instance/annual-report-page1.png (and page 2, the contents, beside it)."""
    from config.settings import INSTANCE_DIR

    listed = coord.get(f"{URL}?year={default_year() - 1}").get_json()["items"]
    zh = next(r for r in listed if r["language"] == "zh")
    pdf = pypdfium2.PdfDocument(coord.get(f"{URL}/{zh['id']}?format=pdf").data)
    INSTANCE_DIR.mkdir(exist_ok=True)
    for k, name in ((0, "annual-report-page1.png"), (1, "annual-report-page2.png")):
        image = pdf[k].render(scale=1.5).to_pil().convert("L")
        image.save(INSTANCE_DIR / name)
        histogram = image.histogram()
        dark = sum(histogram[:128])
        assert image.size[0] > 800
        assert dark > 0.002 * image.size[0] * image.size[1], "page is blank"
        assert histogram[255] > 0.5 * image.size[0] * image.size[1], "page is not mostly paper"
