"""A roster import: the uploaded file, its progress and its row-by-row report."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

STATES = ("queued", "running", "done", "failed")
# What became of a row: a new account and membership, a person already in the university,
# an existing account invited to join (they accept after logging in), or a bad row.
OUTCOMES = ("created", "already_member", "invited", "invalid")


class RosterImport(Model):
    """A university's upload of students, run by a Celery task and polled by the client."""

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    # The file's rows as read at upload ({column: text} with the row number under "row"): a
    # worker on another machine reads them from here; emptied once the import has run.
    rows: Mapped[list[dict] | None] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(10), default="queued")
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    already_member: Mapped[int] = mapped_column(default=0)
    invited: Mapped[int] = mapped_column(default=0)
    invalid: Mapped[int] = mapped_column(default=0)
    # [{row, outcome, name, student_number, email, field, message}], in file order.
    report: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
