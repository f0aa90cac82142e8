"""Exam sittings: who may hold one, registration under capacity, cancellation."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.capacity import give_back, take
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import membership
from cbec_alliance.students.services import require_student
from cbec_alliance.taxonomy import services as taxonomy
from cbec_alliance.training_bases.services import is_site_of

from .models import EXAM_SEATS, CertificateExam, ExamRegistration

# Exam dates are Guangzhou calendar days.
LOCAL = timezone(timedelta(hours=8), "Asia/Shanghai")


def today() -> date:
    """Today in Guangzhou."""
    return datetime.now(LOCAL).date()


def get(exam_id: int) -> CertificateExam:
    """A sitting (they are public), or 404."""
    exam = db.session.get(CertificateExam, exam_id)
    if exam is None:
        not_found("certificate exam")
    return exam


def _staff_of(user: User, org_id: int) -> bool:
    m = membership(user, org_id)
    return m is not None and m.role in STAFF_ROLES


def is_site_staff(user: User, exam: CertificateExam) -> bool:
    """Whether the user is an admin or staff of the organization running the sitting."""
    return _staff_of(user, exam.site_organization_id)


def require_site(user: User, exam: CertificateExam) -> None:
    """403 unless the user runs the sitting's site."""
    if not is_site_staff(user, exam):
        forbidden("Only the exam site's admins and staff may do this.")


def check_certificate(code: str, level: str, field: str = "certificate_code") -> None:
    """422 for a code not in the catalogue or a level it is not awarded at."""
    levels = taxonomy.certificate_levels(code)
    if levels is None:
        invalid(field, _("unknown certificates code: %(code)s", code=code))
    if level not in levels:
        invalid(
            "level",
            _(
                "%(code)s is awarded at %(levels)s, not %(level)s",
                code=code,
                levels=", ".join(levels),
                level=level,
            ),
        )


def create(user: User, data: dict) -> CertificateExam:
    """A sitting at a university, or at a training base its host or universities hold."""
    check_certificate(data["certificate_code"], data["level"])
    site = db.session.get(Organization, data["site_organization_id"])
    if site is None or site.status != "approved" or site.kind not in ("university", "enterprise"):
        invalid("site_organization_id", "not an approved university or enterprise")
    if data.get("training_base_id") is not None:
        held = is_site_of(data["training_base_id"], site.id)
        if not held:
            invalid("training_base_id", "not an approved training base of the site")
    elif site.kind != "university":
        invalid("training_base_id", "an enterprise holds exams at one of its training bases")
    if data["exam_date"] <= today():
        invalid("exam_date", "must be after today")
    if not _staff_of(user, site.id):
        forbidden("Only the site's admins and staff schedule its exams.")
    exam = CertificateExam(created_by_id=user.id, **data)
    db.session.add(exam)
    db.session.flush()
    audit(
        actor=user,
        obj=exam,
        action="create",
        changes={k: str(v) for k, v in data.items()},
        organization_id=site.id,
    )
    return exam


def cancel(user: User, exam: CertificateExam, reason: str) -> CertificateExam:
    """Call a sitting off before any result; everyone registered is told."""
    require_site(user, exam)
    exam = _lock(exam.id)
    if exam.state != "scheduled":
        conflict("the exam is already cancelled")
    if db.session.scalar(
        sa.select(ExamRegistration.id).where(
            ExamRegistration.exam_id == exam.id, ExamRegistration.result_at.is_not(None)
        )
    ):
        conflict("results have been entered; the exam cannot be cancelled")
    exam.state = "cancelled"
    audit(actor=user, obj=exam, action="cancel", changes={"reason": reason})
    emit("certificate_exam.cancelled", {**payload(exam), "reason": reason}, actor=user)
    return exam


def _lock(exam_id: int) -> CertificateExam:
    stmt = for_update(sa.select(CertificateExam).where(CertificateExam.id == exam_id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def _mine(exam: CertificateExam, user: User) -> ExamRegistration | None:
    return db.session.scalar(
        sa.select(ExamRegistration).where(
            ExamRegistration.exam_id == exam.id, ExamRegistration.student_id == user.id
        )
    )


def register(user: User, exam: CertificateExam) -> ExamRegistration:
    """A student takes a seat, until the day before the exam, never beyond capacity."""
    membership = require_student(user)
    exam = _lock(exam.id)
    if exam.state != "scheduled":
        conflict("the exam was cancelled")
    if today() >= exam.exam_date:
        conflict("registration closes the day before the exam")
    mine = _mine(exam, user)
    if mine is not None and mine.status == "registered":
        conflict("you are already registered")
    if take(EXAM_SEATS, exam) is None:
        conflict(_("the exam is full (%(capacity)s seats)", capacity=exam.capacity))
    if mine is None:
        mine = ExamRegistration(exam_id=exam.id, student_id=user.id)
        db.session.add(mine)
    mine.status, mine.created_at = "registered", utcnow()
    mine.university_id = membership.organization_id
    db.session.flush()
    return mine


def unregister(user: User, exam: CertificateExam) -> None:
    """Give the seat back, until the day before the exam."""
    exam = _lock(exam.id)
    mine = _mine(exam, user)
    if mine is None or mine.status != "registered":
        not_found("registration")
    if today() >= exam.exam_date:
        conflict("registration closes the day before the exam")
    mine.status = "cancelled"
    give_back(EXAM_SEATS, exam)


def registrations(user: User, exam: CertificateExam) -> sa.Select:
    """Who registered and their results (the site's staff, coordinators)."""
    if not (user.is_coordinator or is_site_staff(user, exam)):
        forbidden("Only the exam site and coordinators see who registered.")
    return (
        sa.select(ExamRegistration)
        .where(ExamRegistration.exam_id == exam.id, ExamRegistration.status == "registered")
        .order_by(ExamRegistration.created_at, ExamRegistration.id)
    )


def listing(args: dict) -> sa.Select:
    """Scheduled sittings from `from_date` (default today), soonest first."""
    stmt = sa.select(CertificateExam).where(
        CertificateExam.exam_date >= args.get("from_date", today())
    )
    if not args.get("include_cancelled"):
        stmt = stmt.where(CertificateExam.state == "scheduled")
    for name in ("certificate_code", "level", "site_organization_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(CertificateExam, name) == args[name])
    return stmt.order_by(CertificateExam.exam_date, CertificateExam.id)


def payload(exam: CertificateExam) -> dict:
    """The fields every exam notification carries."""
    return {
        "exam_id": exam.id,
        "certificate_code": exam.certificate_code,
        "certificate": taxonomy.label("certificates", exam.certificate_code),
        "level": exam.level,
        "exam_date": exam.exam_date.isoformat(),
    }
