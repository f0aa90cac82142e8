"""Short-lived signed download links: whoever holds one may fetch that document, without a
session, until it expires (DOCUMENT_LINK_SECONDS)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cbec_alliance.core.errors import gone, not_found
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from .models import Document

SALT = "cbec_alliance.documents.link"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def sign(document: Document) -> tuple[str, datetime]:
    """A token for the document (bound to its content's hash) and when it expires."""
    seconds = current_app.config["DOCUMENT_LINK_SECONDS"]
    token = _serializer().dumps({"d": document.id, "h": document.sha256[:16]})
    return token, utcnow() + timedelta(seconds=seconds)


def open_link(token: str) -> Document:
    """The document a token names: 410 when it has expired, 404 when it was tampered with
    or the document is gone."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["DOCUMENT_LINK_SECONDS"])
    except SignatureExpired:
        gone(_("This download link has expired; ask for a new one."))
    except BadSignature:
        not_found("document")
    if not isinstance(data, dict) or not isinstance(data.get("d"), int):
        not_found("document")
    document = db.session.get(Document, data["d"])
    if document is None or document.sha256[:16] != data.get("h"):
        not_found("document")
    return document
