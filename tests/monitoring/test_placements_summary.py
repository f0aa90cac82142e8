"""GET /api/v1/monitoring/placements: the figures, the downloads, and whose figures who sees."""

from __future__ import annotations

import pytest

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.placements.hours import local_day
from cbec_alliance.placements.records_models import ComplianceAlert, Incident
from tests import factories
from tests.factories import Base
from tests.helpers import assert_problem
from tests.monitoring.test_export_injection import safe_csv, safe_xlsx
from tests.placements.records_factories import running, worked

URL = "/api/v1/monitoring/placements"


class AlertFactory(Base):
    class Meta:
        model = ComplianceAlert


class IncidentFactory(Base):
    class Meta:
        model = Incident

    kind = "injury"
    description = "x"
    reporter_party = "student"


@pytest.fixture
def two(app, monkeypatch):
    """Two universities' placements: one active with a check-in yesterday, an alert and an open
    critical incident; one terminated."""
    # Computed on every request (and put back after: a leftover 600 made later tests in the
    # same worker read stale summaries).
    monkeypatch.setitem(app.config, "MONITORING_REFRESH_SECONDS", 0)
    with app.app_context():
        first = running()
        second = running(state="terminated", reason_code="safety")
        yesterday = local_day(utcnow()).fromordinal(local_day(utcnow()).toordinal() - 1)
        worked(first.placement, yesterday, 8)
        AlertFactory(
            placement_id=first.placement.id, kind="night_work", period=yesterday, minutes=30
        )
        IncidentFactory(placement_id=first.placement.id, severity="critical")
    return first, second


def test_coordinators_see_every_placement(two, coord):
    first, second = two
    body = coord.get(URL).get_json()
    assert body["scope"] is None
    assert {r["state"]: r["count"] for r in body["by_state"]} == {"active": 1, "terminated": 1}
    assert body["terminations"] == [{"reason": "safety", "count": 1}]
    assert body["open_incidents"] == [{"severity": "critical", "count": 1}]
    assert body["compliance_alerts"][0]["kind"] == "night_work"
    assert body["agreement"] == {"done": 0, "total": 1, "share": 0.0}
    assert body["check_in_rate_7d"]["total"] == body["check_in_rate_7d"]["working_days"]
    assert {r["university_id"] for r in body["by_university"]} == {
        first.university.id,
        second.university.id,
    }
    narrowed = coord.get(f"{URL}?organization_id={second.university.id}").get_json()
    assert narrowed["by_state"] == [{"state": "terminated", "count": 1}]


def test_a_university_sees_its_own_students_only(two, as_user):
    first, second = two
    client = as_user(first.university_staff)
    body = client.get(URL).get_json()
    assert body["scope"] == {"kind": "university", "organization_id": first.university.id}
    assert body["by_state"] == [{"state": "active", "count": 1}]
    assert [r["university_id"] for r in body["by_university"]] == [first.university.id]
    assert_problem(client.get(f"{URL}?organization_id={second.university.id}"), 403)


def test_an_enterprise_sees_its_own(two, as_user):
    first, second = two
    body = as_user(second.enterprise_staff).get(URL).get_json()
    assert body["scope"]["kind"] == "enterprise"
    assert body["by_state"] == [{"state": "terminated", "count": 1}]
    assert body["open_incidents"] == []


def test_students_and_strangers_see_no_figures(two, as_user):
    first, _ = two
    for user in (first.student, factories.UserFactory()):
        assert_problem(as_user(user).get(URL), 403)


def test_bad_queries_are_422(coord):
    assert coord.get(f"{URL}?format=pdf").status_code == 422
    assert coord.get(f"{URL}?organization_id=0").status_code == 422
    assert_problem(coord.get(f"{URL}?organization_id=99999999"), 404)


def test_downloads(two, coord):
    rows = safe_csv(coord.get(f"{URL}?format=csv"))
    sections = {r[0] for r in rows[1:]}
    assert {"state", "university", "terminations", "open_incidents"} <= sections
    cells = safe_xlsx(coord.get(f"{URL}?format=xlsx"))
    assert cells[0][0] == "类别 section"
