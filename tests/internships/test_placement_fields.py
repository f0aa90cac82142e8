"""A posting's staff in the same post and its regular wage (optional; placement rules)."""

from __future__ import annotations

from tests import factories
from tests.helpers import validation_errors
from tests.internships.factories import InternshipFactory

URL = "/api/v1/internships"


def test_a_posting_gives_its_staff_in_role_and_wage(as_user):
    enterprise = factories.OrganizationFactory()
    staff = as_user(factories.member(enterprise, "staff"))
    posting = InternshipFactory(enterprise_id=enterprise.id, status="draft")
    resp = staff.patch(f"{URL}/{posting.id}", json={"staff_in_role": 15, "regular_wage": 6000})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert (body["staff_in_role"], body["regular_wage"]) == (15, 6000)
    assert "staff_in_role" in validation_errors(
        staff.patch(f"{URL}/{posting.id}", json={"staff_in_role": 0})
    )
    assert "regular_wage" in validation_errors(
        staff.patch(f"{URL}/{posting.id}", json={"regular_wage": -1})
    )
