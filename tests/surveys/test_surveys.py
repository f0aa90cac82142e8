"""Talent-demand surveys through the API: the template, answers, reports and downloads."""

from __future__ import annotations

import csv as csv_module
import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.surveys import report as survey_report
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/surveys"
QUESTIONS = [
    "job_category",
    "majors",
    "qualities",
    "competencies",
    "training_needs",
    "training_channels",
    "cooperation_modes",
]


@pytest.fixture
def s(coord, as_user):
    """A coordinator, three enterprises with staff, an association and outsiders."""
    enterprises = [factories.OrganizationFactory() for _ in range(3)]
    association = factories.OrganizationFactory(kind="association", uscc=None)
    return SimpleNamespace(
        coord=coord,
        enterprises=enterprises,
        staff=[as_user(factories.member(e, "staff")) for e in enterprises],
        association=as_user(factories.member(association, "staff")),
        university=as_user(factories.member(factories.UniversityFactory(), "admin")),
    )


def survey(s, year=2026, distributed=170, **extra) -> dict:
    body = {"title": f"{year} 跨境电商人才需求调查", "year": year, "template": "talent-demand"}
    resp = s.coord.post(URL, json=body | {"distributed": distributed} | extra)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def opened(s, **kw) -> dict:
    got = survey(s, **kw)
    resp = s.coord.post(f"{URL}/{got['id']}/open", json={})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def answer(s, k: int, survey_id: int, answers: dict):
    return s.staff[k].post(
        f"{URL}/{survey_id}/responses",
        json={"enterprise_id": s.enterprises[k].id, "answers": answers},
    )


def test_the_template_holds_the_papers_questions_with_taxonomy_options(s):
    got = survey(s)
    assert [q["code"] for q in got["questions"]] == QUESTIONS
    first = got["questions"][0]
    assert first["kind"] == "single"
    assert {o["code"] for o in first["options"]} >= {"marketing", "technical", "management"}
    assert "岗位" in first["text"]
    assert got["status"] == "draft"


def test_own_questions_are_added_after_the_template(s):
    own = {
        "code": "platforms",
        "text": "主要销售平台 Main platforms",
        "kind": "multiple",
        "options": [{"code": "amazon", "label": "亚马逊"}, {"code": "temu", "label": "Temu"}],
    }
    got = survey(s, questions=[own])
    assert got["questions"][-1]["code"] == "platforms"
    alone = s.coord.post(
        URL, json={"title": "平台调查", "year": 2026, "distributed": 10, "questions": [own]}
    )
    assert [q["code"] for q in alone.get_json()["questions"]] == ["platforms"]
    clash = dict(own, code="majors")
    assert "questions" in validation_errors(
        s.coord.post(
            URL,
            json={
                "title": "x",
                "year": 2026,
                "distributed": 1,
                "template": "talent-demand",
                "questions": [clash],
            },
        )
    )


def test_opening_notifies_enterprises_and_each_answers_once(s):
    got = opened(s)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(OutboxEvent.event_type == "survey.opened")
        )
        == 1
    )
    ok = answer(s, 0, got["id"], {"job_category": "marketing", "competencies": ["english"]})
    assert ok.status_code == 201, ok.get_json()
    assert_problem(answer(s, 0, got["id"], {"job_category": "technical"}), 409)
    closed = s.coord.post(f"{URL}/{got['id']}/close", json={}).get_json()
    assert closed["status"] == "closed"
    assert_problem(answer(s, 1, got["id"], {}), 409)
    assert (
        "allowed next steps: none"
        in assert_problem(s.coord.post(f"{URL}/{got['id']}/open", json={}), 409)["detail"]
    )


