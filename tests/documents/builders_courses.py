"""The access case of `course_material` (a version of a course's material)."""

from __future__ import annotations

from tests import factories
from tests.courses.factories import CourseFactory
from tests.documents.matrix import Case, builder, client_of, upload
from tests.students.factories import student


@builder("course_material")
def course_material() -> Case:
    """A course material: the course's university staff, its partner's staff, its enrolled
    students and coordinators read it; a student of the university not enrolled does not."""
    university = factories.UniversityFactory(name="广州番禺职业技术学院")
    partner = factories.OrganizationFactory()
    course = CourseFactory(university_id=university.id, partners=[partner])
    teacher = factories.member(university, "staff")
    document = upload(teacher, name="第3章 亚马逊广告投放讲义.pdf")
    resp = client_of(teacher).post(
        f"/api/v1/courses/{course.id}/materials",
        json={"title": "第3章 亚马逊广告投放讲义", "document_id": document.id},
    )
    assert resp.status_code == 201, resp.get_json()
    enrolled = student(university)
    assert client_of(enrolled).post(f"/api/v1/courses/{course.id}/enrollments").status_code == 201
    return Case(
        kind="course_material",
        target_id=resp.get_json()["id"],
        document_id=document.id,
        allowed={
            "university staff": teacher,
            "partner enterprise staff": factories.member(partner, "staff"),
            "enrolled student": enrolled,
            "coordinator": factories.CoordinatorFactory(),
        },
        others={
            "stranger student": student(),
            "student of the same university, not enrolled": student(university),
            "another enterprise's staff": factories.member(factories.OrganizationFactory()),
            "another university's staff": factories.member(factories.UniversityFactory()),
        },
    )
