"""Valid and invalid questionnaires (the seed paper kept 148 valid of 170): coordinators set
a response aside with a reason and restore it; reports, the skills gap and breakdowns by
enterprise size and platform count valid responses only."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.surveys.models import SurveyAnswer
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/surveys"


@pytest.fixture
def w(coord, as_user):
    """An open talent-demand survey sent to 170 enterprises, answered by four of them of
    different sizes and platforms."""
    specs = [
        ("micro", ["amazon", "temu"]),
        ("small", ["amazon"]),
        ("small", ["shein"]),
        ("large", []),
    ]
    enterprises = [factories.OrganizationFactory(size=s, platforms=p) for s, p in specs]
    staff = [as_user(factories.member(e, "staff")) for e in enterprises]
    body = {"title": "2026 跨境电商人才需求调查", "year": 2026, "template": "talent-demand"}
    survey = coord.post(URL, json=body | {"distributed": 170}).get_json()
    assert coord.post(f"{URL}/{survey['id']}/open", json={}).status_code == 200
    picks = ["marketing", "marketing", "technical", "management"]
    responses = []
    for k, (client, ent) in enumerate(zip(staff, enterprises, strict=True)):
        resp = client.post(
            f"{URL}/{survey['id']}/responses",
            json={
                "enterprise_id": ent.id,
                "answers": {"job_category": picks[k], "competencies": ["data-analysis", "english"]},
            },
        )
        assert resp.status_code == 201, resp.get_json()
        responses.append(resp.get_json())
    association = as_user(
        factories.member(factories.OrganizationFactory(kind="association", uscc=None), "staff")
    )
    return SimpleNamespace(
        coord=coord,
        survey=survey,
        responses=responses,
        staff=staff,
        enterprises=enterprises,
        association=association,
    )


def _report(w, query: str = "") -> dict:
    resp = w.coord.get(f"{URL}/{w.survey['id']}/report{query}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def _option(report: dict, question: str, option: str) -> dict:
    q = next(q for q in report["questions"] if q["code"] == question)
    return next(o for o in q["options"] if o["code"] == option)


def _invalidate(w, k: int, reason: str = "答卷时间过短，选项全部相同"):
    rid = w.responses[k]["id"]
    return w.coord.post(
        f"{URL}/{w.survey['id']}/responses/{rid}/invalidate", json={"reason": reason}
    )


def test_an_invalid_response_is_kept_but_not_counted_until_restored(w):
    before = _report(w)
    assert (before["received"], before["invalid"], before["responses"]) == (4, 0, 4)
    assert _option(before, "job_category", "marketing")["count"] == 2

    got = _invalidate(w, 0)
    assert got.status_code == 200, got.get_json()
    body = got.get_json()
    assert body["valid"] is False
    assert body["invalid_reason"] == "答卷时间过短，选项全部相同"
    assert body["invalidated_by_id"] == w.coord.user.id
    assert body["answers"] == w.responses[0]["answers"]  # kept as given

    after = _report(w)
    assert (after["received"], after["invalid"], after["responses"]) == (4, 1, 3)
    assert after["response_rate"] == 1.76  # 3 of 170
    marketing = _option(after, "job_category", "marketing")
    assert (marketing["count"], marketing["percent"]) == (1, 33.33)
    assert _option(after, "competencies", "data-analysis")["count"] == 3

    listed = w.coord.get(f"{URL}/{w.survey['id']}/responses?valid=false").get_json()
    assert [r["id"] for r in listed["items"]] == [w.responses[0]["id"]]
    assert w.coord.get(f"{URL}/{w.survey['id']}/responses").get_json()["total"] == 4

    rid = w.responses[0]["id"]
    restored = w.coord.post(f"{URL}/{w.survey['id']}/responses/{rid}/restore", json={})
    assert restored.status_code == 200, restored.get_json()
    assert restored.get_json()["valid"] is True
    assert restored.get_json()["invalid_reason"] is None
    again = _report(w)
    assert {k: again[k] for k in ("received", "invalid", "responses")} == {
        "received": 4,
        "invalid": 0,
        "responses": 4,
    }
    assert again["questions"] == before["questions"]
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "survey_responses", AuditEntry.object_id == str(rid)
        )
    ).all()
    assert sorted(actions) == ["create", "invalidate", "restore"]


def test_the_seed_papers_148_valid_of_170(w):
    """The paper's arithmetic: 148 valid questionnaires of 170 is an 87.06% valid rate."""
    from cbec_alliance.surveys.report import percent

    assert percent(148, 170) == 87.06
    _invalidate(w, 3)
    got = _report(w)
    assert got["response_rate"] == percent(got["responses"], 170)


