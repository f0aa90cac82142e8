"""The access case of `student_resume` (students' résumés)."""

from __future__ import annotations

from tests import factories
from tests.applications.factories import ApplicationFactory
from tests.documents.matrix import Case, builder, client_of, upload
from tests.internships.factories import InternshipFactory
from tests.students.factories import student


@builder("student_resume")
def student_resume() -> Case:
    """A student's résumé: the student, their university's staff, an enterprise they applied
    to and coordinators read it; other students (of the same university too), another
    enterprise's and another university's staff do not."""
    university = factories.UniversityFactory(name="广东外语外贸大学")
    owner = student(university)
    applied_to = factories.OrganizationFactory(name="广州云帆跨境电子商务有限公司")
    ApplicationFactory(
        internship_id=InternshipFactory(enterprise_id=applied_to.id).id,
        student_id=owner.id,
        university_id=university.id,
    )
    document = upload(owner, name="李娜-简历.pdf")
    resp = client_of(owner).post(
        "/api/v1/students/me/resumes", json={"document_id": document.id, "label": "中文简历"}
    )
    assert resp.status_code == 201, resp.get_json()
    return Case(
        kind="student_resume",
        target_id=resp.get_json()["id"],
        document_id=document.id,
        allowed={
            "student": owner,
            "university staff": factories.member(university, "staff"),
            "staff of an enterprise applied to": factories.member(applied_to, "staff"),
            "coordinator": factories.CoordinatorFactory(),
        },
        others={
            "stranger student": student(),
            "student of the same university": student(university),
            "another enterprise's staff": factories.member(factories.OrganizationFactory()),
            "another university's staff": factories.member(factories.UniversityFactory()),
        },
    )