def test_the_report_counts_percentages_half_up_and_the_response_rate(s):
    got = opened(s, distributed=8)
    answer(s, 0, got["id"], {"job_category": "marketing", "competencies": ["english", "ai-tools"]})
    answer(s, 1, got["id"], {"job_category": "marketing", "competencies": ["english"]})
    answer(s, 2, got["id"], {"job_category": "technical"})
    report = s.coord.get(f"{URL}/{got['id']}/report").get_json()
    assert (report["responses"], report["distributed"], report["response_rate"]) == (3, 8, 37.5)
    q = {x["code"]: x for x in report["questions"]}
    jobs = {o["code"]: (o["count"], o["percent"]) for o in q["job_category"]["options"]}
    assert jobs["marketing"] == (2, 66.67)  # 66.666… rounds up
    assert jobs["technical"] == (1, 33.33)
    assert jobs["management"] == (0, 0.0)
    comps = {o["code"]: o["percent"] for o in q["competencies"]["options"]}
    assert (comps["english"], comps["ai-tools"]) == (66.67, 33.33)
    assert q["competencies"]["answered"] == 2
    assert q["majors"]["answered"] == 0


def test_one_of_eight_is_12_50_and_comparison_with_last_year(s, as_user):
    last = opened(s, year=2025, distributed=8)
    answer(s, 0, last["id"], {"job_category": "marketing"})
    this = opened(s, year=2026, distributed=8)
    answer(s, 0, this["id"], {"job_category": "technical"})
    answer(s, 1, this["id"], {"job_category": "technical"})
    report = s.coord.get(f"{URL}/{this['id']}/report?compare_to={last['id']}").get_json()
    assert report["response_rate"] == 25.0
    assert s.coord.get(f"{URL}/{last['id']}/report").get_json()["response_rate"] == 12.5
    jobs = {o["code"]: o for o in report["questions"][0]["options"]}
    assert (jobs["technical"]["percent"], jobs["technical"]["previous_percent"]) == (100.0, 0.0)
    assert (jobs["marketing"]["previous_percent"], jobs["marketing"]["change"]) == (100.0, -100.0)
    assert report["compare_to"] == {"survey_id": last["id"], "year": 2025, "responses": 1}
    assert_problem(s.coord.get(f"{URL}/{this['id']}/report?compare_to=999999"), 404)


def test_downloads_and_charts(s):
    got = opened(s)
    answer(s, 0, got["id"], {"job_category": "marketing", "majors": ["e-commerce"]})
    csv = s.coord.get(f"{URL}/{got['id']}/report?format=csv")
    assert csv.data.startswith(b"\xef\xbb\xbf")
    text = csv.data[3:].decode("utf-8")
    assert text.splitlines()[0].startswith("题目代码 question,")
    assert "电子商务" in text or "跨境" in text or "营销" in text
    ws = load_workbook(io.BytesIO(s.coord.get(f"{URL}/{got['id']}/report?format=xlsx").data)).active
    assert ws.cell(row=1, column=5).value == "数量 count"
    svg = s.coord.get(f"{URL}/{got['id']}/report?format=svg&question=majors")
    assert svg.data.startswith(b"<?xml")
    assert s.coord.get(f"{URL}/{got['id']}/report?format=png").data.startswith(b"\x89PNG")
    assert "question" in validation_errors(
        s.coord.get(f"{URL}/{got['id']}/report?format=svg&question=nope")
    )


