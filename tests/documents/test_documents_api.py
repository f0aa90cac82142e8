"""Reading, linking, attaching, detaching and deleting documents through the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.documents.models import Attachment, Document
from cbec_alliance.extensions import db
from tests import factories
from tests.documents import files
from tests.documents.conftest import KIND, PUBLIC_FOLDERS, URL, post_file
from tests.helpers import assert_problem, validation_errors


@pytest.fixture
def world(as_user, folder_kind):
    """A university (admin 李娜 uploads to its folder, staff 陈晓华 reads), another
    university's admin, and a student of no organization."""
    uni = factories.UniversityFactory(name="广州商贸职业学院")
    admin = factories.member(uni, "admin", name="李娜")
    staff = factories.member(uni, "staff", name="陈晓华")
    stranger = factories.member(factories.UniversityFactory(name="广州番禺职业技术学院"), "admin")
    clients = {
        "admin": as_user(admin),
        "staff": as_user(staff),
        "stranger": as_user(stranger),
        "student": as_user(factories.UserFactory()),
    }
    resp = post_file(clients["admin"], files.PDF, "2026级实习协议.pdf", kind=KIND, target_id=uni.id)
    assert resp.status_code == 201, resp.get_json()
    clients["doc"] = resp.get_json()
    clients["uni"] = uni
    return clients


def test_metadata_shows_the_attachments_the_caller_sees(store, world):
    doc = world["doc"]
    body = world["staff"].get(f"{URL}/{doc['id']}").get_json()
    assert body["name"] == "2026级实习协议.pdf"
    assert [(a["kind"], a["target_id"]) for a in body["attachments"]] == [(KIND, world["uni"].id)]
    assert set(body) >= {"id", "name", "type", "content_type", "size", "sha256", "created_at"}


def test_the_target_listing_and_mine_are_paginated(world):
    uni = world["uni"].id
    for n in range(3):
        post_file(world["admin"], files.PDF, f"资料{n}.pdf", kind=KIND, target_id=uni)
    page = world["staff"].get(URL, query_string={"kind": KIND, "target_id": uni, "per_page": 2})
    body = page.get_json()
    assert (body["total"], len(body["items"]), body["items"][0]["name"]) == (4, 2, "资料2.pdf")
    mine = world["admin"].get(f"{URL}/mine").get_json()
    assert mine["total"] == 4
    assert world["staff"].get(f"{URL}/mine").get_json()["total"] == 0
    assert "kind" in validation_errors(
        world["staff"].get(URL, query_string={"kind": "nope", "target_id": uni})
    )
    assert validation_errors(world["staff"].get(URL, query_string={"kind": KIND}))


def test_a_signed_link_serves_without_a_session_until_it_expires(store, world, app, client):
    doc = world["doc"]
    link = world["staff"].post(f"{URL}/{doc['id']}/link")
    assert link.status_code == 201
    url = link.get_json()["url"]
    assert "/api/v1/documents/signed/" in url
    got = client.get(url)
    assert got.status_code == 200
    assert got.data == files.PDF
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    token = url.rsplit("/", 1)[1]
    assert_problem(client.get(f"{URL}/signed/{token[:-2]}xx"), 404)
    assert_problem(client.get(f"{URL}/signed/not-a-token"), 404)
    app.config["DOCUMENT_LINK_SECONDS"] = -1
    try:
        assert_problem(client.get(url), 410)
    finally:
        app.config["DOCUMENT_LINK_SECONDS"] = 300


def test_a_link_to_a_deleted_document_is_404(world, client):
    doc = world["doc"]
    url = world["admin"].post(f"{URL}/{doc['id']}/link").get_json()["url"]
    assert world["admin"].delete(f"{URL}/{doc['id']}").status_code == 204
    assert_problem(client.get(url), 404)


def test_the_same_content_is_not_modified_by_etag(world):
    doc = world["doc"]
    resp = world["staff"].get(
        f"{URL}/{doc['id']}/content", headers={"If-None-Match": f'"{doc["sha256"]}"'}
    )
    assert resp.status_code == 304
    assert resp.data == b""


