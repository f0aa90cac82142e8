"""A university, a partner enterprise, their staff and students, for programme tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories
from tests.courses.factories import CourseFactory
from tests.students.factories import student

URL = "/api/v1/programmes"


@pytest.fixture
def scene(as_user):
    """University and enterprise staff clients, three students' clients, a course."""
    uni = factories.UniversityFactory()
    ent = factories.OrganizationFactory()
    students = [student(uni) for _ in range(3)]
    return SimpleNamespace(
        uni=uni,
        ent=ent,
        uni_staff=as_user(factories.member(uni, "staff")),
        ent_staff=as_user(factories.member(ent, "staff")),
        students=students,
        clients=[as_user(s) for s in students],
        course=CourseFactory(university_id=uni.id),
    )


def body(scene, **overrides) -> dict:
    """An order class of one partner committing 2 positions, a cohort of 2."""
    data = {
        "kind": "order_class",
        "university_id": scene.uni.id,
        "name": "跨境电商订单班（2027级）",
        "major": "e-commerce",
        "intake_year": 2027,
        "cohort_size": 2,
        "partners": [{"enterprise_id": scene.ent.id, "committed_positions": 2}],
        "course_ids": [scene.course.id],
        "certificates": [{"code": "cbec-b2b-data-operation", "level": "junior"}],
    }
    data.update(overrides)
    return data


def proposed(scene, **overrides) -> dict:
    """A proposed programme."""
    resp = scene.uni_staff.post(URL, json=body(scene, **overrides))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def confirmed(scene, **overrides) -> dict:
    """A programme its partner confirmed."""
    programme = proposed(scene, **overrides)
    resp = scene.ent_staff.post(f"{URL}/{programme['id']}/confirm", json={})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()