def test_who_sees_answers_and_reads_what(s, client, as_user):
    draft = survey(s)
    assert_problem(s.staff[0].get(f"{URL}/{draft['id']}"), 404)  # drafts are the coordinators'
    assert s.association.get(f"{URL}/{draft['id']}").status_code == 200
    got = opened(s)
    assert s.staff[0].get(f"{URL}/{got['id']}").status_code == 200
    assert [x["id"] for x in s.staff[0].get(URL).get_json()["items"]] == [got["id"]]
    assert_problem(s.university.get(URL), 403)
    assert_problem(s.university.get(f"{URL}/{got['id']}"), 404)
    assert_problem(client.get(URL), 401)
    # Answering for another enterprise, or as a student member, is refused.
    other = s.staff[0].post(
        f"{URL}/{got['id']}/responses",
        json={"enterprise_id": s.enterprises[1].id, "answers": {}},
    )
    assert_problem(other, 403)
    student = as_user(factories.member(s.enterprises[2], "student"))
    assert_problem(
        student.post(
            f"{URL}/{got['id']}/responses",
            json={"enterprise_id": s.enterprises[2].id, "answers": {}},
        ),
        404,
    )
    for who in (s.staff[0], s.university):
        assert_problem(who.post(URL, json={"title": "x", "year": 2026, "distributed": 1}), 403)
        assert_problem(who.post(f"{URL}/{draft['id']}/open", json={}), 403)
        assert_problem(who.post(f"{URL}/{got['id']}/close", json={}), 403)
        assert_problem(who.get(f"{URL}/{got['id']}/report"), 403)
    # Associations read reports but neither create, open nor close surveys.
    body = {"title": "x", "year": 2026, "distributed": 1, "template": "talent-demand"}
    assert_problem(s.association.post(URL, json=body), 403)
    assert_problem(s.association.post(f"{URL}/{draft['id']}/open", json={}), 403)
    assert_problem(s.association.post(f"{URL}/{got['id']}/close", json={}), 403)
    assert s.association.get(f"{URL}/{got['id']}/report").status_code == 200
    assert s.coord.get(f"{URL}/{draft['id']}").get_json()["status"] == "draft"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"nope": "x"}, "answers.nope"),
        ({"job_category": ["marketing"]}, "answers.job_category"),
        ({"job_category": "astronaut"}, "answers.job_category"),
        ({"majors": "e-commerce"}, "answers.majors"),
        ({"majors": ["e-commerce", "e-commerce"]}, "answers.majors"),
        ({"majors": ["basket-weaving"]}, "answers.majors"),
        ({"majors": [1]}, "answers.majors"),
        ({"majors": []}, "answers.majors"),
        ({}, "answers"),
    ],
)
def test_bad_answers_name_the_question(s, answers, field):
    got = opened(s)
    assert field in validation_errors(answer(s, 0, got["id"], answers))
    # Nothing was counted: an empty answer does not raise the response rate.
    report = s.coord.get(f"{URL}/{got['id']}/report").get_json()
    assert (report["responses"], report["response_rate"]) == (0, 0.0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 1999}, "year"),
        ({"distributed": 0}, "distributed"),
        ({"template": "census"}, "template"),
        ({"title": ""}, "title"),
        ({"template": None}, "questions"),
        ({"questions": [{"code": "x", "text": "t", "kind": "ranked", "options": []}]}, "questions"),
    ],
)
def test_bad_surveys_name_the_field(s, body, field):
    base = {"title": "调查", "year": 2026, "distributed": 10, "template": "talent-demand"}
    errors = validation_errors(s.coord.post(URL, json=base | body))
    assert any(k.split(".")[0] == field for k in errors), errors


def test_bad_queries_and_responses(s):
    got = opened(s)
    assert "format" in validation_errors(s.coord.get(f"{URL}/{got['id']}/report?format=pdf"))
    assert "compare_to" in validation_errors(s.coord.get(f"{URL}/{got['id']}/report?compare_to=x"))
    assert "status" in validation_errors(s.coord.get(f"{URL}?status=x"))
    assert "answers" in validation_errors(
        s.staff[0].post(f"{URL}/{got['id']}/responses", json={"enterprise_id": s.enterprises[0].id})
    )
    # A missing organization is a 404, as is one the caller may not see (a pending
    # enterprise they are not a member of): neither reveals whether it exists.
    pending = factories.OrganizationFactory(status="pending")
    for org_id in (999999, pending.id):
        assert_problem(
            s.staff[0].post(
                f"{URL}/{got['id']}/responses", json={"enterprise_id": org_id, "answers": {}}
            ),
            404,
        )


OWN = {
    "code": "platforms",
    "text": "主要销售平台",
    "kind": "multiple",
    "options": [{"code": "amazon", "label": "亚马逊"}],
}


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"code": "platforms\n"}, "questions.0.code"),
        ({"code": "p" * 61}, "questions.0.code"),
        ({"options": [{"code": "amazon\n", "label": "亚马逊"}]}, "questions.0.options.0.code"),
        ({"options": [{"code": "a" * 61, "label": "亚马逊"}]}, "questions.0.options.0.code"),
    ],
)
def test_codes_must_match_whole_with_no_trailing_newline(s, question, field):
    body = {"title": "调查", "year": 2026, "distributed": 10, "questions": [OWN | question]}
    errors = validation_errors(s.coord.post(URL, json=body))
    assert field in errors, errors


def test_a_report_question_with_a_trailing_newline_is_refused(s):
    got = opened(s)
    errors = validation_errors(
        s.coord.get(f"{URL}/{got['id']}/report?format=svg&question=majors%0A")
    )
    assert "question" in errors, errors


