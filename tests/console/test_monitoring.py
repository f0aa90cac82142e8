"""Coordinator and government pages: what each shows, who may see them, the approval forms."""

from __future__ import annotations

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from tests import factories
from tests.console.conftest import text_of
from tests.placements.factories import world

PAGES = (
    "/console/monitoring/",
    "/console/monitoring/partnerships",
    "/console/monitoring/skills-gap",
    "/console/monitoring/districts",
    "/console/monitoring/approvals",
)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_for_a_coordinator(coord, path):
    resp = coord.get(path)
    assert resp.status_code == 200
    assert "截至" in text_of(resp) or "待审批" in text_of(resp)


@pytest.mark.parametrize("path", PAGES)
def test_a_government_body_reads_them_too(as_user, ctx, path):
    gov = factories.OrganizationFactory(kind="government", uscc=None, size=None, platforms=None)
    staff = factories.MembershipFactory(organization=gov, role="staff").user
    assert as_user(staff).get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["admin", "staff", "student"])
def test_other_parties_are_refused_and_shown_nothing(as_user, ctx, path, role):
    org = factories.UniversityFactory() if role == "student" else factories.OrganizationFactory()
    person = factories.MembershipFactory(organization=org, role=role).user
    resp = as_user(person).get(path)
    assert resp.status_code == 403
    assert resp.mimetype == "text/html"
    assert "截至" not in text_of(resp)


def test_overview_shows_the_summary_figures(coord, ctx):
    factories.OrganizationFactory(name="广州出海示范企业")
    factories.UniversityFactory()
    text = text_of(coord.get("/console/monitoring/"))
    assert "联盟概览" in text
    # The figures are the monitoring summary's: the same as the API's at the same as_of.
    data = coord.get("/api/v1/monitoring/overview").get_json()
    approved = {
        row["kind"]: row["count"] for row in data["organizations"] if row["status"] == "approved"
    }
    assert f"企业 {approved['enterprise']}" in text
    assert f"高校 {approved['university']}" in text
    assert 'href="/api/v1/monitoring/overview?format=xlsx"' in coord.get(
        "/console/monitoring/"
    ).get_data(as_text=True)


def test_partnership_filters_use_the_api_rules(coord):
    bad = coord.get("/console/monitoring/partnerships?health=glowing")
    assert bad.status_code == 200  # the page stays usable, the field says what is wrong
    assert "health" in bad.get_data(as_text=True)
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)


def test_district_map_draws_every_district(coord):
    body = coord.get("/console/monitoring/districts?measure=enterprises").get_data(as_text=True)
    for name in ("越秀区", "天河区", "番禺区", "南沙区", "从化区", "增城区"):
        assert name in body
    assert body.count("<rect ") >= 11
    unknown = coord.get("/console/monitoring/districts?measure=;drop")
    assert unknown.status_code == 200  # an unknown measure falls back to the gap


def test_approve_and_reject_from_the_queue(coord, ctx):
    waiting = factories.OrganizationFactory(status="pending", name="待审企业甲")
    other = factories.OrganizationFactory(status="pending", name="待审企业乙")
    queue = text_of(coord.get("/console/monitoring/approvals"))
    assert "待审企业甲" in queue
    assert "待审企业乙" in queue
    resp = coord.post(f"/console/monitoring/approvals/{waiting.id}", data={"action": "approve"})
    assert resp.status_code == 303
    assert db.session.get(Organization, waiting.id).status == "approved"
    after = text_of(coord.get("/console/monitoring/approvals"))
    assert "已批准 待审企业甲" in after
    assert "待审企业甲 " not in after.split("待审的组织")[-1]
    coord.post(
        f"/console/monitoring/approvals/{other.id}",
        data={"action": "reject", "reason": "材料不全"},
    )
    assert db.session.get(Organization, other.id).status == "rejected"
    # A second decision on a decided organization is the service's 409, shown as a message.
    again = coord.post(f"/console/monitoring/approvals/{other.id}", data={"action": "reject"})
    assert again.status_code == 303
    assert "不能执行“reject”" in text_of(coord.get("/console/monitoring/approvals"))


