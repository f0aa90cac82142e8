"""Who sees a document, and attaching it to an object of a registered kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_smorest import abort

from cbec_alliance.core.errors import forbidden, invalid, not_found
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from . import kinds
from .models import Attachment, Document

if TYPE_CHECKING:
    from cbec_alliance.accounts.models import User


def visible(user: User | None, document: Document) -> bool:
    """True when `user` uploaded the document or may see an object it is attached to; for
    nobody signed in (None), when an object it is attached to is public."""
    if user is not None and user.id == document.uploaded_by_id:
        return True
    for attachment in document.attachments:
        kind = kinds.get(attachment.kind)
        if kind is None:
            continue
        if user is None:
            if kind.public is not None and kind.public(attachment.target_id):
                return True
        elif kind.can_view(user, attachment.target_id) or (
            kind.public is not None and kind.public(attachment.target_id)
        ):
            return True
    return False


def get_visible(user: User | None, document_id: int) -> Document:
    """The document, or 404 when it does not exist or `user` may not see it (a stranger
    learns nothing, not even that it exists)."""
    document = db.session.get(Document, document_id)
    if document is None or not visible(user, document):
        not_found("document")
    return document


def get_readable(user: User | None, document_id: int) -> Document:
    """As `get_visible`, but nobody signed in gets 401 (log in) rather than 404 unless the
    document is attached to a public object."""
    document = db.session.get(Document, document_id)
    if document is None or not visible(user, document):
        if user is None:
            abort(401, message=_("Log in or send a valid bearer token."))
        not_found("document")
    return document


def seen_attachments(user: User | None, document: Document) -> list[Attachment]:
    """The document's attachments whose object `user` may see (or made, or is public)."""
    shown = []
    for attachment in document.attachments:
        kind = kinds.get(attachment.kind)
        if kind is None:
            continue
        if (
            (user is not None and attachment.created_by_id == user.id)
            or (user is not None and kind.can_view(user, attachment.target_id))
            or (kind.public is not None and kind.public(attachment.target_id))
        ):
            shown.append(attachment)
    return shown


def attached_listing(user: User, kind_name: str, target_id: int) -> sa.Select:
    """The documents attached to a target `user` may see or that is public (422 for an
    unknown kind, 404 for a target not seen), the last attached first."""
    kind = kinds.get(kind_name)
    if kind is None:
        invalid("kind", "Unknown kind of attachment.")
    public = kind.public is not None and kind.public(target_id)
    if not public and not kind.can_view(user, target_id):
        not_found(kind_name)
    return (
        sa.select(Document)
        .join(Attachment)
        .where(Attachment.kind == kind_name, Attachment.target_id == target_id)
        .order_by(Attachment.id.desc())
    )


def uploads_of(user: User) -> sa.Select:
    """The documents `user` uploaded, newest first."""
    return (
        sa.select(Document).where(Document.uploaded_by_id == user.id).order_by(Document.id.desc())
    )


def own_upload(user: User, document_id: int, field: str = "document_id") -> Document:
    """A document `user` uploaded, for attaching it: 422 naming `field` otherwise (another
    person's upload is never attached by someone who happens to see it)."""
    document = db.session.get(Document, document_id)
    if document is None or document.uploaded_by_id != user.id:
        invalid(field, "No document of yours has this id.")
    return document


def check_type(kind: kinds.Kind, document: Document, field: str = "document_id") -> None:
    """422 naming `field` when the document's detected type is not one the kind takes."""
    if document.type not in kind.types:
        invalid(field, _("A %(type)s file cannot be attached here.", type=document.type))


def attachable(user: User, kind_name: str, target_id: int) -> kinds.Kind:
    """The kind, when `user` may attach to the target through the generic routes: 422 for
    an unknown kind, 404 for a target they may not see, 403 for one they see but may not
    attach to (or whose domain attaches its one file itself: `managed`)."""
    kind = kinds.get(kind_name)
    if kind is None:
        invalid("kind", "Unknown kind of attachment.")
    if kind.managed or not kind.can_attach(user, target_id):
        if kind.can_view(user, target_id):
            forbidden("You may not attach documents to this.")
        not_found(kind_name)
    return kind


def attach(user: User, document_id: int, kind_name: str, target_id: int) -> Attachment:
    """Attach `user`'s own upload to a target (idempotent: the same triple is one row).

    404 when the kind is unknown or the user may not see the target; 403 when they see it
    but may not attach; 422 for a document not theirs or of a type the kind refuses.
    """
    kind = attachable(user, kind_name, target_id)
    document = own_upload(user, document_id)
    check_type(kind, document)
    return attach_as(user, document, kind_name, target_id)


def attach_as(user: User | None, document: Document, kind_name: str, target_id: int) -> Attachment:
    """Attach without checks: for a domain's service that has checked them itself (a
    résumé picked for an application, a submission in its window)."""
    existing = db.session.scalar(
        sa.select(Attachment).where(
            Attachment.document_id == document.id,
            Attachment.kind == kind_name,
            Attachment.target_id == target_id,
        )
    )
    if existing is not None:
        return existing
    attachment = Attachment(
        document=document,
        kind=kind_name,
        target_id=target_id,
        created_by_id=user.id if user is not None else None,
    )
    db.session.add(attachment)
    if document.attached_at is None:
        document.attached_at = utcnow()
    db.session.flush()
    return attachment


def detach(kind_name: str, target_id: int, document_id: int | None = None) -> int:
    """Remove the attachments of a target (or of one document to it); returns how many.
    The document itself stays for its other attachments and its uploader."""
    stmt = sa.delete(Attachment).where(
        Attachment.kind == kind_name, Attachment.target_id == target_id
    )
    if document_id is not None:
        stmt = stmt.where(Attachment.document_id == document_id)
    # A DELETE's result is a CursorResult (with rowcount); Session.execute is typed Result.
    return cast(sa.CursorResult, db.session.execute(stmt)).rowcount or 0


def attached(kind_name: str, target_id: int) -> list[Document]:
    """The documents attached to one target, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Document)
            .join(Attachment)
            .where(Attachment.kind == kind_name, Attachment.target_id == target_id)
            .order_by(Attachment.id)
        )
    )