def test_anonymous_callers_are_401_unless_the_target_is_public(world, client):
    doc = world["doc"]
    assert_problem(client.get(f"{URL}/{doc['id']}"), 401)
    assert_problem(client.get(f"{URL}/{doc['id']}/content"), 401)
    assert_problem(client.get(URL, query_string={"kind": KIND, "target_id": world["uni"].id}), 401)
    PUBLIC_FOLDERS.add(world["uni"].id)
    assert client.get(f"{URL}/{doc['id']}").status_code == 200
    assert client.get(f"{URL}/{doc['id']}/content").data == files.PDF
    listing = world["student"].get(URL, query_string={"kind": KIND, "target_id": world["uni"].id})
    assert listing.get_json()["total"] == 1
    # A public target makes its documents readable by anyone signed in too.
    assert world["student"].get(f"{URL}/{doc['id']}").status_code == 200


def test_attaching_and_detaching(world):
    # The staff member uploads but may not attach to the folder (admins only): 403.
    mine = post_file(world["staff"], files.PNG, "照片.png").get_json()
    resp = world["staff"].post(
        f"{URL}/{mine['id']}/attachments", json={"kind": KIND, "target_id": world["uni"].id}
    )
    assert_problem(resp, 403)
    # Someone else's upload: 422 naming the document.
    resp = world["admin"].post(
        f"{URL}/{mine['id']}/attachments", json={"kind": KIND, "target_id": world["uni"].id}
    )
    assert "document_id" in validation_errors(resp)
    # A target one cannot see: 404; an unknown kind: 422.
    other = factories.UniversityFactory()
    own = post_file(world["admin"], files.PDF).get_json()
    resp = world["admin"].post(
        f"{URL}/{own['id']}/attachments", json={"kind": KIND, "target_id": other.id}
    )
    assert_problem(resp, 404)
    resp = world["admin"].post(f"{URL}/{own['id']}/attachments", json={"kind": "x", "target_id": 1})
    assert "kind" in validation_errors(resp)
    assert validation_errors(world["admin"].post(f"{URL}/{own['id']}/attachments", json={}))
    # Attach (twice: one row), then the staff member reads it; detach by the admin.
    for _ in range(2):
        resp = world["admin"].post(
            f"{URL}/{own['id']}/attachments", json={"kind": KIND, "target_id": world["uni"].id}
        )
        assert resp.status_code == 201, resp.get_json()
    attachment_id = resp.get_json()["id"]
    assert world["staff"].get(f"{URL}/{own['id']}").status_code == 200
    assert_problem(world["staff"].delete(f"{URL}/{own['id']}/attachments/{attachment_id}"), 403)
    assert_problem(world["stranger"].delete(f"{URL}/{own['id']}/attachments/{attachment_id}"), 404)
    assert_problem(world["admin"].delete(f"{URL}/{own['id']}/attachments/999999"), 404)
    assert (
        world["admin"].delete(f"{URL}/{own['id']}/attachments/{attachment_id}").status_code == 204
    )
    assert_problem(world["staff"].get(f"{URL}/{own['id']}"), 404)
    assert world["admin"].get(f"{URL}/{own['id']}").status_code == 200  # still the uploader's


def test_only_the_uploader_deletes_and_the_bytes_go_after_the_commit(store, world):
    doc = world["doc"]
    key = db.session.get(Document, doc["id"]).storage_key
    assert_problem(world["staff"].delete(f"{URL}/{doc['id']}"), 403)
    assert_problem(world["stranger"].delete(f"{URL}/{doc['id']}"), 404)
    assert store.exists(key)
    assert world["admin"].delete(f"{URL}/{doc['id']}").status_code == 204
    assert not store.exists(key)
    assert db.session.get(Document, doc["id"]) is None
    count = sa.select(sa.func.count()).select_from(Attachment)
    assert db.session.scalar(count.where(Attachment.document_id == doc["id"])) == 0
    assert_problem(world["admin"].get(f"{URL}/{doc['id']}"), 404)


def test_a_missing_document_is_404_everywhere(world):
    for resp in (
        world["admin"].get(f"{URL}/999999"),
        world["admin"].get(f"{URL}/999999/content"),
        world["admin"].post(f"{URL}/999999/link"),
        world["admin"].delete(f"{URL}/999999"),
    ):
        assert_problem(resp, 404)
