"""Asking `documents.services.visible` for several users, in an app context of its own (a
test holding one for its whole length would share `g`, so the logged-in user, with its
requests)."""

from __future__ import annotations

from cbec_alliance.documents.models import Document
from cbec_alliance.documents.services import visible
from cbec_alliance.extensions import db


def who_sees(app, document_id: int, users: dict) -> dict[str, bool]:
    """name -> whether that user (None: nobody signed in) may see the document."""
    with app.app_context():
        document = db.session.get_one(Document, document_id)
        return {name: visible(user, document) for name, user in users.items()}
