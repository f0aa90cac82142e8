"""The beat task deleting uploads never attached (after DOCUMENT_ORPHAN_HOURS) and stored
files no row names (after a day); run twice, the second run finds nothing."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import db
from tasks import documents as document_tasks
from tests import factories
from tests.documents import files
from tests.documents.conftest import KIND, post_file


def delete_orphans() -> dict:
    """The beat task's body in the test's own app: the task object enters the app Celery was
    bound to, which in a worker process running other tests may be another app (another
    storage and settings)."""
    return document_tasks.delete_orphans.run()


def _aged(doc_id: int, hours: float) -> Document:
    document = db.session.get(Document, doc_id)
    document.created_at = utcnow() - timedelta(hours=hours)
    db.session.flush()
    return document


def test_old_unattached_uploads_go_rows_and_bytes(as_user, app, store, folder_kind):
    uni = factories.UniversityFactory()
    user = factories.member(uni, "admin")
    client = as_user(user)
    old = _aged(post_file(client, files.PDF, "旧.pdf").get_json()["id"], 25)
    young = _aged(post_file(client, files.PDF, "新.pdf").get_json()["id"], 23)
    attached_id = post_file(client, files.PDF, kind=KIND, target_id=uni.id).get_json()["id"]
    attached = _aged(attached_id, 48)
    keys = {d.id: d.storage_key for d in (old, young, attached)}
    old_id, kept_ids = old.id, (young.id, attached.id)
    with app.app_context():
        assert delete_orphans() == {"documents": 1, "stray_files": 0}
        assert delete_orphans() == {"documents": 0, "stray_files": 0}
    db.session.expire_all()
    assert db.session.get(Document, old_id) is None
    assert not store.exists(keys[old_id])
    for kept in kept_ids:
        assert db.session.get(Document, kept) is not None
        assert store.exists(keys[kept])


def test_the_age_is_a_setting(as_user, app):
    client = as_user(factories.UserFactory())
    doc_id = _aged(post_file(client, files.PNG, "a.png").get_json()["id"], 3).id
    app.config["DOCUMENT_ORPHAN_HOURS"] = 2
    try:
        with app.app_context():
            assert delete_orphans()["documents"] == 1
    finally:
        app.config["DOCUMENT_ORPHAN_HOURS"] = 24
    assert db.session.get(Document, doc_id) is None


@pytest.mark.parametrize("age_hours", [25, 2])
def test_stored_files_without_a_row_go_after_a_day(app, local_storage, as_user, age_hours):
    client = as_user(factories.UserFactory())
    kept = post_file(client, files.PDF).get_json()["id"]
    kept_key = db.session.get(Document, kept).storage_key
    local_storage.put("ab/crash-left-this", io.BytesIO(b"%PDF-1.4 orphan"))
    stamp = time.time() - age_hours * 3600
    for key in ("ab/crash-left-this", kept_key):
        os.utime(local_storage.root / key, (stamp, stamp))
    with app.app_context():
        result = delete_orphans()
    stray = age_hours > 24
    assert result["stray_files"] == (1 if stray else 0)
    assert local_storage.exists("ab/crash-left-this") is not stray
    assert local_storage.exists(kept_key)


def test_the_task_is_on_the_beat_schedule(app):
    schedule = app.extensions["celery"].conf.beat_schedule
    assert any(e["task"] == "documents.delete_orphans" for e in schedule.values())
