"""The date of birth on a student's profile (placements check 16 and 18 from it)."""

from __future__ import annotations

from tests import factories
from tests.helpers import validation_errors
from tests.students.factories import student
from tests.students.test_profiles import ME, PROFILE


def test_the_birth_date_is_kept_and_checked(as_user):
    client = as_user(student(factories.UniversityFactory(), profile=False))
    resp = client.put(ME, json={**PROFILE, "birth_date": "2006-09-01"})
    assert resp.status_code == 200, resp.get_json()
    assert client.get(ME).get_json()["birth_date"] == "2006-09-01"
    assert client.put(ME, json=PROFILE).get_json()["birth_date"] is None  # PUT replaces
    assert "birth_date" in validation_errors(
        client.put(ME, json={**PROFILE, "birth_date": "1800-01-01"})
    )
    assert "birth_date" in validation_errors(client.put(ME, json={**PROFILE, "birth_date": "soon"}))
