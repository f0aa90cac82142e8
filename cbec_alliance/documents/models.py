"""An uploaded file and what it is attached to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

# What the content was detected to be (never the name's extension).
TYPES = ("pdf", "image", "office", "zip", "text")


class Document(Model):
    """One uploaded file: its bytes live in storage under `storage_key`, never a path made
    from the name the client gave."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The client's file name, reduced to a plain name (no directories); shown and offered as
    # the download's name only.
    original_name: Mapped[str] = mapped_column(sa.String(255))
    # Detected from the content: one of TYPES, and the MIME type served.
    type: Mapped[str] = mapped_column(sa.String(10))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    storage_key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Set when first attached; an upload never attached is deleted after a day (beat).
    attached_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Attachment(Model):
    """A document attached to one object of a kind (`documents.kinds`): who sees the
    document is decided by the objects it is attached to."""

    __tablename__ = "document_attachments"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "kind", "target_id"),
        sa.Index("ix_document_attachments_target", "kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    target_id: Mapped[int] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="attachments")


rule(
    "one attachment per document and object",
    duplicates(Attachment.__table__, "document_id", "kind", "target_id"),
)
