"""The access case of `application_resume` (the résumé sent with an application)."""

from __future__ import annotations

from tests import factories
from tests.applications.factories import scene
from tests.documents.matrix import Case, builder, client_of, upload
from tests.students.factories import student


@builder("application_resume")
def application_resume() -> Case:
    """The résumé of an application: its student, the posting's enterprise staff, the
    student's university staff and coordinators read it; nobody else does."""
    s = scene()
    document = upload(s.student, name="投递简历.pdf")
    resp = client_of(s.student).put(
        f"/api/v1/applications/{s.application.id}/resume",
        json={"resume_document_id": document.id},
    )
    assert resp.status_code == 200, resp.get_json()
    return Case(
        kind="application_resume",
        target_id=s.application.id,
        document_id=document.id,
        allowed={
            "student": s.student,
            "posting's enterprise staff": s.staff,
            "university staff": factories.member(s.university, "staff"),
            "coordinator": factories.CoordinatorFactory(),
        },
        others={
            "stranger student": student(),
            "student of the same university": student(s.university),
            "another enterprise's staff": factories.member(factories.OrganizationFactory()),
            "another university's staff": factories.member(factories.UniversityFactory()),
        },
    )
