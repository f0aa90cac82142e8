"""The `message` kind of attachment: a message's documents are seen by the parties of its
thread's object. Nobody attaches through the documents routes (messages do not change once
posted): the poster's own uploads are attached with the message, by `services.post`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from cbec_alliance.documents.kinds import Kind, register
from cbec_alliance.extensions import db

from . import parties
from .models import Message, Thread

if TYPE_CHECKING:
    from cbec_alliance.accounts.models import User


def can_view(user: User, message_id: int) -> bool:
    """True for a party of the object the message's thread is on (False for no message)."""
    found = db.session.execute(
        sa.select(Thread.subject, Thread.subject_id)
        .join(Message, Message.thread_id == Thread.id)
        .where(Message.id == message_id)
    ).first()
    return found is not None and parties.is_party(user, found.subject, found.subject_id)


def can_attach(user: User, message_id: int) -> bool:
    """Never: documents come with the message when it is posted."""
    return False


MESSAGE = register(Kind(name="message", can_view=can_view, can_attach=can_attach))
