"""Students' résumés: several per student, one of them the default; and who sees one.

A résumé is seen by its student, the staff of their university, the staff of every
enterprise they applied to (asked of `applications` through the `applied_to` hook, since
students sits below it) and whoever oversees the alliance (`core.authz.sees_all`).
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.hooks import Hook
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.pick import own_of_kind
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES
from cbec_alliance.students.models import StudentProfile, StudentResume
from cbec_alliance.students.services import get_profile

KIND = "student_resume"
# Résumés are read, not run: PDFs, office files, images of a paper one, plain text.
TYPES = frozenset({"pdf", "office", "image", "text"})

# True when the student applied (in any state) to a posting of one of these enterprises;
# provided by applications/hooks.py.
applied_to: Hook[[int, Collection[int]], bool] = Hook("students.applied_to")


def staff_orgs(user: User) -> set[int]:
    """The organizations where the user is an admin or staff member."""
    return {m.organization_id for m in user.memberships if m.role in STAFF_ROLES}


def sees_student(user: User, student_id: int) -> bool:
    """True when `user` may read this student's résumés: the student, their university's
    staff, the staff of an enterprise they applied to, overseers."""
    if user.id == student_id:
        return True
    profile = db.session.get(StudentProfile, student_id)
    if profile is None:
        return False
    if sees_all(user):
        return True
    orgs = staff_orgs(user)
    if profile.university_id in orgs:
        return True
    return bool(orgs) and applied_to(student_id, orgs)


def can_view(user: User, resume_id: int) -> bool:
    """Kind check: whoever sees the résumé's student (False for a missing résumé)."""
    resume = db.session.get(StudentResume, resume_id)
    return resume is not None and sees_student(user, resume.student_id)


def can_attach(user: User, resume_id: int) -> bool:
    """Kind check: only the résumé's own student."""
    resume = db.session.get(StudentResume, resume_id)
    return resume is not None and resume.student_id == user.id


def mine(user: User) -> list[StudentResume]:
    """The caller's résumés, the default first, then newest first (404 before the profile)."""
    get_profile(user)
    return list(
        db.session.scalars(
            sa.select(StudentResume)
            .where(StudentResume.student_id == user.id)
            .order_by(StudentResume.is_default.desc(), StudentResume.id.desc())
        )
    )


def default_document(student_id: int) -> int | None:
    """The document id of the student's default résumé, if they marked one."""
    return db.session.scalar(
        sa.select(StudentResume.document_id).where(
            StudentResume.student_id == student_id, StudentResume.is_default
        )
    )


def _lock_profile(user: User) -> StudentProfile:
    # Every change of a student's résumés takes their profile's row lock first, so two
    # concurrent "make default" never both clear and both set (the partial unique index
    # would answer the loser with an error).
    get_profile(user)
    return db.session.scalars(
        for_update(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))
    ).one()


def _clear_default(student_id: int) -> None:
    db.session.execute(
        sa.update(StudentResume)
        .where(StudentResume.student_id == student_id, StudentResume.is_default)
        .values(is_default=False)
    )


def add(user: User, data: dict) -> StudentResume:
    """Add one of the caller's uploads as a résumé; the first one is the default, and
    `default: true` makes a later one the default (the previous one no longer is)."""
    _lock_profile(user)
    document = own_of_kind(user, data["document_id"], KIND)
    has_default = default_document(user.id) is not None
    is_default = data.get("default", False) or not has_default
    if is_default and has_default:
        _clear_default(user.id)
    resume = StudentResume(
        student_id=user.id, document_id=document.id, label=data["label"], is_default=is_default
    )
    db.session.add(resume)
    db.session.flush()
    documents.attach_as(user, document, KIND, resume.id)
    audit(actor=user, obj=resume, action="create", changes={"label": resume.label})
    return resume


def _own(user: User, resume_id: int) -> StudentResume:
    resume = db.session.get(StudentResume, resume_id)
    if resume is None or resume.student_id != user.id:
        not_found("resume")
    return resume


def make_default(user: User, resume_id: int) -> StudentResume:
    """Make one of the caller's résumés the default, in one transaction with un-marking the
    previous default."""
    _lock_profile(user)
    resume = _own(user, resume_id)
    if not resume.is_default:
        _clear_default(user.id)
        db.session.flush()
        resume.is_default = True
        db.session.flush()
        audit(actor=user, obj=resume, action="update", changes={"is_default": True})
    return resume


def remove(user: User, resume_id: int) -> None:
    """Remove a résumé (the document stays the caller's upload, and stays attached to the
    applications it was sent with); when it was the default, the newest remaining one
    becomes the default."""
    _lock_profile(user)
    resume = _own(user, resume_id)
    was_default = resume.is_default
    documents.detach(KIND, resume.id)
    db.session.delete(resume)
    db.session.flush()
    if was_default:
        newest = db.session.scalars(
            sa.select(StudentResume)
            .where(StudentResume.student_id == user.id)
            .order_by(StudentResume.id.desc())
            .limit(1)
        ).first()
        if newest is not None:
            newest.is_default = True
    audit(actor=user, obj=resume, action="delete", changes={"label": resume.label})
