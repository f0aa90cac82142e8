"""The access walk: for every registered kind of attachment, a document attached to one of
its objects is read by each party that may see that object and refused (404, nothing
leaked) to every other party.

Adding a kind's builder (one module per domain, `tests/documents/builders_<domain>.py`,
found here by name)::

    from tests.documents.matrix import Case, builder, upload

    @builder("resume")
    def resume() -> Case:
        student = ...                        # factories: the owner and the others
        resume = ResumeFactory(student_id=student.id)
        document = upload(student, kind="resume", target_id=resume.id)  # really stored
        return Case(
            kind="resume",
            target_id=resume.id,
            document_id=document.id,
            allowed={"student": student, "recruiter who was sent it": recruiter},
            others={"other student": other, "other enterprise's staff": stranger},
        )

A builder runs within the test's transaction but outside any app context: each request
pushes its own (under an outer one, requests would share `g` and so Flask-Login's cached
user). Wrap direct service calls in `with app().app_context():` if they need one, never the
requests. `upload` posts the file through the API as `user` (with `kind` and `target_id`,
attached at once; without, attach it yourself through your domain's service). `others`
should hold at least a user of another organization. The walk in `test_access_matrix.py`
fails for a registered kind with no builder.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from cbec_alliance.accounts.models import User
from cbec_alliance.documents import kinds
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import db
from tests import factories

# A minimal valid PDF (what `upload` sends unless told otherwise).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Case:
    """One document attached to one object, and who may and may not read it."""

    kind: str
    target_id: int
    document_id: int
    allowed: dict[str, User]
    others: dict[str, User]


BUILDERS: dict[str, Callable[[], Case]] = {}
_APP: list[Flask] = []


def use_app(flask_app: Flask) -> None:
    """Set the app the builders' requests go to (the walk does, before each builder)."""
    _APP[:] = [flask_app]


def app() -> Flask:
    """The app under test (for a builder's `app().app_context()`)."""
    assert _APP, "call use_app(app) first"
    return _APP[0]


def builder(kind: str) -> Callable[[Callable[[], Case]], Callable[[], Case]]:
    """Register the function as the builder of `kind`'s case."""

    def register(func: Callable[[], Case]) -> Callable[[], Case]:
        BUILDERS[kind] = func
        return func

    return register


def client_of(user: User):
    """A test client logged in as `user` (password: the factories')."""
    client = app().test_client()
    resp = client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": factories.PASSWORD}
    )
    assert resp.status_code == 200, resp.get_json()
    client.csrf = resp.get_json()["csrf_token"]  # type: ignore[attr-defined]
    return client


def upload(
    user: User,
    data: bytes = PDF,
    name: str = "跨境电商实习协议.pdf",
    kind: str | None = None,
    target_id: int | None = None,
) -> Document:
    """Upload `data` through the API as `user` (attached at once given kind and target);
    the stored document."""
    form: dict = {"file": (io.BytesIO(data), name)}
    if kind is not None:
        form.update(kind=kind, target_id=str(target_id))
    resp = client_of(user).post("/api/v1/documents", data=form, content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    document = db.session.get(Document, resp.get_json()["id"])
    assert document is not None
    return document


def load_builders() -> dict[str, Callable[[], Case]]:
    """Import every `builders_*` module next to this one; the builders by kind."""
    here = Path(__file__).parent
    for info in pkgutil.iter_modules([str(here)]):
        if info.name.startswith("builders_"):
            importlib.import_module(f"tests.documents.{info.name}")
    return BUILDERS


def registered_kinds() -> list[str]:
    """Every kind the domains register (their `attachments` modules imported)."""
    from cbec_alliance import DOMAINS, _domain_module  # noqa: PLC0415

    for domain in DOMAINS:
        _domain_module(domain, "attachments")
    return sorted(kinds.KINDS)