def test_only_staff_of_an_approved_enterprise_answer_for_it(s, as_user):
    got = opened(s)
    user = factories.member(factories.OrganizationFactory(), "staff")
    pending = factories.OrganizationFactory(status="pending")
    factories.MembershipFactory(user=user, organization=pending, role="admin")
    university = factories.UniversityFactory()
    factories.MembershipFactory(user=user, organization=university, role="admin")
    c = as_user(user)

    def post(org_id):
        return c.post(
            f"{URL}/{got['id']}/responses",
            json={"enterprise_id": org_id, "answers": {"job_category": "marketing"}},
        )

    assert "pending" in assert_problem(post(pending.id), 409)["detail"]
    assert "enterprise_id" in validation_errors(post(university.id))
    assert s.coord.get(f"{URL}/{got['id']}/report").get_json()["responses"] == 0


def test_chinese_text_round_trips_exactly(s):
    title = "2026年「跨境电商」人才需求调查——广州·天河（试点）"
    text = "贵司主要使用哪些跨境平台？（可多选）"
    labels = ["亚马逊（Amazon）", "速卖通，AliExpress", "希音 “SHEIN”", "𠮷野家直播间"]
    own = {
        "code": "platforms",
        "text": text,
        "kind": "multiple",
        "options": [{"code": f"p{k}", "label": label} for k, label in enumerate(labels)],
    }
    created = survey(s, title=title, template=None, questions=[own])
    for got in (created, s.coord.get(f"{URL}/{created['id']}").get_json()):
        assert got["title"] == title
        assert got["questions"][0]["text"] == text
        assert [o["label"] for o in got["questions"][0]["options"]] == labels
    s.coord.post(f"{URL}/{created['id']}/open", json={})
    ok = answer(s, 0, created["id"], {"platforms": ["p0", "p3"]})
    assert ok.status_code == 201, ok.get_json()
    report = s.coord.get(f"{URL}/{created['id']}/report").get_json()
    assert report["title"] == title
    assert [o["label"] for o in report["questions"][0]["options"]] == labels
    csv = s.coord.get(f"{URL}/{created['id']}/report?format=csv")
    assert csv.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv_module.reader(io.StringIO(csv.data[3:].decode("utf-8"))))
    assert [r[1] for r in rows[1:]] == [text] * len(labels)
    assert [(r[3], r[4]) for r in rows[1:]] == list(zip(labels, ["1", "0", "0", "1"], strict=True))


def test_the_report_documents_its_downloads(client):
    spec = client.get("/api/openapi.json").get_json()
    content = spec["paths"]["/api/v1/surveys/{survey_id}/report"]["get"]["responses"]["200"][
        "content"
    ]
    assert {"application/json", "text/csv; charset=utf-8", "image/svg+xml", "image/png"} <= set(
        content
    )
    assert any("spreadsheetml" in mime for mime in content)


def test_a_chart_compares_years_and_tells_one_years_surveys_apart():
    options = [
        {"code": "a", "label": "营销 / Marketing", "percent": 50.0, "previous_percent": 25.0},
        {"code": "b", "label": "技术 / Technical", "percent": 12.5, "previous_percent": 0.0},
    ]
    data = {
        "survey_id": 2,
        "year": 2026,
        "questions": [{"code": "job_category", "text": "岗位类别", "options": options}],
    }
    title, categories, series = survey_report.chart(data)
    assert (title, categories, series) == ("岗位类别 (%)", ["营销", "技术"], {"2026": [50.0, 12.5]})
    compared = data | {"compare_to": {"survey_id": 1, "year": 2025, "responses": 4}}
    assert survey_report.chart(compared, "job_category")[2] == {
        "2025": [25.0, 0.0],
        "2026": [50.0, 12.5],
    }
    same_year = data | {"compare_to": {"survey_id": 1, "year": 2026, "responses": 4}}
    assert list(survey_report.chart(same_year)[2]) == ["2026 #1", "2026 #2"]


