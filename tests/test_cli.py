"""The `flask` commands: create-coordinator and demo-data."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.careers.models import CertificateRecord
from cbec_alliance.cli import DEMO_PASSWORD
from cbec_alliance.core.capacity import mismatches
from cbec_alliance.extensions import db
from cbec_alliance.organizations.codes import uscc_error
from cbec_alliance.organizations.models import Organization
from cbec_alliance.placements import facts
from cbec_alliance.placements.models import Placement
from cbec_alliance.policies.models import APPLICATION_STATES, BUDGET, Policy, PolicyApplication
from cbec_alliance.policies.models import KINDS as POLICY_KINDS


def _counts():
    """Rows per table: a second demo-data run must not change any of them."""
    return {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def test_create_coordinator_then_login(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-coordinator", "--email", "Gov@GZ.example.cn", "--password", "0123456789ab"]
    )
    assert result.exit_code == 0, result.output
    assert "coordinator gov@gz.example.cn" in result.output
    resp = client.post(
        "/api/v1/auth/login", json={"email": "gov@gz.example.cn", "password": "0123456789ab"}
    )
    assert resp.status_code == 200
    assert resp.get_json()["user"]["platform_role"] == "coordinator"


def test_create_coordinator_promotes_existing_user(app, client):
    client.post(
        "/api/v1/auth/register",
        json={"email": "chen@gz.example.cn", "password": "0123456789ab", "name": "陈"},
    )
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-coordinator", "--email", "chen@gz.example.cn", "--password", "whatever-123"]
    )
    assert result.exit_code == 0
    user = db.session.scalar(sa.select(User).where(User.email == "chen@gz.example.cn"))
    assert user.platform_role == "coordinator"


def test_create_coordinator_rejects_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-coordinator", "--email", "x@gz.example.cn", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "10 characters" in result.output


def test_demo_data_is_idempotent_and_valid(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output
    assert "coordinator@demo.cbec-alliance.cn" in first.output
    after_first = _counts()
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0
    assert _counts() == after_first
    for table in (
        "users",
        "student_profiles",
        "internships",
        "applications",
        "courses",
        "training_bases",
        "competitions",
        "events",
        "match_rounds",
        "match_round_internships",
        "partnerships",
        "surveys",
        "survey_answers",
        "placements",
        "placement_check_ins",
        "placement_logs",
        "placement_incidents",
        "placement_compliance_alerts",
        "placement_agreements",
        "placement_signatures",
        "certificate_exams",
        "certificate_exam_registrations",
        "certificate_records",
        "programmes",
        "programme_partners",
        "programme_members",
        "teaching_assignments",
        "practice_stays",
        "destinations",
        "policies",
        "policy_applications",
        "indicators",
        "annual_reports",
    ):
        assert after_first[table] > 0, f"the demo has no {table}"
    orgs = db.session.scalars(sa.select(Organization)).all()
    assert {o.kind for o in orgs} == {"enterprise", "university", "government", "association"}
    policy_states = set(db.session.scalars(sa.select(PolicyApplication.state)))
    assert policy_states == set(APPLICATION_STATES)
    assert set(db.session.scalars(sa.select(Policy.kind))) == set(POLICY_KINDS)
    assert mismatches(BUDGET) == []  # granted totals agree with the approved amounts
    states = set(db.session.scalars(sa.select(Placement.state)))
    assert states == {"preparing", "active", "suspended", "completed", "terminated"}
    # Every placement that started has a fully signed agreement; a prepared one waits.
    with app.app_context():
        for placement in db.session.scalars(sa.select(Placement)):
            ready = facts.readiness(placement, facts.terms(placement))
            assert ready.agreement_signed == (placement.state != "preparing"), placement.state
    assert all(uscc_error(o.uscc) is None for o in orgs if o.kind == "enterprise")
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "student4-1@demo.cbec-alliance.cn", "password": DEMO_PASSWORD},
    )
    assert login.status_code == 200
    memberships = login.get_json()["user"]["memberships"]
    assert memberships[0]["role"] == "student"
    assert memberships[0]["organization_kind"] == "university"
    # The demo's certificate record verifies by its number and holder.
    record = db.session.scalars(sa.select(CertificateRecord)).first()
    verified = client.get(
        "/api/v1/certificates/verify",
        query_string={"number": record.number, "name": record.holder_name},
    )
    assert verified.status_code == 200, verified.get_json()


def test_demo_skills_gap_has_last_years_survey_weight(app, coord):
    assert app.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    gap = coord.get("/api/v1/monitoring/skills-gap").get_json()
    weights = {row["code"]: row for row in gap["items"]}
    assert gap["survey_id"] is not None
    assert weights["platform-operation"]["survey_weight"] > 0
    this_year = coord.get("/api/v1/surveys?status=open").get_json()["items"][0]
    report = coord.get(f"/api/v1/surveys/{this_year['id']}/report?compare_to={gap['survey_id']}")
    assert report.status_code == 200
    assert report.get_json()["compare_to"]["responses"] == 3


def test_demo_is_fresh_from_the_start_for_the_government(app, client):
    """Right after loading the demo, before any beat: the government body's admin reads every
    monitoring view with its `as_of`, and every live partnership has its health."""
    assert app.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    gov = client.post(
        "/api/v1/auth/login",
        json={"email": "admin6@demo.cbec-alliance.cn", "password": DEMO_PASSWORD},
    )
    assert gov.get_json()["user"]["memberships"][0]["organization_kind"] == "government"
    listed = client.get("/api/v1/partnerships").get_json()["items"]
    live = [p for p in listed if p["status"] in ("active", "suspended")]
    assert live, "the demo has a live partnership"
    assert all(p["health"] is not None for p in live), live
    for p in live:
        assert client.get(f"/api/v1/partnerships/{p['id']}").get_json()["health"] is not None
    routes = {
        r.rule
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/monitoring/") and "GET" in (r.methods or ())
    }
    for rule in sorted(routes):
        resp = client.get(rule)
        assert resp.status_code == 200, (rule, resp.get_json())
        assert resp.get_json()["as_of"].endswith("Z"), rule
    summary = client.get("/api/v1/monitoring/partnerships").get_json()
    assert all(r["health"] is not None for r in summary["items"] if r["status"] == "active")
