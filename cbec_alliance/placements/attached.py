"""Documents attached to a placement: scans of the signed agreement (any of the three parties
or a mentor attaches one; the parties, the mentors and overseers see them) and the files of
a weekly log (its student attaches them while the placement runs and before the log's first
review; the student, both mentors and overseers see them)."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.errors import conflict, forbidden, not_found
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import db

from . import access
from .logs import WRITABLE
from .models import Placement
from .records_access import seen
from .records_models import WeeklyLog

AGREEMENT = "placement_agreement"
LOG = "placement_log"


def _may_attach_agreement(user: User, placement: Placement) -> bool:
    return bool(access.parties(user, placement)) or user.id in (
        placement.school_mentor_id,
        placement.enterprise_mentor_id,
    )


def agreement_can_view(user: User, placement_id: int) -> bool:
    """Kind check: the placement's parties, its mentors, overseers (False when missing)."""
    placement = db.session.get(Placement, placement_id)
    return placement is not None and access.sees(user, placement)


def agreement_can_attach(user: User, placement_id: int) -> bool:
    """Kind check: the student, either side's staff, a mentor."""
    placement = db.session.get(Placement, placement_id)
    return placement is not None and _may_attach_agreement(user, placement)


def _sees_log(user: User, placement: Placement) -> bool:
    personal = (placement.student_id, placement.school_mentor_id, placement.enterprise_mentor_id)
    return user.id in personal or sees_all(user)


def _editable(log: WeeklyLog, placement: Placement) -> bool:
    # A reviewed log is what its mentor read: nothing is added to it afterwards.
    return placement.state in WRITABLE and not log.reviews


def log_can_view(user: User, log_id: int) -> bool:
    """Kind check: the student, both mentors, overseers (False for a missing log)."""
    log = db.session.get(WeeklyLog, log_id)
    return log is not None and _sees_log(user, db.session.get_one(Placement, log.placement_id))


def log_can_attach(user: User, log_id: int) -> bool:
    """Kind check: the log's student, while it is editable."""
    log = db.session.get(WeeklyLog, log_id)
    if log is None:
        return False
    placement = db.session.get_one(Placement, log.placement_id)
    return user.id == placement.student_id and _editable(log, placement)


def agreement_documents(user: User, placement: Placement) -> list[Document]:
    """The agreement's scans, oldest first."""
    return documents.attached(AGREEMENT, placement.id)


def attach_agreement(user: User, placement: Placement, document_id: int) -> list[Document]:
    """Attach one of the caller's uploads to the agreement (403 for a reader who is no party
    or mentor)."""
    if not _may_attach_agreement(user, placement):
        forbidden("Only the placement's parties and mentors attach agreement scans.")
    documents.attach(user, document_id, AGREEMENT, placement.id)
    return agreement_documents(user, placement)


def detach_agreement(user: User, placement: Placement, document_id: int) -> None:
    """Remove a scan (the one who attached it: its uploader)."""
    _detach_own(user, AGREEMENT, placement.id, document_id)


def _detach_own(user: User, kind: str, target_id: int, document_id: int) -> None:
    if not any(d.id == document_id for d in documents.attached(kind, target_id)):
        not_found("document")
    if db.session.get_one(Document, document_id).uploaded_by_id != user.id:
        forbidden("Only the one who attached a document removes it.")
    documents.detach(kind, target_id, document_id)


def _log(user: User, placement_id: int, log_id: int) -> tuple[WeeklyLog, Placement]:
    placement = seen(placement_id, user).placement
    log = db.session.scalar(
        sa.select(WeeklyLog).where(WeeklyLog.id == log_id, WeeklyLog.placement_id == placement.id)
    )
    if log is None:
        not_found("log")
    if not _sees_log(user, placement):
        forbidden("A log's attachments are for its student and mentors.")
    return log, placement


def log_documents(user: User, placement_id: int, log_id: int) -> list[Document]:
    """A log's attachments (the student, both mentors, overseers; other readers of the
    placement get 403, strangers 404)."""
    log, _placement = _log(user, placement_id, log_id)
    return documents.attached(LOG, log.id)


def attach_log(user: User, placement_id: int, log_id: int, document_id: int) -> list[Document]:
    """The student attaches one of their uploads to a log while it is editable (409 once
    reviewed or the placement no longer runs)."""
    log, placement = _log(user, placement_id, log_id)
    if user.id != placement.student_id:
        forbidden("Only the placement's student attaches files to a log.")
    if not _editable(log, placement):
        conflict("the log is reviewed or the placement no longer runs: nothing more is attached")
    documents.attach(user, document_id, LOG, log.id)
    return documents.attached(LOG, log.id)


def detach_log(user: User, placement_id: int, log_id: int, document_id: int) -> None:
    """The student removes a file from a log while it is editable."""
    log, placement = _log(user, placement_id, log_id)
    if user.id != placement.student_id:
        forbidden("Only the placement's student attaches files to a log.")
    if not _editable(log, placement):
        conflict("the log is reviewed or the placement no longer runs: nothing more is attached")
    _detach_own(user, LOG, log.id, document_id)
