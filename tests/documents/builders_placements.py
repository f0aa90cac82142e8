"""The access cases of `placement_agreement` (scans of the signed agreement) and
`placement_log` (a weekly log's files)."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories
from tests.documents.matrix import Case, app, builder, client_of, upload
from tests.placements.records_factories import running
from tests.students.factories import student


def _running():
    with app().app_context():
        today = date.today()
        return running(starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60))


def _others(run) -> dict:
    return {
        "stranger student": student(),
        "student of the same university": student(run.university),
        "another enterprise's staff": factories.member(factories.OrganizationFactory()),
        "another university's staff": factories.member(factories.UniversityFactory()),
    }


@builder("placement_agreement")
def placement_agreement() -> Case:
    """A scan of the signed agreement: the three parties, both mentors and coordinators."""
    run = _running()
    document = upload(run.enterprise_staff, name="三方协议扫描件.pdf")
    resp = client_of(run.enterprise_staff).post(
        f"/api/v1/placements/{run.placement.id}/agreement/attachments",
        json={"document_id": document.id},
    )
    assert resp.status_code == 201, resp.get_json()
    return Case(
        kind="placement_agreement",
        target_id=run.placement.id,
        document_id=document.id,
        allowed={
            "student": run.student,
            "university staff": run.university_staff,
            "enterprise staff": run.enterprise_staff,
            "school mentor": run.school_mentor,
            "enterprise mentor": run.enterprise_mentor,
            "coordinator": factories.CoordinatorFactory(),
        },
        others=_others(run),
    )


@builder("placement_log")
def placement_log() -> Case:
    """A weekly log's file: the student, both mentors and coordinators (the sides' other
    staff read the log, not its files)."""
    run = _running()
    student_client = client_of(run.student)
    log = student_client.post(
        f"/api/v1/placements/{run.placement.id}/logs",
        json={
            "week": (date.today() - timedelta(days=7)).isoformat(),
            "text": "本周完成了 30 个商品的上架。",
            "competencies": [],
            "hours": 40,
        },
    )
    assert log.status_code == 201, log.get_json()
    document = upload(run.student, name="周报截图.pdf")
    resp = student_client.post(
        f"/api/v1/placements/{run.placement.id}/logs/{log.get_json()['id']}/attachments",
        json={"document_id": document.id},
    )
    assert resp.status_code == 201, resp.get_json()
    return Case(
        kind="placement_log",
        target_id=log.get_json()["id"],
        document_id=document.id,
        allowed={
            "student": run.student,
            "school mentor": run.school_mentor,
            "enterprise mentor": run.enterprise_mentor,
            "coordinator": factories.CoordinatorFactory(),
        },
        others={**_others(run), "enterprise staff (no mentor)": run.enterprise_staff},
    )