def _answered_by_many(app, s, n: int, distributed: int, answers) -> dict:
    """An open survey answered by `n` new enterprises (`answers(k)` for the k-th), through the
    service (answering through the API would take a logged-in member of each)."""
    from cbec_alliance.surveys import services

    got = opened(s, distributed=distributed)
    with app.app_context():  # only around the service: requests get their own contexts
        survey = db.session.get(services.Survey, got["id"])
        for k in range(n):
            services.add_response(survey, factories.OrganizationFactory().id, answers(k))
        db.session.flush()
    return got


def test_percentages_round_half_up_where_float_rounding_would_not(app, s):
    # 1 of 32 is exactly 3.125 %: half up gives 3.13, Python's round() 3.12 (half to even).
    assert round(100 * 1 / 32, 2) == 3.12
    got = _answered_by_many(
        app, s, 32, 160, lambda k: {"job_category": "marketing" if k == 0 else "technical"}
    )
    report = s.coord.get(f"{URL}/{got['id']}/report").get_json()
    assert (report["responses"], report["response_rate"]) == (32, 20.0)
    jobs = {o["code"]: (o["count"], o["percent"]) for o in report["questions"][0]["options"]}
    assert jobs["marketing"] == (1, 3.13)
    assert jobs["technical"] == (31, 96.88)  # 96.875
    # 1 of 160 distributed is exactly 0.625 %: 0.63 half up (round() gives 0.62).
    assert round(100 * 1 / 160, 2) == 0.62
    one = _answered_by_many(app, s, 1, 160, lambda k: {"job_category": "marketing"})
    assert s.coord.get(f"{URL}/{one['id']}/report").get_json()["response_rate"] == 0.63
    csv = s.coord.get(f"{URL}/{got['id']}/report?format=csv").data[3:].decode("utf-8")
    row = next(r for r in csv_module.reader(io.StringIO(csv)) if r[2] == "marketing")
    assert row[4:] == ["1", "3.13"]