def test_approval_needs_a_known_action_and_a_coordinator(as_user, coord, ctx):
    waiting = factories.OrganizationFactory(status="pending")
    assert (
        coord.post(f"/console/monitoring/approvals/{waiting.id}", data={"action": "x"}).status_code
        == 422
    )
    gov = factories.OrganizationFactory(kind="government", uscc=None, size=None, platforms=None)
    staff = as_user(factories.MembershipFactory(organization=gov, role="admin").user)
    assert "只有协调员" in text_of(staff.get("/console/monitoring/approvals"))
    refused = staff.post(f"/console/monitoring/approvals/{waiting.id}", data={"action": "approve"})
    assert refused.status_code == 403
    assert db.session.get(Organization, waiting.id).status == "pending"


REPORTS = (
    "/console/monitoring/internships",
    "/console/monitoring/placements",
    "/console/monitoring/employment",
)


@pytest.mark.parametrize("path", REPORTS)
def test_reports_for_a_coordinator_with_downloads(coord, path):
    resp = coord.get(path)
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "截至" in text_of(resp)
    name = path.rsplit("/", 1)[1]
    assert f"/api/v1/monitoring/{name}?format=csv" in body


@pytest.mark.parametrize("path", REPORTS)
def test_reports_refuse_students_and_strangers(as_user, ctx, path):
    student = factories.MembershipFactory(
        organization=factories.UniversityFactory(), role="student"
    ).user
    resp = as_user(student).get(path)
    assert resp.status_code == 403
    assert "截至" not in text_of(resp)


def test_a_university_sees_only_its_own_placements(as_user, ctx):
    mine, theirs = world(), world()
    text = text_of(as_user(mine.uni_staff).get("/console/monitoring/placements"))
    assert mine.university.name in text
    assert theirs.university.name not in text


def test_bad_report_filters_are_named_not_fatal(coord):
    resp = coord.get("/console/monitoring/internships?from=13-2026")
    assert resp.status_code == 200
    assert "以下筛选条件无法识别" in text_of(resp)
    assert "from" in text_of(resp)
    year = coord.get("/console/monitoring/employment?year=abc")
    assert year.status_code == 200
    assert "year" in text_of(year)


def test_training_bases_are_approved_with_a_level_or_rejected_with_a_reason(coord, ctx):
    from cbec_alliance.training_bases.models import TrainingBase  # noqa: PLC0415

    host = factories.OrganizationFactory()
    first = TrainingBase(
        name="跨境直播实训基地", host_enterprise_id=host.id, district="tianhe", capacity=40
    )
    second = TrainingBase(
        name="海外仓实训基地", host_enterprise_id=host.id, district="nansha", capacity=20
    )
    db.session.add_all([first, second])
    db.session.commit()
    page = text_of(coord.get("/console/monitoring/approvals"))
    assert "跨境直播实训基地" in page
    assert "海外仓实训基地" in page
    url = "/console/monitoring/approvals/bases/{}"
    bad = coord.post(url.format(first.id), data={"action": "approve", "level": "galactic"})
    assert bad.status_code == 303
    assert db.session.get(TrainingBase, first.id).status == "applied"
    assert "level" in text_of(coord.get("/console/monitoring/approvals"))
    no_reason = coord.post(url.format(second.id), data={"action": "reject", "reason": ""})
    assert no_reason.status_code == 303
    assert db.session.get(TrainingBase, second.id).status == "applied"
    coord.post(url.format(first.id), data={"action": "approve", "level": "provincial"})
    assert db.session.get(TrainingBase, first.id).status == "approved"
    assert db.session.get(TrainingBase, first.id).level == "provincial"
    coord.post(url.format(second.id), data={"action": "reject", "reason": "场地不符合要求"})
    assert db.session.get(TrainingBase, second.id).status == "rejected"
    assert db.session.get(TrainingBase, second.id).status_reason == "场地不符合要求"
