"""Documents' fixtures: storage in a temporary directory (or a moto S3 bucket), and a kind
of attachment for these tests alone ("test_folder": an organization's folder, seen by its
members, attached to by its admins, public when listed in PUBLIC_FOLDERS)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from cbec_alliance.documents import kinds
from cbec_alliance.documents.storage import LocalStorage, S3Storage
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Membership

URL = "/api/v1/documents"
KIND = "test_folder"
PUBLIC_FOLDERS: set[int] = set()


@pytest.fixture(autouse=True)
def local_storage(app, tmp_path):
    """Every documents test stores in its own directory."""
    before = app.extensions.get("documents")
    app.extensions["documents"] = store = LocalStorage(tmp_path / "documents")
    yield store
    app.extensions["documents"] = before


@pytest.fixture
def s3_storage(app, monkeypatch, local_storage):
    """An S3 bucket (moto, in process) as the app's storage."""
    import boto3  # noqa: PLC0415
    from moto import mock_aws  # noqa: PLC0415 - only the S3 tests pay for moto

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="cbec-documents")
        app.extensions["documents"] = store = S3Storage("cbec-documents", client)
        yield store


@pytest.fixture(params=["local", "s3"])
def store(request):
    """Each API test that takes it runs on the local directory and on S3."""
    return request.getfixturevalue(f"{request.param}_storage")


def _role(user, org_id: int) -> str | None:
    return db.session.scalar(
        sa.select(Membership.role).where(
            Membership.user_id == user.id, Membership.organization_id == org_id
        )
    )


def _can_view(user, org_id: int) -> bool:
    return _role(user, org_id) is not None


def _can_attach(user, org_id: int) -> bool:
    return _role(user, org_id) == "admin"


@pytest.fixture
def folder_kind():
    """Register the test kind (PDF, images, office, zip), and remove it afterwards."""
    kind = kinds.register(
        kinds.Kind(
            KIND,
            can_view=_can_view,
            can_attach=_can_attach,
            types=frozenset({"pdf", "image", "office", "zip"}),
            public=lambda org_id: org_id in PUBLIC_FOLDERS,
        )
    )
    yield kind
    kinds.unregister(KIND)
    PUBLIC_FOLDERS.clear()


@pytest.fixture
def personal_kind():
    """A personal kind (like a résumé: one person's, only they attach)."""
    kind = kinds.register(
        kinds.Kind(
            "test_resume",
            can_view=lambda user, target_id: user.id == target_id,
            can_attach=lambda user, target_id: user.id == target_id,
            personal=True,
        )
    )
    yield kind
    kinds.unregister("test_resume")


def post_file(client, data: bytes, name: str = "协议.pdf", **form):
    """POST a multipart upload."""
    body = {"file": (io.BytesIO(data), name), **{k: str(v) for k, v in form.items()}}
    return client.post(URL, data=body, content_type="multipart/form-data")