def test_the_skills_gap_leaves_invalid_responses_out(w):
    w.coord.post(f"{URL}/{w.survey['id']}/close", json={})

    def weight() -> int:
        items = w.coord.get("/api/v1/monitoring/skills-gap").get_json()["items"]
        return next(r["survey_weight"] for r in items if r["code"] == "data-analysis")

    assert weight() == 4
    _invalidate(w, 1)
    assert weight() == 3
    rows = db.session.scalar(
        sa.select(sa.func.count()).where(SurveyAnswer.response_id == w.responses[1]["id"])
    )
    assert rows == 0


def test_breakdown_by_size_and_platform(w):
    by_size = _report(w, "?by=size")["breakdown"]
    assert by_size["by"] == "size"
    groups = {g["key"]: g for g in by_size["groups"]}
    assert [g["key"] for g in by_size["groups"]] == ["micro", "small", "large"]
    assert groups["small"]["responses"] == 2
    job = next(q for q in groups["small"]["questions"] if q["code"] == "job_category")
    counts = {o["code"]: (o["count"], o["percent"]) for o in job["options"]}
    assert counts["marketing"] == (1, 50.0)
    assert counts["technical"] == (1, 50.0)
    assert groups["small"]["label_zh"]

    by_platform = {g["key"]: g for g in _report(w, "?by=platform")["breakdown"]["groups"]}
    # An enterprise on two platforms counts under each; one on none under "unknown".
    assert {k: g["responses"] for k, g in by_platform.items()} == {
        "amazon": 2,
        "temu": 1,
        "shein": 1,
        "unknown": 1,
    }
    _invalidate(w, 0)
    by_platform = {g["key"]: g for g in _report(w, "?by=platform")["breakdown"]["groups"]}
    assert "temu" not in by_platform
    assert by_platform["amazon"]["responses"] == 1


def test_breakdown_download_is_one_row_per_group_question_and_option(w):
    resp = w.coord.get(f"{URL}/{w.survey['id']}/report?by=size&format=csv")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0][:3] == [
        "分组 group",
        "分组名称 group label",
        "分组有效问卷 valid responses in group",
    ]
    micro = [
        r for r in rows[1:] if r[0] == "micro" and r[3] == "job_category" and r[4] == "marketing"
    ]
    assert micro
    assert micro[0][-2:] == ["1", "100.0"]


@pytest.mark.parametrize("query", ["?by=district", "?by=", "?by=SIZE"])
def test_a_bad_breakdown_is_422(w, query):
    errors = validation_errors(w.coord.get(f"{URL}/{w.survey['id']}/report{query}"))
    assert "by" in errors


def test_bad_invalidations(w):
    sid, rid = w.survey["id"], w.responses[0]["id"]
    assert "reason" in validation_errors(
        w.coord.post(f"{URL}/{sid}/responses/{rid}/invalidate", json={})
    )
    assert "reason" in validation_errors(
        w.coord.post(f"{URL}/{sid}/responses/{rid}/invalidate", json={"reason": ""})
    )
    assert "reason" in validation_errors(
        w.coord.post(f"{URL}/{sid}/responses/{rid}/invalidate", json={"reason": "x" * 1001})
    )
    assert_problem(w.coord.post(f"{URL}/{sid}/responses/{rid}/restore", json={}), 409)
    assert _invalidate(w, 0).status_code == 200
    body = assert_problem(_invalidate(w, 0), 409)
    assert "restore" in body["detail"]
    assert_problem(
        w.coord.post(f"{URL}/{sid}/responses/999999/invalidate", json={"reason": "x"}), 404
    )
    other = w.coord.post(
        URL, json={"title": "另一份", "year": 2025, "template": "talent-demand", "distributed": 5}
    ).get_json()
    assert_problem(
        w.coord.post(f"{URL}/{other['id']}/responses/{rid}/invalidate", json={"reason": "x"}), 404
    )


def test_only_coordinators_judge_and_overseers_list_responses(w, as_user):
    sid, rid = w.survey["id"], w.responses[0]["id"]
    outsider = as_user(factories.member(factories.UniversityFactory(), "admin"))
    for client in (w.staff[0], w.staff[1], w.association, outsider):
        for path in (f"responses/{rid}/invalidate", f"responses/{rid}/restore"):
            resp = client.post(f"{URL}/{sid}/{path}", json={"reason": "不认真"})
            assert resp.status_code in (403, 404), resp.get_json()
            assert "answers" not in (resp.get_json() or {})
    for client in (w.staff[0], w.staff[1], outsider):
        resp = client.get(f"{URL}/{sid}/responses")
        assert resp.status_code in (403, 404)
        assert "items" not in resp.get_json()
    # An association's members oversee the alliance: they read, they do not judge.
    assert w.association.get(f"{URL}/{sid}/responses").status_code == 200
    assert _report(w)["invalid"] == 0
