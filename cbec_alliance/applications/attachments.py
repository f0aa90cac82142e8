"""The kinds of attachment applications own (documents.kinds)."""

from __future__ import annotations

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import resume
from cbec_alliance.applications.models import Application
from cbec_alliance.applications.services import party
from cbec_alliance.core.authz import sees_all
from cbec_alliance.documents.kinds import Kind, register
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.students.resumes import TYPES


def can_view(user: User, application_id: int) -> bool:
    """The application's parties (student, the posting's enterprise staff, the university's
    staff) and overseers; False when it is missing."""
    application = db.session.get(Application, application_id)
    if application is None:
        return False
    posting = db.session.get_one(Internship, application.internship_id)
    return party(application, posting, user) is not None or sees_all(user)


def can_attach(user: User, application_id: int) -> bool:
    """The application's student, while it is open."""
    application = db.session.get(Application, application_id)
    return (
        application is not None
        and application.student_id == user.id
        and application.status in resume.OPEN
    )


# Target: the application (applications.id); its résumé is `resume_document_id`.
# Personal: erasing the student empties the application's résumé, as its cover letter.
register(Kind(resume.KIND, can_view, can_attach, types=TYPES, personal=True, managed=True))
