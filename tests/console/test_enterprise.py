"""The enterprise's console pages through the test client: postings, the posting form with
its rules panel, publishing, the applicant pipeline and recommended students."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Application
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from tests import factories
from tests.applications.factories import scene
from tests.console.conftest import csrf_of, text_of
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

E = "/console/enterprise"
# The console speaks Chinese unless asked otherwise; the API answers in the language asked.
ZH = {"Accept-Language": "zh-CN"}


def page_text(resp) -> str:
    return html.unescape(text_of(resp))


def form(**overrides) -> dict:
    """A new posting's form as a browser sends it (rule-compliant internship)."""
    start = date.today() + timedelta(days=40)
    data = {
        "title": "跨境电商直播运营实习生",
        "description": "协助抖音与TikTok直播带货。Help with live-stream sales.",
        "kind": "internship",
        "category": "marketing",
        "district": "tianhe",
        "mode": "onsite",
        "slots": "2",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(),
        "apply_by": (start - timedelta(days=10)).isoformat(),
        "hours_per_day": "8",
        "hours_per_week": "40",
        "insurance_provided": "1",
        "competency_0": "platform-operation",
        "competency_level_0": "2",
        "majors": ["e-commerce"],
        "languages": ["en"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def shop():
    """An enterprise, its admin, a second posting draft, and an outsider's enterprise."""
    org = factories.OrganizationFactory(name="广州跨境优品贸易有限公司")
    admin = factories.member(org, "admin", name="管理员 甲")
    InternshipFactory(enterprise_id=org.id, title="亚马逊运营实习生", status="open")
    InternshipFactory(enterprise_id=org.id, title="独立站草稿实习", status="draft")
    other = factories.OrganizationFactory()
    InternshipFactory(enterprise_id=other.id, title="别家的秘密草稿", status="draft")
    return org, admin, other


def assert_hidden(c, org_id: int, internship_id: int, title: str) -> None:
    """Every page of the posting is 403/404, without its title."""
    for url in (
        f"{E}/{org_id}/postings/{internship_id}",
        f"{E}/{org_id}/postings/{internship_id}/applicants",
        f"{E}/{org_id}/postings/{internship_id}/recommended",
    ):
        resp = c.get(url)
        assert resp.status_code in (403, 404), url
        assert title not in page_text(resp)


def _stored(title: str) -> Internship | None:
    return db.session.scalar(sa.select(Internship).where(Internship.title == title))


# --- postings ------------------------------------------------------------------------------


def test_postings_list_drafts_included_and_filters_by_status(as_user, shop):
    org, admin, _other = shop
    c = as_user(admin)
    resp = c.get(f"{E}/{org.id}/postings")
    assert resp.status_code == 200
    text = page_text(resp)
    assert "亚马逊运营实习生" in text
    assert "独立站草稿实习" in text
    assert "别家的秘密草稿" not in text
    assert "0 / 2" in text  # slots filled of total
    drafts = page_text(c.get(f"{E}/{org.id}/postings?status=draft"))
    assert "独立站草稿实习" in drafts
    assert "亚马逊运营实习生" not in drafts
    bad = c.get(f"{E}/{org.id}/postings?status=nonsense")
    assert bad.status_code == 200
    assert "Must be one of" in page_text(bad)


def test_the_area_is_offered_on_home_and_anonymous_goes_to_login(client, as_user, shop):
    org, admin, _other = shop
    resp = client.get(f"{E}/{org.id}/postings")
    assert resp.status_code == 302
    assert "/console/login" in resp.headers["Location"]
    home = as_user(admin).get("/console/")
    assert home.status_code == 302
    assert home.headers["Location"].endswith(f"{E}/{org.id}/postings")


@pytest.mark.parametrize("who", ["other_staff", "student", "member", "university_staff"])
def test_no_page_for_others(as_user, shop, who):
    org, _admin, other = shop
    posting = _stored("亚马逊运营实习生")
    users = {
        "other_staff": lambda: factories.member(other, "admin"),
        "student": lambda: student(),
        "member": lambda: factories.member(org, "member"),
        "university_staff": lambda: factories.member(factories.UniversityFactory(), "staff"),
    }
    c = as_user(users[who]())
    assert_hidden(c, org.id, posting.id, "亚马逊运营实习生")
    for url in (f"{E}/{org.id}/postings", f"{E}/{org.id}/postings/new"):
        resp = c.get(url)
        assert resp.status_code == 403
        assert "亚马逊运营实习生" not in page_text(resp)
    resp = c.post(f"{E}/{org.id}/postings/new", data=form(title="不该存在"))
    assert resp.status_code in (403, 404)
    assert _stored("不该存在") is None
    resp = c.post(f"{E}/{org.id}/postings/{posting.id}/close")
    assert resp.status_code in (403, 404)
    assert posting.status == "open"


def test_another_enterprises_posting_under_my_id_is_404(as_user, shop):
    org, admin, other = shop
    secret = _stored("别家的秘密草稿")
    c = as_user(admin)
    assert_hidden(c, org.id, secret.id, "别家的秘密草稿")
    assert_hidden(c, other.id, secret.id, "别家的秘密草稿")
    assert c.get(f"{E}/{other.id}/postings").status_code == 403


def test_a_pending_enterprise_or_a_university_has_no_enterprise_pages(as_user):
    pending = factories.OrganizationFactory(status="pending")
    uni = factories.UniversityFactory()
    resp = as_user(factories.member(pending, "admin")).get(f"{E}/{pending.id}/postings")
    assert resp.status_code == 409
    resp = as_user(factories.member(uni, "admin")).get(f"{E}/{uni.id}/postings")
    assert resp.status_code == 404


# --- the posting form ----------------------------------------------------------------------


def test_a_new_posting_is_saved_as_a_draft(as_user, shop):
    org, admin, _other = shop
    c = as_user(admin)
    blank = c.get(f"{E}/{org.id}/postings/new")
    assert blank.status_code == 200
    assert 'maxlength="200"' in blank.get_data(as_text=True)
    resp = c.post(f"{E}/{org.id}/postings/new", data=form())
    assert resp.status_code == 303, page_text(resp)
    posting = _stored("跨境电商直播运营实习生")
    assert posting is not None
    assert posting.status == "draft"
    assert posting.enterprise_id == org.id
    assert [c.code for c in posting.competencies] == ["platform-operation"]
    assert [m.code for m in posting.majors] == ["e-commerce"]
    assert posting.insurance_provided is True
    assert posting.night_shifts is False
    assert resp.headers["Location"].endswith(f"{E}/{org.id}/postings/{posting.id}")
    shown = page_text(c.get(resp.headers["Location"]))
    assert "草稿已保存：跨境电商直播运营实习生" in shown


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": None}, "title", "Missing data for required field."),
        ({"hours_per_day": "很多"}, "hours_per_day", "Not a valid number."),
        ({"slots": "0"}, "slots", "Must be greater than or equal to 1"),
        ({"category": "no-such-category"}, "category", "category"),
        ({"stipend_min": "5000", "stipend_max": "100"}, "stipend_max", "must not be below"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_stored(
    as_user, shop, overrides, field, message
):
    org, admin, _other = shop
    data = form(title="坏表单", **{k: v for k, v in overrides.items() if k != "title"})
    if "title" in overrides:
        data.pop("title")
    resp = as_user(admin).post(f"{E}/{org.id}/postings/new", data=data)
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert f'id="e-{field}"' in body
    assert message in page_text(resp)
    assert _stored("坏表单") is None


def test_editing_saves_through_the_service_and_an_open_posting_keeps_the_rules(as_user, shop):
    org, admin, _other = shop
    posting = _stored("亚马逊运营实习生")
    c = as_user(admin)
    resp = c.get(f"{E}/{org.id}/postings/{posting.id}")
    assert resp.status_code == 200
    values = form(title="亚马逊运营实习生（新）", majors=[], languages=["en", "es"])
    resp = c.post(f"{E}/{org.id}/postings/{posting.id}", data=values)
    assert resp.status_code == 303, page_text(resp)
    assert posting.title == "亚马逊运营实习生（新）"
    assert [x.code for x in posting.languages] == ["en", "es"]
    assert posting.majors == []
    # An open posting may not break the rules: the service's 409, its message on the form.
    resp = c.post(f"{E}/{org.id}/postings/{posting.id}", data=form(hours_per_day="10"))
    assert resp.status_code == 409
    assert "max_hours_per_day" in page_text(resp)
    db.session.refresh(posting)
    assert posting.hours_per_day == 8
    # An emptied required field is refused, not silently kept.
    resp = c.post(f"{E}/{org.id}/postings/{posting.id}", data=form(title=""))
    assert resp.status_code == 422
    assert 'id="e-title"' in resp.get_data(as_text=True)


def test_the_rules_panel_marks_each_rule(as_user, shop):
    org, admin, _other = shop
    c = as_user(admin)
    url = f"{E}/{org.id}/postings/rules"
    ok = c.post(url, data=form())
    assert ok.status_code == 200
    body = ok.get_data(as_text=True)
    assert body.count('class="ok"') == 5
    assert "<html" not in body
    broken = c.post(
        url,
        data=form(hours_per_day="10", night_shifts="1", insurance_provided=None, fee_charged="1"),
    )
    text = page_text(broken)
    assert broken.get_data(as_text=True).count('class="bad"') == 4
    assert "每日实习不超过 8 小时" in text
    assert "违反规定：4 项。" in text
    unknown = c.post(url, data=form(hours_per_day="", hours_per_week="abc"))
    body = unknown.get_data(as_text=True)
    assert body.count('class="unknown"') == 2
    assert "Not a valid number." in page_text(unknown)
    job = c.post(url, data=form(kind="part_time", night_shifts="1"))
    assert "这些规定只约束实习岗位" in page_text(job)
    other = factories.OrganizationFactory()
    assert (
        as_user(factories.member(other, "staff"))
        .post(f"{E}/{org.id}/postings/rules", data=form())
        .status_code
        == 403
    )


def test_publish_refused_by_a_rule_shows_the_409_then_publishes(as_user, shop):
    org, admin, _other = shop
    c = as_user(admin)
    c.post(f"{E}/{org.id}/postings/new", data=form(hours_per_week="48"))
    posting = _stored("跨境电商直播运营实习生")
    assert posting.status == "draft"
    page = c.get(f"{E}/{org.id}/postings/{posting.id}")
    assert 'data-rule="max_hours_per_week"' in page.get_data(as_text=True)
    refused = c.post(f"{E}/{org.id}/postings/{posting.id}/publish")
    assert refused.status_code == 409
    api = c.post(f"/api/v1/internships/{posting.id}/publish", headers=ZH).get_json()
    assert api["detail"] in page_text(refused)
    assert posting.status == "draft"
    c.post(f"{E}/{org.id}/postings/{posting.id}", data=form(hours_per_week="40"))
    resp = c.post(f"{E}/{org.id}/postings/{posting.id}/publish")
    assert resp.status_code == 303
    assert posting.status == "open"
    closed = c.post(f"{E}/{org.id}/postings/{posting.id}/close")
    assert closed.status_code == 303
    assert posting.status == "closed"
    again = c.post(f"{E}/{org.id}/postings/{posting.id}/close")
    assert again.status_code == 409
    api = c.post(f"/api/v1/internships/{posting.id}/close", headers=ZH).get_json()
    assert api["detail"] in page_text(again)
    assert c.post(f"{E}/{org.id}/postings/{posting.id}/explode").status_code == 404


def test_a_draft_is_deleted_and_a_published_posting_is_not(as_user, shop):
    org, admin, _other = shop
    c = as_user(admin)
    draft = _stored("独立站草稿实习")
    resp = c.post(f"{E}/{org.id}/postings/{draft.id}/delete")
    assert resp.status_code == 303
    assert _stored("独立站草稿实习") is None
    open_one = _stored("亚马逊运营实习生")
    refused = c.post(f"{E}/{org.id}/postings/{open_one.id}/delete")
    assert refused.status_code == 409
    api = c.delete(f"/api/v1/internships/{open_one.id}", headers=ZH).get_json()
    assert api["detail"] in page_text(refused)


def test_forms_without_the_csrf_token_are_refused(app, shop):
    org, admin, _other = shop
    c = app.test_client()
    login_page = c.get("/console/login")
    c.post(
        "/console/login",
        data={
            "email": admin.email,
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(login_page),
        },
    )
    assert c.get(f"{E}/{org.id}/postings").status_code == 200
    # The app's own check answers first (403); the console's would answer 400.
    resp = c.post(f"{E}/{org.id}/postings/new", data=form(title="没有令牌"))
    assert resp.status_code in (400, 403)
    assert _stored("没有令牌") is None
    draft = _stored("独立站草稿实习")
    assert c.post(f"{E}/{org.id}/postings/{draft.id}/publish").status_code in (400, 403)
    assert draft.status == "draft"
    assert c.post(f"{E}/{org.id}/postings/rules", data=form()).status_code in (400, 403)
    # With the form's token the same client gets through.
    token = csrf_of(c.get(f"{E}/{org.id}/postings/new"))
    resp = c.post(f"{E}/{org.id}/postings/new", data=form(title="有令牌", csrf_token=token))
    assert resp.status_code == 303
    assert _stored("有令牌") is not None


# --- applicants and recommended students ---------------------------------------------------


def test_the_pipeline_shows_columns_and_moves_an_application(as_user):
    s = scene()
    org_id = s.posting.enterprise_id
    c = as_user(s.staff)
    url = f"{E}/{org_id}/postings/{s.posting.id}/applicants"
    resp = c.get(url)
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert s.student.name in page_text(resp)
    # The enterprise's steps from `submitted`, and no student step.
    assert 'value="shortlist"' in body
    assert 'value="offer"' in body
    assert 'value="reject"' in body
    assert 'value="accept"' not in body
    assert 'value="withdraw"' not in body
    moved = c.post(f"{url}/{s.application.id}", data={"verb": "shortlist", "note": "面试表现很好"})
    assert moved.status_code == 303
    assert s.application.status == "shortlisted"
    assert s.application.transitions[-1].note == "面试表现很好"
    after = c.get(url).get_data(as_text=True)
    assert 'value="shortlist"' not in after
    assert 'value="offer"' in after


def test_a_refused_step_shows_the_services_message(as_user):
    s = scene("rejected")
    org_id = s.posting.enterprise_id
    c = as_user(s.staff)
    url = f"{E}/{org_id}/postings/{s.posting.id}/applicants/{s.application.id}"
    resp = c.post(url, data={"verb": "offer"})
    assert resp.status_code == 409
    api = c.post(f"/api/v1/applications/{s.application.id}/offer", json={}, headers=ZH).get_json()
    assert api["detail"] in page_text(resp)
    assert s.application.status == "rejected"
    # A student's step is the student's: the service's 403 message, nothing moved.
    offered = scene("offered")
    c2 = as_user(offered.staff)
    resp = c2.post(
        f"{E}/{offered.posting.enterprise_id}/postings/{offered.posting.id}/applicants/"
        f"{offered.application.id}",
        data={"verb": "accept"},
    )
    assert resp.status_code == 409
    api = c2.post(
        f"/api/v1/applications/{offered.application.id}/accept", json={}, headers=ZH
    ).get_json()
    assert api["detail"] in page_text(resp)
    assert offered.application.status == "offered"
    bad = c2.post(
        f"{E}/{offered.posting.enterprise_id}/postings/{offered.posting.id}/applicants/"
        f"{offered.application.id}",
        data={"verb": "reject", "note": "长" * 2001},
    )
    assert bad.status_code == 422
    assert 'id="e-note-' in bad.get_data(as_text=True)
    assert offered.application.status == "offered"
    unknown = c2.post(
        f"{E}/{offered.posting.enterprise_id}/postings/{offered.posting.id}/applicants/"
        f"{offered.application.id}",
        data={"verb": "explode"},
    )
    assert unknown.status_code == 422


def test_others_cannot_see_or_move_applications(as_user):
    s = scene()
    org_id = s.posting.enterprise_id
    url = f"{E}/{org_id}/postings/{s.posting.id}/applicants"
    for outsider in (
        factories.member(factories.OrganizationFactory(), "admin"),
        s.student,
        factories.member(s.university, "staff"),
    ):
        c = as_user(outsider)
        resp = c.get(url)
        assert resp.status_code in (403, 404)
        assert f'id="application-{s.application.id}"' not in resp.get_data(as_text=True)
        moved = c.post(f"{url}/{s.application.id}", data={"verb": "reject"})
        assert moved.status_code in (403, 404)
    assert s.application.status == "submitted"
    # The application of another posting, even of the same enterprise, is not this one's.
    other_posting = InternshipFactory(enterprise_id=org_id)
    resp = as_user(s.staff).post(
        f"{E}/{org_id}/postings/{other_posting.id}/applicants/{s.application.id}",
        data={"verb": "reject"},
    )
    assert resp.status_code == 404
    assert db.session.get(Application, s.application.id).status == "submitted"


def test_recommended_students_with_reasons(as_user):
    s = scene(competencies={"platform-operation": 2}, majors=["e-commerce"])
    c = as_user(s.staff)
    resp = c.get(f"{E}/{s.posting.enterprise_id}/postings/{s.posting.id}/recommended")
    assert resp.status_code == 200
    text = page_text(resp)
    assert s.student.name in text
    assert "符合: 能力 跨境平台运营" in text
    assert "（等级 3，要求 2）" in text
    assert "匹配度：" in text
    bad = c.get(f"{E}/{s.posting.enterprise_id}/postings/{s.posting.id}/recommended?page=0")
    assert bad.status_code == 200
