"""Every kind of attachment against every party: those who see the object read the document
(metadata and bytes), everyone else gets 404 and learns nothing (tests/documents/matrix.py)."""

from __future__ import annotations

import hashlib

import pytest

from cbec_alliance.documents import kinds
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import db
from tests.documents.matrix import (
    BUILDERS,
    Case,
    client_of,
    load_builders,
    registered_kinds,
    use_app,
)
from tests.helpers import assert_problem

URL = "/api/v1/documents"
load_builders()
REGISTERED = registered_kinds()


def walk(app, case: Case) -> int:
    """Try every party of the case; the (kind x party) pairs tried."""
    document = db.session.get(Document, case.document_id)
    assert document is not None
    secrets_ = (document.sha256, document.original_name, document.storage_key)
    pairs = 0
    for party, user in case.allowed.items():
        client = client_of(user)
        meta = client.get(f"{URL}/{case.document_id}")
        assert meta.status_code == 200, (case.kind, party, meta.get_json())
        assert meta.get_json()["sha256"] == document.sha256
        content = client.get(f"{URL}/{case.document_id}/content")
        assert content.status_code == 200, (case.kind, party)
        assert hashlib.sha256(content.data).hexdigest() == document.sha256, (case.kind, party)
        listing = client.get(URL, query_string={"kind": case.kind, "target_id": case.target_id})
        assert listing.status_code == 200, (case.kind, party)
        assert case.document_id in [d["id"] for d in listing.get_json()["items"]]
        pairs += 1
    for party, user in case.others.items():
        client = client_of(user)
        answers = [
            client.get(f"{URL}/{case.document_id}"),
            client.get(f"{URL}/{case.document_id}/content"),
            client.post(f"{URL}/{case.document_id}/link"),
            client.get(URL, query_string={"kind": case.kind, "target_id": case.target_id}),
        ]
        for resp in answers:
            assert resp.status_code == 404, (case.kind, party, resp.request.path)
            assert_problem(resp, 404)
            assert not any(s in resp.get_data(as_text=True) for s in secrets_), (case.kind, party)
        pairs += 1
    anonymous = app.test_client().get(f"{URL}/{case.document_id}")
    kind = kinds.get(case.kind)
    public = kind is not None and kind.public is not None and kind.public(case.target_id)
    assert anonymous.status_code == (200 if public else 401), case.kind
    return pairs


def _run(app, kind: str) -> int:
    use_app(app)
    case = BUILDERS[kind]()
    assert case.kind == kind
    assert case.allowed, f"the {kind} case names nobody allowed"
    assert case.others, f"the {kind} case names nobody refused"
    pairs = walk(app, case)
    print(f"access walk: {kind}: {pairs} (kind x party) pairs")
    return pairs


@pytest.mark.parametrize("kind", REGISTERED or ["(no kind registered)"])
def test_every_registered_kind_walks_its_parties(app, kind):
    if kind not in kinds.KINDS:
        pytest.skip("no domain registers a kind of attachment yet")
    assert kind in BUILDERS, (
        f"the kind {kind!r} has no builder: add one in tests/documents/builders_<domain>.py"
    )
    assert _run(app, kind) >= 2


def test_the_walk_covers_the_test_kind(app, folder_kind):
    assert _run(app, folder_kind.name) == 4


def test_the_walk_fails_for_a_kind_without_a_builder(folder_kind):
    """The guard itself: a kind registered with no builder is named."""
    ghost = kinds.register(kinds.Kind("test_ghost", lambda u, t: True, lambda u, t: True))
    try:
        missing = [k for k in sorted(kinds.KINDS) if k not in load_builders()]
        assert "test_ghost" in missing
        assert "test_folder" not in missing
    finally:
        kinds.unregister(ghost.name)


def test_the_walk_fails_when_a_stranger_can_read(app, folder_kind):
    """A case whose 'other' party can in fact read fails the walk (the walk can fail)."""
    use_app(app)
    case = BUILDERS["test_folder"]()
    case.others["staff, wrongly listed"] = case.allowed["staff"]
    with pytest.raises(AssertionError):
        walk(app, case)
