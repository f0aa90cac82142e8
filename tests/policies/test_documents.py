"""Documents attached to a policy application (kind `policy_application_document`): the
applicant's admins attach them while it is editable; whoever sees the application sees them."""

from __future__ import annotations

from tests import factories
from tests.documents.factories import DocumentFactory
from tests.documents.seen import who_sees
from tests.helpers import assert_problem, validation_errors
from tests.policies.conftest import APPS, applied, published
from tests.students.factories import student


def _docs(scene, app_id) -> str:
    return f"{APPS}/{app_id}/documents"


def test_the_applicant_attaches_while_editable(scene):
    app = applied(scene, published(scene))
    url = _docs(scene, app["id"])
    admin = scene.users["admin"]
    doc = DocumentFactory(uploaded_by_id=admin.id, original_name="营业执照副本.pdf")
    resp = scene.admin.post(url, json={"document_id": doc.id})
    assert resp.status_code == 201
    assert [d["name"] for d in resp.get_json()] == ["营业执照副本.pdf"]
    assert [d["id"] for d in scene.reviewer.get(url).get_json()] == [doc.id]
    scene.reviewer.post(f"{APPS}/{app['id']}/request-info", json={"reason": "请补充社保证明"})
    more = DocumentFactory(uploaded_by_id=admin.id, original_name="社保证明.pdf")
    assert scene.admin.post(url, json={"document_id": more.id}).status_code == 201
    assert scene.admin.delete(f"{url}/{doc.id}").status_code == 204
    assert [d["name"] for d in scene.admin.get(url).get_json()] == ["社保证明.pdf"]
    # The reviewer reads, never attaches.
    theirs = DocumentFactory(uploaded_by_id=scene.users["reviewer"].id)
    assert_problem(scene.reviewer.post(url, json={"document_id": theirs.id}), 403)
    scene.admin.post(f"{APPS}/{app['id']}/withdraw", json={})
    late = DocumentFactory(uploaded_by_id=admin.id)
    assert_problem(scene.admin.post(url, json={"document_id": late.id}), 409)
    assert_problem(scene.admin.delete(f"{url}/{more.id}"), 409)


def test_bad_documents_name_the_field(scene):
    app = applied(scene, published(scene))
    url = _docs(scene, app["id"])
    assert "document_id" in validation_errors(
        scene.admin.post(url, json={"document_id": DocumentFactory().id})
    )
    assert "document_id" in validation_errors(scene.admin.post(url, json={"document_id": "x"}))
    assert scene.admin.get(url).get_json() == []


def test_outsiders_404(scene, as_user):
    app = applied(scene, published(scene))
    url = _docs(scene, app["id"])
    doc = DocumentFactory(uploaded_by_id=scene.users["admin"].id)
    scene.admin.post(url, json={"document_id": doc.id})
    for outsider in (
        scene.users["outsider"],
        student(),
        factories.member(factories.UniversityFactory()),
    ):
        c = as_user(outsider)
        assert "name" not in str(assert_problem(c.get(url), 404))
        mine = DocumentFactory(uploaded_by_id=outsider.id)
        assert_problem(c.post(url, json={"document_id": mine.id}), 404)
        assert_problem(c.delete(f"{url}/{doc.id}"), 404)


def test_who_sees_an_application_document(app, scene):
    application = applied(scene, published(scene))
    doc = DocumentFactory(uploaded_by_id=scene.users["admin"].id)
    resp = scene.admin.post(_docs(scene, application["id"]), json={"document_id": doc.id})
    assert resp.status_code == 201
    sees = {
        "applicant admin": scene.users["admin"],
        "reviewer": scene.users["reviewer"],
        "government admin": scene.users["gov_admin"],
        "coordinator": factories.CoordinatorFactory(),
    }
    others = {
        "other enterprise": scene.users["outsider"],
        "stranger student": student(),
        "other university": factories.member(factories.UniversityFactory()),
    }
    assert who_sees(app, doc.id, sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc.id, others) == dict.fromkeys(others, False)
