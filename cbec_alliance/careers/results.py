"""Results of a sitting, the certificate records a pass issues, and their verification."""

from __future__ import annotations

import secrets
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.students import services as students
from cbec_alliance.taxonomy import services as taxonomy

from . import services as exams
from .models import CertificateExam, CertificateRecord, ExamRegistration

# Ten characters of Crockford's base 32 (no I, L, O, U): 50 bits, read aloud or typed from
# paper without ambiguity, and not guessable from a neighbour's number.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_number(year: int) -> str:
    """A new record number: CBEC-<year>-<ten characters of Crockford base 32>."""
    return f"CBEC-{year}-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def enter_results(user: User, exam: CertificateExam, results: list[dict]) -> list[ExamRegistration]:
    """The site enters scores (from the exam day on); each pass issues a certificate record.

    A result is final: a student who already has one, or was never registered, is a 409 and
    nothing of the batch is stored.
    """
    exams.require_site(user, exam)
    if exam.state != "scheduled":
        conflict("the exam was cancelled")
    if exams.today() < exam.exam_date:
        conflict(
            gettext(
                "results are entered from the exam day (%(isoformat)s) on",
                isoformat=exam.exam_date.isoformat(),
            )
        )
    ids = [r["student_id"] for r in results]
    if len(set(ids)) != len(ids):
        conflict("each student may appear once")
    seats = {
        s.student_id: s
        for s in db.session.scalars(
            sa.select(ExamRegistration).where(
                ExamRegistration.exam_id == exam.id,
                ExamRegistration.student_id.in_(ids),
                ExamRegistration.status == "registered",
            )
        )
    }
    missing = [i for i in ids if i not in seats]
    if missing:
        conflict(
            gettext(
                "not registered for this exam: student %(map)s", map=", ".join(map(str, missing))
            )
        )
    done = [i for i in ids if seats[i].result_at is not None]
    if done:
        conflict(gettext("already has a result: student %(map)s", map=", ".join(map(str, done))))
    now, out = utcnow(), []
    for r in results:
        seat = seats[r["student_id"]]
        seat.score = r["score"]
        seat.passed = r.get("passed", Decimal(r["score"]) >= exam.pass_score)
        seat.result_at = now
        out.append(seat)
    db.session.flush()
    passing = [seat.student_id for seat in out if seat.passed]
    names = sa.select(User.id, User.name).where(User.id.in_(passing))
    holders = dict(db.session.execute(names).all())
    students.load_profiles(passing)  # one query, not one per certificate issued
    for seat in out:
        if seat.passed:
            _issue(exam, seat, holders[seat.student_id])
        emit(
            "certificate_exam.result",
            {**exams.payload(exam), "student_id": seat.student_id, "passed": bool(seat.passed)},
        )
    audit(
        actor=user,
        obj=exam,
        action="results",
        changes={"students": len(out), "passed": sum(1 for s in out if s.passed)},
        organization_id=exam.site_organization_id,
    )
    return out


def _issue(exam: CertificateExam, seat: ExamRegistration, holder_name: str) -> CertificateRecord:
    issued = exams.today()
    record = CertificateRecord(
        number=new_number(issued.year),
        registration_id=seat.id,
        exam_id=exam.id,
        student_id=seat.student_id,
        holder_name=holder_name,
        university_id=seat.university_id,
        certificate_code=exam.certificate_code,
        level=exam.level,
        issued_on=issued,
    )
    db.session.add(record)
    db.session.flush()
    students.add_verified_certificate(
        seat.student_id,
        exam.certificate_code,
        taxonomy.label("certificates", exam.certificate_code),
        exam.level,
        record.number,
    )
    return record


def records_of(user: User) -> sa.Select:
    """The caller's certificate records, newest first."""
    return (
        sa.select(CertificateRecord)
        .where(CertificateRecord.student_id == user.id)
        .order_by(CertificateRecord.issued_on.desc(), CertificateRecord.id.desc())
    )


def verify(number: str, name: str) -> dict:
    """Confirm a record by its number and its holder's name; 404 for any mismatch.

    Only the certificate, level and date are told: never the student's university or score.
    """
    record = db.session.scalar(
        sa.select(CertificateRecord).where(CertificateRecord.number == number.strip().upper())
    )
    if record is None or record.holder_name.strip() != name.strip():
        not_found("certificate record")
    return {
        "valid": True,
        "number": record.number,
        "certificate_code": record.certificate_code,
        "certificate": taxonomy.label("certificates", record.certificate_code),
        "level": record.level,
        "issued_on": record.issued_on,
    }
