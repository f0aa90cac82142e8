"""An enterprise's employee count (optional; placements check the 10% intern share on it)."""

from __future__ import annotations

from tests import factories
from tests.helpers import validation_errors


def test_an_enterprise_gives_its_employee_count(as_user):
    enterprise = factories.OrganizationFactory()
    admin = as_user(factories.member(enterprise, "admin"))
    resp = admin.patch(f"/api/v1/organizations/{enterprise.id}", json={"employee_count": 120})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["employee_count"] == 120
    assert "employee_count" in validation_errors(
        admin.patch(f"/api/v1/organizations/{enterprise.id}", json={"employee_count": 0})
    )


def test_a_university_has_no_employee_count(as_user):
    university = factories.UniversityFactory()
    admin = as_user(factories.member(university, "admin"))
    resp = admin.patch(f"/api/v1/organizations/{university.id}", json={"employee_count": 800})
    assert "employee_count" in validation_errors(resp)
