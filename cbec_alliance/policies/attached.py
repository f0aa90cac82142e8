"""Documents attached to a policy application: the applicant organization's admins attach
them while the application is editable (submitted, or asked for more information); they are
seen by whoever sees the application (the applicant's admins, the issuing government's
admins and staff, coordinators: `applications.get_visible`)."""

from __future__ import annotations

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import conflict, forbidden, not_found
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import db

from . import services
from .models import Policy, PolicyApplication

KIND = "policy_application_document"
EDITABLE = ("submitted", "more_info_requested")


def _applicant(user: User, app: PolicyApplication) -> bool:
    return app.organization_id in services.org_roles(user, ("admin",))


def can_view(user: User, application_id: int) -> bool:
    """Kind check: the application's readers (False when it is missing)."""
    app = db.session.get(PolicyApplication, application_id)
    if app is None:
        return False
    if user.is_coordinator or _applicant(user, app):
        return True
    return services.is_issuer_staff(user, db.session.get_one(Policy, app.policy_id))


def can_attach(user: User, application_id: int) -> bool:
    """Kind check: the applicant's admins, while the application is editable."""
    app = db.session.get(PolicyApplication, application_id)
    return app is not None and app.state in EDITABLE and _applicant(user, app)


def listing(app: PolicyApplication) -> list[Document]:
    """The application's documents, oldest first."""
    return documents.attached(KIND, app.id)


def _require_editor(user: User, app: PolicyApplication) -> None:
    if not _applicant(user, app):
        forbidden("Only the applicant organization's admins do this.")
    if app.state not in EDITABLE:
        conflict("documents are attached while the application is submitted or asked for more")


def attach(user: User, app: PolicyApplication, document_id: int) -> list[Document]:
    """Attach one of the caller's uploads (the applicant's admins, while editable)."""
    _require_editor(user, app)
    documents.attach(user, document_id, KIND, app.id)
    return listing(app)


def detach(user: User, app: PolicyApplication, document_id: int) -> None:
    """Remove one (the applicant's admins, while editable)."""
    _require_editor(user, app)
    if not any(d.id == document_id for d in listing(app)):
        not_found("document")
    documents.detach(KIND, app.id, document_id)
