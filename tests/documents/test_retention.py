"""A user's documents in their personal-data export and on erasure: uploads attached to
nothing or only to their own personal objects (a résumé) go, bytes and all; those attached
to a shared object (an agreement in a folder) stay for the others, without an uploader."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.documents.models import Attachment, Document
from cbec_alliance.extensions import db
from tests import factories
from tests.documents import files
from tests.documents.conftest import KIND, post_file

EXPORT = "/api/v1/auth/me/personal-data"
ERASE = "/api/v1/auth/me/erasure"


def test_export_lists_the_uploads(as_user):
    user = factories.UserFactory(name="王芳")
    client = as_user(user)
    post_file(client, files.PDF, "王芳的简历.pdf")
    other = as_user(factories.UserFactory())
    post_file(other, files.PDF, "别人的文件.pdf")
    data = client.post(EXPORT).get_json()
    rows = data["tables"]["documents"]
    assert [r["original_name"] for r in rows] == ["王芳的简历.pdf"]
    assert "别人的文件.pdf" not in str(data)


def test_erasure_deletes_personal_and_unattached_uploads_and_keeps_shared_ones(
    as_user, store, folder_kind, personal_kind
):
    uni = factories.UniversityFactory()
    user = factories.member(uni, "admin", name="王芳")
    colleague = factories.member(uni, "admin")
    factories.member(uni, "admin")  # erasure keeps an organization's last admin
    client = as_user(user)
    loose = post_file(client, files.PDF, "草稿.pdf").get_json()["id"]
    resume = post_file(client, files.PDF, "简历.pdf", kind="test_resume", target_id=user.id)
    resume_id = resume.get_json()["id"]
    shared = post_file(client, files.PDF, "实习协议.pdf", kind=KIND, target_id=uni.id).get_json()
    both = post_file(client, files.PDF, "证书.pdf", kind="test_resume", target_id=user.id)
    both_id = both.get_json()["id"]
    client.post(
        f"/api/v1/documents/{both_id}/attachments", json={"kind": KIND, "target_id": uni.id}
    )
    theirs = post_file(as_user(colleague), files.PDF, "同事的.pdf").get_json()["id"]
    keys = {
        d.id: d.storage_key
        for d in db.session.scalars(
            sa.select(Document).where(
                Document.id.in_([loose, resume_id, shared["id"], both_id, theirs])
            )
        )
    }

    resp = client.post(ERASE, json={"password": factories.PASSWORD})
    assert resp.status_code == 200, resp.get_json()

    db.session.expire_all()
    for gone in (loose, resume_id):
        assert db.session.get(Document, gone) is None
        assert not store.exists(keys[gone])
        count = sa.select(sa.func.count()).select_from(Attachment)
        assert db.session.scalar(count.where(Attachment.document_id == gone)) == 0
    for kept in (shared["id"], both_id):
        document = db.session.get(Document, kept)
        assert document is not None
        assert document.uploaded_by_id is None
        assert store.exists(keys[kept])
        assert all(a.created_by_id is None for a in document.attachments)
    assert db.session.get(Document, theirs).uploaded_by_id == colleague.id
    # The colleague still reads the agreement.
    assert as_user(colleague).get(f"/api/v1/documents/{shared['id']}/content").data == files.PDF
