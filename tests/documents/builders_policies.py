"""The access case of `policy_application_document` (a document of a policy application)."""

from __future__ import annotations

from types import SimpleNamespace

from cbec_alliance.extensions import db
from tests import factories
from tests.documents.matrix import Case, app, builder, client_of, upload
from tests.partnerships.factories import TrainingBaseFactory
from tests.placements.factories import world
from tests.policies.conftest import applied, government, partnership, published
from tests.students.factories import student


@builder("policy_application_document")
def policy_application_document() -> Case:
    """A document of an enterprise's application: the applicant's admins, the issuing
    government's admins and staff, coordinators; not the applicant's other staff (the
    application is its admins'), another enterprise, a student."""
    with app().app_context():
        gov = government()
        w = world(start_in=-30)
        w.placement.state = "active"
        partnership(w.enterprise, w.university)
        TrainingBaseFactory(host_enterprise_id=w.enterprise.id, level="provincial")
        reviewer = factories.member(gov, "staff")
        admin = factories.member(w.enterprise, "admin")
        db.session.commit()
    scene = SimpleNamespace(gov=gov, reviewer=client_of(reviewer), admin=client_of(admin))
    application = applied(scene, published(scene))
    document = upload(admin, name="营业执照副本.pdf")
    resp = scene.admin.post(
        f"/api/v1/policy-applications/{application['id']}/documents",
        json={"document_id": document.id},
    )
    assert resp.status_code == 201, resp.get_json()
    return Case(
        kind="policy_application_document",
        target_id=application["id"],
        document_id=document.id,
        allowed={
            "applicant's admin": admin,
            "reviewer (issuing government's staff)": reviewer,
            "coordinator": factories.CoordinatorFactory(),
        },
        others={
            "applicant's staff (not admin)": factories.member(w.enterprise, "staff"),
            "another enterprise's admin": factories.member(
                factories.OrganizationFactory(), "admin"
            ),
            "another university's staff": factories.member(factories.UniversityFactory()),
            "stranger student": student(),
        },
    )
