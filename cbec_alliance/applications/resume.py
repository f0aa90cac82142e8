"""The résumé an application carries: chosen at apply time (by default the student's default
résumé) and changeable while the application is still open; seen by the application's
parties (the student, the posting's enterprise staff, the university's staff) and overseers."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.applications.models import Application
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.pick import own_of_kind
from cbec_alliance.extensions import db
from cbec_alliance.students import resumes

KIND = "application_resume"
# Before an offer the student may still change what the enterprise reads.
OPEN = ("submitted", "shortlisted")


def attach(user: User, application: Application, document_id: int | None) -> None:
    """Set the application's résumé to one of the student's uploads (None: the default
    résumé when they marked one, else none); 422 naming `resume_document_id` otherwise."""
    if document_id is None:
        document_id = resumes.default_document(user.id)
        if document_id is None:
            return
    _send(user, application, document_id)


def _send(user: User, application: Application, document_id: int) -> None:
    document = own_of_kind(user, document_id, KIND, "resume_document_id")
    application.resume_document_id = document.id
    documents.attach_as(user, document, KIND, application.id)


def change(user: User, seen: Application, document_id: int | None) -> Application:
    """The student changes (or, with None, removes) the résumé of an application they see
    (`services.get_visible_application`) while it is open: 403 for its other parties, 409
    once it is not open."""
    application = db.session.scalars(
        for_update(sa.select(Application).where(Application.id == seen.id)).execution_options(
            populate_existing=True
        )
    ).one()
    if application.student_id != user.id:
        forbidden("Only the student changes the résumé sent with an application.")
    if application.status not in OPEN:
        conflict("the résumé can be changed only before an offer is made")
    before = application.resume_document_id
    documents.detach(KIND, application.id)
    application.resume_document_id = None
    if document_id is not None:
        _send(user, application, document_id)
    db.session.flush()
    audit(
        actor=user,
        obj=application,
        action="update",
        changes={"resume_document_id": [before, application.resume_document_id]},
    )
    return application
