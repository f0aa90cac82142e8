"""The dual-qualified share per university of its teachers of the CBEC majors."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from cbec_alliance.teaching import dual
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.teaching.conftest import STAYS, UNI_TEACHERS


def teacher(world, as_user, name, majors, title=None):
    user = factories.member(world["uni"], "staff", name=name)
    c = as_user(user)
    body = {"majors_taught": majors, "industry_title": title}
    assert c.put(f"{UNI_TEACHERS}/me", json=body).status_code == 200
    c.user = user
    return c


def practise(world, c, starts_on, ends_on, confirm=True):
    body = {
        "enterprise_id": world["ent"].id,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "hours": 400,
        "tasks": "跨境店铺运营实践",
    }
    resp = c.post(STAYS, json=body)
    assert resp.status_code == 201, resp.get_json()
    if confirm:
        world["ent_staff"].post(f"{STAYS}/{resp.get_json()['id']}/confirm", json={})


@pytest.fixture
def faculty(world, as_user):
    """Four teachers of the world's university: practice, a title, too little, another major."""
    a = teacher(world, as_user, "陈静", ["e-commerce"])
    practise(world, a, "2026-01-01", "2026-06-29")  # 180 days, confirmed
    teacher(world, as_user, "林峰", ["marketing"], title="高级电子商务师")
    c = teacher(world, as_user, "黄蓉", ["international-business"])
    practise(world, c, "2026-01-01", "2026-03-01")  # two months only
    practise(world, c, "2026-04-01", "2026-12-31", confirm=False)  # not confirmed
    teacher(world, as_user, "郭靖", ["computer-science"], title="系统架构师")  # not a CBEC major
    return a


def url(org_id: int, fmt: str = "json") -> str:
    return f"/api/v1/universities/{org_id}/dual-qualified?format={fmt}"


def test_the_share_counts_practice_or_a_title(world, faculty, coord):
    for viewer in (world["staff"], coord):
        data = viewer.get(url(world["uni"].id)).get_json()
        assert data["teachers"] == 3
        assert data["dual_qualified"] == 2
        assert data["share"] == pytest.approx(0.6667)
        assert data["rule"] == {
            "practice_months": 6,
            "within_years": 5,
            "industry_title_counts": True,
            "days_per_month": 30,
        }
        assert "computer-science" not in data["cbec_majors"]
        by_name = {i["name"]: i for i in data["items"]}
        assert by_name["陈静"]["dual_qualified"]
        assert by_name["陈静"]["practice_months"] == 6.0
        assert by_name["林峰"]["dual_qualified"]
        assert not by_name["黄蓉"]["dual_qualified"]
        assert "郭靖" not in by_name


def test_the_rule_is_configurable(world, faculty, app, monkeypatch):
    monkeypatch.setitem(app.config, "DUAL_QUALIFIED_BY_INDUSTRY_TITLE", False)
    monkeypatch.setitem(app.config, "DUAL_QUALIFIED_PRACTICE_MONTHS", 2)
    data = world["staff"].get(url(world["uni"].id)).get_json()
    assert {i["name"] for i in data["items"] if i["dual_qualified"]} == {"陈静", "黄蓉"}
    # Five years on, the 2026 practice has left the window.
    world["clock"](date(2031, 7, 1))
    monkeypatch.setitem(app.config, "DUAL_QUALIFIED_PRACTICE_MONTHS", 6)
    assert world["staff"].get(url(world["uni"].id)).get_json()["dual_qualified"] == 0


def test_csv_and_xlsx_downloads(world, faculty):
    resp = world["staff"].get(url(world["uni"].id, "csv"))
    assert resp.status_code == 200
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("教师编号 teacher id,姓名 name")
    assert "陈静" in text
    assert "是" in text
    resp = world["staff"].get(url(world["uni"].id, "xlsx"))
    sheet = load_workbook(io.BytesIO(resp.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["陈静", "林峰", "黄蓉"])


def test_a_university_without_teachers_has_no_share(world):
    data = world["other_uni_staff"].get(url(world["other_uni"].id)).get_json()
    assert data["teachers"] == 0
    assert data["share"] is None


def test_shares_for_insights(world, faculty, ctx):
    got = dual.shares([world["uni"].id, world["other_uni"].id], on=date(2027, 6, 7))
    assert got[world["uni"].id] == {"teachers": 3, "dual_qualified": 2, "share": 0.6667}
    assert got[world["other_uni"].id] == {"teachers": 0, "dual_qualified": 0, "share": None}
    assert set(dual.shares(on=date(2027, 6, 7))) == {world["uni"].id}


@pytest.mark.parametrize(("months", "by_title"), [(6, True), (4, False), (0, False)])
def test_shares_agree_with_each_teachers_assessment(
    world, faculty, as_user, app, monkeypatch, months, by_title
):
    # shares() reads three columns and the stays in one query; report() assesses each
    # teacher as an object. A teacher with two confirmed stays (five months together) and
    # one with none make the rule's every branch count.
    two = teacher(world, as_user, "杨过", ["logistics-management"])
    practise(world, two, "2026-01-01", "2026-03-01")
    practise(world, two, "2026-05-01", "2026-07-31")
    teacher(world, as_user, "小龙女", ["e-commerce"])
    monkeypatch.setitem(app.config, "DUAL_QUALIFIED_PRACTICE_MONTHS", months)
    monkeypatch.setitem(app.config, "DUAL_QUALIFIED_BY_INDUSTRY_TITLE", by_title)
    on = date(2027, 6, 7)
    with app.app_context():
        full = dual.report(world["uni"].id, on=on)
        got = dual.shares([world["uni"].id], on=on)[world["uni"].id]
        assert got == {k: full[k] for k in ("teachers", "dual_qualified", "share")}
        assert dual.shares(on=on)[world["uni"].id] == got
    months_of = {i["name"]: i["practice_months"] for i in full["items"]}
    assert months_of["杨过"] == 5.1  # both stays counted: 60 + 92 days
    assert got["teachers"] == 5


def test_anonymous_gets_401(client, world):
    assert_problem(client.get(url(world["uni"].id)), 401)


@pytest.mark.parametrize("who", ["other_uni_staff", "student", "ent_staff", "teacher"])
def test_others_get_403_and_no_data(world, faculty, who):
    problem = assert_problem(world[who].get(url(world["uni"].id)), 403)
    assert "items" not in problem
    assert_problem(world[who].get(url(world["uni"].id, "csv")), 403)


def test_an_unknown_or_non_university_is_404(world, coord):
    assert_problem(coord.get(url(999999)), 404)
    assert_problem(coord.get(url(world["ent"].id)), 404)


def test_bad_formats_are_422(world):
    for fmt in ("pdf", "svg", ""):
        assert "format" in validation_errors(world["staff"].get(url(world["uni"].id, fmt)))