def _half_up_cents(part: int, whole: int) -> Fraction:
    """The exact reference: 100 * part / whole rounded half up to cents, as a Fraction."""
    return Fraction(math.floor(Fraction(10_000 * part, whole) + Fraction(1, 2)), 100)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.integers(1, 10_000_000),
        # Wholes whose cents often end in exactly one half: where half up and half even differ.
        st.sampled_from([8, 16, 32, 40, 80, 160, 320, 400, 800, 1600, 3200, 8000, 16000]),
    ).flatmap(lambda whole: st.tuples(st.integers(0, whole), st.just(whole)))
)
@example((1, 32))
@example((1, 160))
@example((2, 3))
@example((1, 8))
@example((0, 1))
def test_the_percent_helper_rounds_half_up_exactly(pair):
    part, whole = pair
    with localcontext() as c:
        c.prec = 60  # exact enough for any whole below 10**7
        reference = (Decimal(100 * part) / Decimal(whole)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    assert Fraction(reference) == _half_up_cents(part, whole)
    assert survey_report._percent(part, whole) == reference
    assert survey_report.percent(part, whole) == float(reference)


def test_percent_of_nothing_is_zero():
    assert survey_report.percent(0, 0) == 0.0
    assert survey_report._percent(3, 0) == Decimal(0)


def test_compare_to_the_survey_itself_is_refused(s):
    got = opened(s)
    errors = validation_errors(s.coord.get(f"{URL}/{got['id']}/report?compare_to={got['id']}"))
    assert list(errors) == ["compare_to"]
    for fmt in ("csv", "svg"):
        assert "compare_to" in validation_errors(
            s.coord.get(f"{URL}/{got['id']}/report?compare_to={got['id']}&format={fmt}")
        )


def _platforms(*codes: str) -> dict:
    labels = {"amazon": "亚马逊", "temu": "拼多多海外 Temu", "shopee": "虾皮", "wish": "Wish"}
    return {
        "code": "platforms",
        "text": "主要销售平台",
        "kind": "multiple",
        "options": [{"code": c, "label": labels[c]} for c in codes],
    }


def test_options_only_last_year_offered_stay_in_the_comparison(s):
    last = opened(s, year=2025, distributed=4, questions=[_platforms("amazon", "shopee", "wish")])
    answer(s, 0, last["id"], {"platforms": ["amazon", "wish"]})
    answer(s, 1, last["id"], {"platforms": ["shopee"]})
    this = opened(s, year=2026, distributed=4, questions=[_platforms("amazon", "temu")])
    answer(s, 0, this["id"], {"platforms": ["temu"]})
    report = s.coord.get(f"{URL}/{this['id']}/report?compare_to={last['id']}").get_json()
    question = next(q for q in report["questions"] if q["code"] == "platforms")
    got = {
        o["code"]: (
            o["count"],
            o["percent"],
            o["previous_count"],
            o["previous_percent"],
            o["change"],
            o["previous_only"],
        )
        for o in question["options"]
    }
    assert [o["code"] for o in question["options"]] == ["amazon", "temu", "shopee", "wish"]
    assert got == {
        "amazon": (0, 0.0, 1, 50.0, -50.0, False),
        "temu": (1, 100.0, 0, 0.0, 100.0, False),
        "shopee": (0, 0.0, 1, 50.0, -50.0, True),
        "wish": (0, 0.0, 1, 50.0, -50.0, True),
    }
    assert question["options"][2]["label"] == "虾皮"
    # Not compared, this year's options only.
    alone = s.coord.get(f"{URL}/{this['id']}/report").get_json()
    options = next(q for q in alone["questions"] if q["code"] == "platforms")["options"]
    assert [o["code"] for o in options] == ["amazon", "temu"]
    assert "previous_only" not in options[0]
    # The download and the chart carry last year's options too.
    csv = s.coord.get(f"{URL}/{this['id']}/report?compare_to={last['id']}&format=csv")
    rows = list(csv_module.reader(io.StringIO(csv.data[3:].decode("utf-8"))))
    shopee = next(r for r in rows if r[0] == "platforms" and r[2] == "shopee")
    assert shopee[3:] == ["虾皮", "0", "0.0", "1", "50.0", "-50.0", "True"]
    title, categories, series = survey_report.chart(report, "platforms")
    assert categories == ["亚马逊", "拼多多海外 Temu", "虾皮", "Wish"]
    assert series == {"2025": [50.0, 0.0, 50.0, 50.0], "2026": [0.0, 100.0, 0.0, 0.0]}


REPORT_HEADERS = [
    "题目代码 question",
    "题目 question text",
    "选项代码 option",
    "选项 option label",
    "数量 count",
    "比例% percent",
]
COMPARED_HEADERS = [
    "上期数量 previous count",
    "上期比例% previous percent",
    "变化（百分点） change (points)",
    "仅上期选项 previous only",
]


@pytest.mark.parametrize("compared", [False, True])
def test_report_downloads_have_chinese_and_english_headers(s, compared):
    last = opened(s, year=2025)
    got = opened(s)
    answer(s, 0, got["id"], {"job_category": "marketing"})
    query = f"compare_to={last['id']}&" if compared else ""
    want = REPORT_HEADERS + (COMPARED_HEADERS if compared else [])
    csv = s.coord.get(f"{URL}/{got['id']}/report?{query}format=csv")
    rows = list(csv_module.reader(io.StringIO(csv.data[3:].decode("utf-8"))))
    assert rows[0] == want
    book = s.coord.get(f"{URL}/{got['id']}/report?{query}format=xlsx")
    ws = load_workbook(io.BytesIO(book.data)).active
    assert [c.value for c in ws[1]] == want
    assert all(c.font.bold for c in ws[1])
    assert ws.max_row == len(rows)


def test_a_report_chart_draws_its_chinese_labels_as_glyphs_of_the_bundled_font(s):
    from matplotlib import font_manager

    from cbec_alliance.core import exports

    got = opened(s)
    answer(s, 0, got["id"], {"job_category": "marketing"})
    svg = s.coord.get(f"{URL}/{got['id']}/report?format=svg&question=job_category").data
    report = s.coord.get(f"{URL}/{got['id']}/report").get_json()
    label = report["questions"][0]["options"][0]["label"].split(" / ")[0]
    font = font_manager.get_font(exports.font_path())
    glyphs = set(re.findall(rb'id="NotoSansCJKsc-Regular-([0-9a-f]+)"', svg))
    for ch in label + report["questions"][0]["text"].split(" / ")[0]:
        index = font.get_char_index(ord(ch))
        assert index != 0, ch
        assert f"{index:x}".encode() in glyphs, ch
