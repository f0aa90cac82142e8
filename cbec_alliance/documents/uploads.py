"""A document's life: uploaded (checked, hashed, stored), deleted, swept when never
attached, and erased with its uploader's personal data."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import IO, TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from cbec_alliance.core.db import after_commit
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from . import kinds, services
from .detect import Refused, detect, plain_name
from .models import Attachment, Document
from .storage import Storage, new_key, storage

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage

    from cbec_alliance.accounts.models import User

CHUNK = 1024 * 1024
# A stored file with no row (a crash between storing and committing) is removed once this
# old: far past any request that could still be committing it.
STRAY_FILE_AGE = timedelta(days=1)


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def _check_target(user: User, kind_name: str | None, target_id: int | None) -> kinds.Kind | None:
    """The kind to attach to at once, checked before anything is stored (as `attach`)."""
    if kind_name is None and target_id is None:
        return None
    if kind_name is None:
        invalid("kind", "Give the kind together with target_id.")
    if target_id is None:
        invalid("target_id", "Give target_id together with the kind.")
    return services.attachable(user, kind_name, target_id)


def upload(
    user: User,
    file: FileStorage | None,
    kind_name: str | None = None,
    target_id: int | None = None,
) -> Document:
    """Store an upload (type from its content, SHA-256, a plain name) and, given a kind and
    target, attach it at once. Nothing stays stored when the request is refused."""
    if file is None:
        invalid("file", "Choose a file to upload.")
    kind = _check_target(user, kind_name, target_id)
    stream = file.stream
    sha256, size = _digest(stream)
    if size == 0:
        invalid("file", "The file is empty.")
    try:
        found = detect(stream)
    except Refused as refused:
        invalid("file", _(refused.message, **refused.params))
    if kind is not None and found.type not in kind.types:
        invalid("file", _("A %(type)s file cannot be attached here.", type=found.type))
    key = new_key()
    store = storage()
    stream.seek(0)
    store.put(key, stream)
    try:
        document = Document(
            uploaded_by_id=user.id,
            original_name=plain_name(file.filename),
            type=found.type,
            content_type=found.content_type,
            size=size,
            sha256=sha256,
            storage_key=key,
        )
        db.session.add(document)
        db.session.flush()
        if kind is not None and target_id is not None:
            services.attach_as(user, document, kind.name, target_id)  # checked above
    except BaseException:
        # Refused after storing: the bytes go now (a crash is left to the sweep).
        store.delete(key)
        raise
    return document


def _delete_stored(store: Storage, keys: list[str]) -> None:
    for key in keys:
        store.delete(key)


def _after_commit_delete(keys: list[str]) -> None:
    if keys:
        after_commit(_delete_stored, storage(), keys)


def delete(user: User, document: Document) -> None:
    """Delete a document (its uploader only: 403 for others who see it); its bytes go
    once the deletion is committed."""
    if document.uploaded_by_id != user.id:
        forbidden("Only its uploader may delete a document.")
    held = [a.kind for a in document.attachments if (k := kinds.get(a.kind)) and k.managed]
    if held:
        # A résumé, a submission or a material is that file: removing it is the domain's step.
        conflict(
            _("The document is held by %(kinds)s: remove it there first.", kinds=", ".join(held)),
            held_by=held,
        )
    _after_commit_delete(_deleted_keys(Document.id == document.id))
    db.session.expunge(document)


def remove_attachment(user: User, document: Document, attachment_id: int) -> None:
    """Detach a document from one object: the uploader, or whoever may attach to it."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.document_id != document.id:
        not_found("attachment")
    kind = kinds.get(attachment.kind)
    allowed = user.id == document.uploaded_by_id or (
        kind is not None and kind.can_attach(user, attachment.target_id)
    )
    if kind is not None and kind.managed and allowed:
        forbidden("This document is detached where it is attached (its own route).")
    if not allowed:
        forbidden("You may not detach this document.")
    services.detach(attachment.kind, attachment.target_id, document.id)


def _deleted_keys(where: sa.ColumnElement[bool]) -> list[str]:
    """Delete the documents matching `where` and their attachments (SQLite enforces no
    cascade) in two statements; the documents' storage keys."""
    db.session.execute(
        sa.delete(Attachment)
        .where(Attachment.document_id.in_(sa.select(Document.id).where(where)))
        .execution_options(synchronize_session=False)
    )
    stmt = (
        sa.delete(Document)
        .where(where)
        .returning(Document.storage_key)
        .execution_options(synchronize_session=False)
    )
    return list(db.session.scalars(stmt).all())


def _attached() -> sa.Exists:
    return sa.exists().where(Attachment.document_id == Document.id)


def delete_orphans() -> dict[str, int]:
    """Delete uploads never attached and older than DOCUMENT_ORPHAN_HOURS (rows now, bytes
    after the commit), and stored files with no row older than a day. Safe to run twice or
    at once: the delete re-checks its condition and a missing file is no error."""
    cutoff = utcnow() - timedelta(hours=current_app.config["DOCUMENT_ORPHAN_HOURS"])
    keys = _deleted_keys(
        sa.and_(Document.attached_at.is_(None), Document.created_at < cutoff, ~_attached())
    )
    _after_commit_delete(keys)
    stray = stray_keys()
    _after_commit_delete(stray)
    return {"documents": len(keys), "stray_files": len(stray)}


def stray_keys(batch: int = 500) -> list[str]:
    """Stored files older than a day that no document row names."""
    older_than = (utcnow() - STRAY_FILE_AGE).timestamp()
    found: list[str] = []
    pending: list[str] = []

    def check() -> None:
        known = set(
            db.session.scalars(
                sa.select(Document.storage_key).where(Document.storage_key.in_(pending))
            )
        )
        found.extend(k for k in pending if k not in known)
        pending.clear()

    for key in storage().stale_keys(older_than):
        pending.append(key)
        if len(pending) >= batch:
            check()
    if pending:
        check()
    return found


def erase_personal(user_id: int) -> None:
    """A user's documents on erasure: those attached to nothing, or only to personal
    objects (`Kind.personal`, a résumé), are deleted; those attached to a shared object (an
    agreement, a course material) stay for the others, without their uploader."""
    personal = [k.name for k in kinds.KINDS.values() if k.personal]
    shared = sa.exists().where(
        Attachment.document_id == Document.id, Attachment.kind.not_in(personal)
    )
    keys = _deleted_keys(sa.and_(Document.uploaded_by_id == user_id, ~shared))
    _after_commit_delete(keys)
    db.session.execute(
        sa.update(Document).where(Document.uploaded_by_id == user_id).values(uploaded_by_id=None)
    )
    db.session.execute(
        sa.update(Attachment).where(Attachment.created_by_id == user_id).values(created_by_id=None)
    )
