"""A person's messages when their account is erased (privacy's erasure calls this).

The thread stays readable for the others: each of the person's messages keeps its place
and time, its text becomes `ERASED_BODY`, it loses its author and its attachments; the
person's places in threads go, and their reports and threads no longer name them.
"""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents import services as documents
from cbec_alliance.extensions import db

from .models import ERASED_BODY, Message, Participant, Report, Thread


def erase_personal(user_id: int) -> None:
    """Erase what the threads hold of one user (their export, before, has it all)."""
    mine = list(db.session.scalars(sa.select(Message.id).where(Message.author_id == user_id)))
    for message_id in mine:
        documents.detach("message", message_id)
    db.session.execute(
        sa.update(Message)
        .where(Message.author_id == user_id)
        .values(body=ERASED_BODY, author_id=None, erased_at=utcnow())
    )
    db.session.execute(sa.delete(Participant).where(Participant.user_id == user_id))
    db.session.execute(
        sa.update(Report).where(Report.reporter_id == user_id).values(reporter_id=None)
    )
    db.session.execute(
        sa.update(Thread).where(Thread.created_by_id == user_id).values(created_by_id=None)
    )
