"""Uploading: the type from the content, the SHA-256 kept, a plain name, its own size limit,
on the local directory and on S3; every refusal a problem with nothing left stored."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa

from cbec_alliance.documents.models import Attachment, Document
from cbec_alliance.extensions import db
from tests import factories
from tests.documents import files
from tests.documents.conftest import KIND, URL, post_file
from tests.helpers import assert_problem, validation_errors

MIB = 1024 * 1024


def _stored(store) -> list[str]:
    return list(store.stale_keys(older_than=float("inf")))


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Document)) or 0


@pytest.fixture
def uploader(as_user):
    user = factories.UserFactory(name="王芳")
    client = as_user(user)
    client.user = user
    return client


@pytest.mark.parametrize(
    ("data", "name", "type_", "content_type"),
    [
        (files.PDF, "协议.pdf", "pdf", "application/pdf"),
        (files.PNG, "照片.png", "image", "image/png"),
        (files.JPEG, "photo.jpg", "image", "image/jpeg"),
        (files.GIF, "a.gif", "image", "image/gif"),
        (files.WEBP, "a.webp", "image", "image/webp"),
        (files.TEXT, "周志.txt", "text", "text/plain; charset=utf-8"),
        (files.ole2("WordDocument"), "旧协议.doc", "office", "application/msword"),
        (files.ole2("Workbook"), "名单.xls", "office", "application/vnd.ms-excel"),
        (
            files.docx(),
            "协议.docx",
            "office",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (files.odt(), "协议.odt", "office", "application/vnd.oasis.opendocument.text"),
        (files.zipped({"src/main.py": b"print(1)\n"}), "参赛作品.zip", "zip", "application/zip"),
    ],
)
def test_the_type_comes_from_the_content(uploader, local_storage, data, name, type_, content_type):
    resp = post_file(uploader, data, name)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert (body["type"], body["content_type"]) == (type_, content_type)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["size"] == len(data)
    assert body["name"] == name
    assert body["uploaded_by_id"] == uploader.user.id
    assert body["attachments"] == []
    assert len(_stored(local_storage)) == 1


def test_a_name_lies_nothing_a_png_named_pdf_is_an_image(uploader):
    assert post_file(uploader, files.PNG, "简历.pdf").get_json()["type"] == "image"


def test_upload_download_round_trip_on_each_storage(uploader, store):
    data = files.PDF + b"%" + bytes(range(256)) * 4096  # a megabyte, every byte value
    resp = post_file(uploader, data, "合同/../../etc/实习协议.pdf")
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert doc["name"] == "实习协议.pdf"
    got = uploader.get(f"{URL}/{doc['id']}/content")
    assert got.status_code == 200
    assert got.data == data
    assert got.headers["Content-Length"] == str(len(data))
    assert got.headers["ETag"] == f'"{doc["sha256"]}"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''%E5%AE%9E%E4%B9%A0%E5%8D%8F%E8%AE%AE.pdf"
        in (got.headers["Content-Disposition"])
    )
    key = db.session.get(Document, doc["id"]).storage_key
    assert "实习" not in key
    assert "pdf" not in key
    assert store.exists(key)


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("C:/Users/王芳/Desktop/简历.pdf", "简历.pdf"),
        ("/etc/passwd", "passwd"),
        ("../../简历.pdf", "简历.pdf"),
        ("简\x00历\x1b.pdf", "简历.pdf"),
        ("..", "file"),
    ],
)
def test_a_path_in_the_name_is_stored_as_a_plain_name(uploader, local_storage, name, plain):
    resp = post_file(uploader, files.PDF, name)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["name"] == plain
    (key,) = _stored(local_storage)
    assert (local_storage.root / key).resolve().is_relative_to(local_storage.root.resolve())


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (files.ELF, "简历.pdf"),
        (files.PE, "agreement.pdf"),
        (files.SCRIPT, "周志.txt"),
        (files.ole2("\x05SummaryInformation"), "setup.doc"),  # an MSI-like compound file
        (b"\x00\x01\x02binary junk", "a.pdf"),
        (files.zipped({"../../evil.sh": b"x"}), "entry.zip"),
        (files.zipped({"/abs/path.txt": b"x"}), "entry.zip"),
        (files.zipped({"inner.zip": files.zipped({"a": b"b"})}), "nested.zip"),
        (files.crafted_sizes(), "crafted.zip"),
        (b"PK\x03\x04 not really a zip", "broken.zip"),
    ],
    ids=["elf", "pe", "script", "msi", "binary", "dotdot", "absolute", "nested", "crafted", "bad"],
)
def test_refused_files_are_422_naming_file_and_nothing_is_stored(uploader, store, data, name):
    resp = post_file(uploader, data, name)
    assert "file" in validation_errors(resp)
    assert _count() == 0
    assert _stored(store) == []


def test_a_zip_bomb_is_refused_without_being_expanded(uploader, local_storage, monkeypatch):
    import zipfile

    bomb = files.zeros_bomb(300)
    assert len(bomb) < 2 * MIB
    dense = files.dense_zeros(50)
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or None)
    errors = validation_errors(post_file(uploader, bomb, "参赛作品.zip"))
    assert "200 MiB" in errors["file"][0]
    assert "100" in validation_errors(post_file(uploader, dense, "dense.zip"))["file"][0]
    assert opened == []
    assert _stored(local_storage) == []


def test_an_empty_or_missing_file_is_422(uploader):
    assert "file" in validation_errors(post_file(uploader, b"", "empty.pdf"))
    resp = uploader.post(URL, data={"kind": KIND}, content_type="multipart/form-data")
    assert "file" in validation_errors(resp)
    assert _count() == 0


def test_21_mib_is_413_naming_the_limit(uploader, local_storage):
    data = files.PDF + b"\x00" * (21 * MIB)
    body = assert_problem(post_file(uploader, data, "big.pdf"), 413)
    assert str(20 * MIB) in body["detail"]
    assert _stored(local_storage) == []


def test_21_mib_sent_chunked_is_413_too(uploader, local_storage):
    payload = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n"
        + files.PDF
        + b"\x00" * (21 * MIB)
        + b"\r\n--B--\r\n"
    )
    resp = uploader.post(
        URL,
        input_stream=io.BytesIO(payload),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "multipart/form-data; boundary=B"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    body = assert_problem(resp, 413)
    assert "20 MiB" in body["detail"]
    assert _stored(local_storage) == []


def test_19_mib_is_accepted_and_other_routes_keep_2_mib(uploader):
    resp = post_file(uploader, files.PDF + b"\x00" * (19 * MIB), "大文件.pdf")
    assert resp.status_code == 201, resp.get_json()
    big_json = b'{"email": "' + b"a" * (3 * MIB) + b'"}'
    login = uploader.post("/api/v1/auth/login", data=big_json, content_type="application/json")
    assert str(2 * MIB) in assert_problem(login, 413)["detail"]


def test_upload_and_attach_at_once(uploader, folder_kind):
    uni = factories.UniversityFactory()
    factories.MembershipFactory(user=uploader.user, organization=uni, role="admin")
    resp = post_file(uploader, files.PDF, "课程资料.pdf", kind=KIND, target_id=uni.id)
    assert resp.status_code == 201, resp.get_json()
    (attachment,) = resp.get_json()["attachments"]
    assert (attachment["kind"], attachment["target_id"]) == (KIND, uni.id)
    assert db.session.get(Document, resp.get_json()["id"]).attached_at is not None


def test_attaching_at_once_to_what_one_cannot_see_is_404_and_nothing_stays(
    uploader, folder_kind, store
):
    other = factories.UniversityFactory()
    resp = post_file(uploader, files.PDF, kind=KIND, target_id=other.id)
    assert_problem(resp, 404)
    assert validation_errors(post_file(uploader, files.PDF, kind="no_such_kind", target_id=1))
    assert "kind" in validation_errors(
        post_file(uploader, files.PDF, kind="no_such_kind", target_id=1)
    )
    assert "target_id" in validation_errors(post_file(uploader, files.PDF, kind=KIND))
    assert _count() == 0
    assert _stored(store) == []


def test_a_type_the_kind_refuses_is_422_and_nothing_stays(uploader, folder_kind, local_storage):
    uni = factories.UniversityFactory()
    factories.MembershipFactory(user=uploader.user, organization=uni, role="admin")
    resp = post_file(uploader, files.TEXT, "周志.txt", kind=KIND, target_id=uni.id)
    assert "file" in validation_errors(resp)
    assert _stored(local_storage) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_uploading_needs_a_login(client):
    assert_problem(post_file(client, files.PDF), 401)


def test_a_refusal_after_storing_deletes_the_bytes_at_once(
    uploader, folder_kind, store, monkeypatch
):
    """Attaching can still fail once the file is stored (the target changed in between):
    the bytes go with the refusal, not a day later."""
    from cbec_alliance.core.errors import conflict
    from cbec_alliance.documents import services

    uni = factories.UniversityFactory()
    factories.MembershipFactory(user=uploader.user, organization=uni, role="admin")

    def refuse(*_args, **_kwargs):
        conflict("The folder was closed meanwhile.")

    monkeypatch.setattr(services, "attach_as", refuse)
    assert_problem(post_file(uploader, files.PDF, kind=KIND, target_id=uni.id), 409)
    assert _stored(store) == []
    assert _count() == 0
