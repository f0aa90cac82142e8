"""Enterprise teachers' profiles and their teaching assignments on courses."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import WrongParty
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses import services as courses
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy import services as taxonomy

from .access import is_staff_of, staff_org_ids
from .models import ASSIGNMENT, EnterpriseTeacher, EnterpriseTeacherField, TeachingAssignment

# --- profiles ----------------------------------------------------------------------------


def my_profile(user: User) -> EnterpriseTeacher:
    """The caller's enterprise-teacher profile (404 when they have none)."""
    profile = db.session.get(EnterpriseTeacher, user.id)
    if profile is None:
        not_found("enterprise-teacher profile")
    return profile


def _enterprise_for(user: User, enterprise_id: int | None) -> int:
    mine = staff_org_ids(user, "enterprise")
    if not mine:
        forbidden(
            "Only the admins and staff of an approved enterprise teach as enterprise teachers."
        )
    if enterprise_id is None:
        if len(mine) > 1:
            invalid(
                "enterprise_id",
                _("you are staff of several enterprises: name one of %(mine)s", mine=mine),
            )
        return mine[0]
    if enterprise_id not in mine:
        invalid("enterprise_id", "not an approved enterprise you are admin or staff of")
    return enterprise_id


def put_profile(user: User, data: dict) -> EnterpriseTeacher:
    """Create or replace the caller's teaching profile (enterprise admins and staff)."""
    enterprise_id = _enterprise_for(user, data.get("enterprise_id"))
    taxonomy.check("competencies", "fields", data["fields"])
    profile = db.session.get(EnterpriseTeacher, user.id)
    created = profile is None
    if profile is None:
        profile = EnterpriseTeacher(user_id=user.id)
        db.session.add(profile)
    profile.enterprise_id = enterprise_id
    profile.title = data["title"]
    profile.years_of_practice = data["years_of_practice"]
    profile.bio = data.get("bio")
    profile.field_rows = [EnterpriseTeacherField(code=c) for c in sorted(set(data["fields"]))]
    db.session.flush()
    audit(
        actor=user,
        obj=profile,
        action="create" if created else "update",
        changes={"title": profile.title, "fields": ",".join(profile.fields)},
        organization_id=enterprise_id,
    )
    return profile


def teachers(user: User, args: dict) -> sa.Select:
    """Enterprise teachers, filtered (university admins and staff, coordinators)."""
    if not (user.is_coordinator or staff_org_ids(user, "university")):
        forbidden("Enterprise teachers are listed for universities' staff and coordinators.")
    stmt = sa.select(EnterpriseTeacher)
    if args.get("field"):
        stmt = stmt.where(
            EnterpriseTeacher.user_id.in_(
                sa.select(EnterpriseTeacherField.user_id).where(
                    EnterpriseTeacherField.code == args["field"]
                )
            )
        )
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(EnterpriseTeacher.enterprise_id == args["enterprise_id"])
    if args.get("min_years") is not None:
        stmt = stmt.where(EnterpriseTeacher.years_of_practice >= args["min_years"])
    if args.get("q"):
        stmt = stmt.where(
            sa.or_(contains(EnterpriseTeacher.title, args["q"]), contains(User.name, args["q"]))
        ).join(User, User.id == EnterpriseTeacher.user_id)
    return stmt.order_by(EnterpriseTeacher.years_of_practice.desc(), EnterpriseTeacher.user_id)


# --- assignments -------------------------------------------------------------------------


def get_visible(assignment_id: int, user: User) -> TeachingAssignment:
    """An assignment for its teacher, its university's and enterprise's staff and
    coordinators (404 for anyone else)."""
    a = db.session.get(TeachingAssignment, assignment_id)
    if a is None or not (
        user.is_coordinator
        or a.teacher_id == user.id
        or is_staff_of(user, a.university_id)
        or is_staff_of(user, a.enterprise_id)
    ):
        not_found("teaching assignment")
    return a


@dataclass(frozen=True)
class Target:
    """What an assignment's hours are taught on: a course or a programme, its university,
    its name and the semester an assignment defaults to (None: the caller must give one)."""

    column: str  # "course_id" or "programme_id"
    id: int
    university_id: int
    subject: str
    semester: str | None = None


def _proposer(user: User) -> list[int]:
    universities = staff_org_ids(user, "university")
    if not universities:
        forbidden("Only university admins and staff propose teaching assignments.")
    return universities


def propose(user: User, data: dict) -> TeachingAssignment:
    """Hours on one of the university's courses for an enterprise teacher (the course's
    university's admins and staff; a course of another university is a 404)."""
    universities = _proposer(user)
    course = courses.get_visible(data["course_id"], user)
    if course.university_id not in universities:
        not_found("course")
    target = Target("course_id", course.id, course.university_id, course.title, course.semester)
    return _propose(user, target, data)


def propose_on_programme(user: User, target: Target, data: dict) -> TeachingAssignment:
    """Hours on a programme (`programmes.services.propose_teaching` has checked the
    programme and that the caller is its university's staff)."""
    _proposer(user)
    return _propose(user, target, data)


def _propose(user: User, target: Target, data: dict) -> TeachingAssignment:
    profile = db.session.get(EnterpriseTeacher, data["teacher_id"])
    if profile is None:
        invalid("teacher_id", "not an enterprise teacher (no enterprise-teacher profile)")
    semester = data.get("semester") or target.semester
    if semester is None:
        invalid("semester", "required: the semester the hours are taught in")
    column = getattr(TeachingAssignment, target.column)
    active = db.session.scalar(
        sa.select(TeachingAssignment.id).where(
            TeachingAssignment.teacher_id == profile.user_id,
            column == target.id,
            TeachingAssignment.semester == semester,
            TeachingAssignment.status.in_(("proposed", "accepted")),
        )
    )
    if active is not None:
        what = target.column.removesuffix("_id")
        conflict(
            _(
                "the teacher already has assignment %(active)s on this %(what)s in %(semester)s",
                active=active,
                what=what,
                semester=semester,
            )
        )
    a = TeachingAssignment(
        teacher_id=profile.user_id,
        enterprise_id=profile.enterprise_id,
        university_id=target.university_id,
        subject=target.subject,
        semester=semester,
        hours=data["hours"],
        proposed_by_id=user.id,
        **{target.column: target.id},
    )
    db.session.add(a)
    db.session.flush()
    audit(
        actor=user,
        obj=a,
        action="propose",
        changes={"hours": str(a.hours), "semester": semester},
        organization_id=a.university_id,
    )
    emit("teaching_assignment.proposed", payload(a), organization_id=a.university_id, actor=user)
    return a


def _lock(assignment_id: int) -> TeachingAssignment:
    # Without the joined names: PostgreSQL locks no outer join's nullable side.
    stmt = for_update(
        sa.select(TeachingAssignment)
        .where(TeachingAssignment.id == assignment_id)
        .options(lazyload("*"))
    )
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def decide(user: User, a: TeachingAssignment, verb: str, reason: str | None) -> TeachingAssignment:
    """The teacher accepts or declines a proposed assignment; the university hears."""
    if a.teacher_id != user.id:
        forbidden("Only the teacher answers a teaching assignment.")
    a = _lock(a.id)
    try:
        a.status = ASSIGNMENT.target(a.status, verb, party="teacher")
    except WrongParty:  # pragma: no cover - both verbs are the teacher's
        forbidden("Only the teacher answers a teaching assignment.")
    a.decided_at = utcnow()
    a.decline_reason = reason if verb == "decline" else None
    audit(actor=user, obj=a, action=verb, changes={"reason": reason or ""})
    emit(
        f"teaching_assignment.{a.status}",
        {**payload(a), "reason": reason or ""},
        organization_id=a.university_id,
        actor=user,
    )
    return a


def record_hours(user: User, a: TeachingAssignment, delivered: int) -> TeachingAssignment:
    """Set the hours delivered so far on an accepted assignment (its university), never
    above the hours assigned (409)."""
    if not is_staff_of(user, a.university_id):
        forbidden("Only the university's admins and staff record hours delivered.")
    a = _lock(a.id)
    ASSIGNMENT.target(a.status, "record_hours", party="university")
    if delivered > a.hours:
        conflict(
            _(
                "%(delivered)s hours delivered is above the %(hours)s hours assigned",
                delivered=delivered,
                hours=a.hours,
            )
        )
    before = a.hours_delivered
    a.hours_delivered = delivered
    audit(
        actor=user,
        obj=a,
        action="record_hours",
        changes={"hours_delivered": f"{before} -> {delivered}"},
    )
    return a


def assignments(user: User, args: dict) -> sa.Select:
    """Assignments the caller may see: their own as a teacher, their universities' and
    enterprises' as staff, every one for coordinators; filtered, newest first."""
    stmt = sa.select(TeachingAssignment)
    if not user.is_coordinator:
        orgs = staff_org_ids(user, "university") + staff_org_ids(user, "enterprise")
        stmt = stmt.where(
            sa.or_(
                TeachingAssignment.teacher_id == user.id,
                TeachingAssignment.university_id.in_(orgs),
                TeachingAssignment.enterprise_id.in_(orgs),
            )
        )
    for name in ("status", "semester", "course_id", "programme_id", "teacher_id", "university_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(TeachingAssignment, name) == args[name])
    return stmt.order_by(TeachingAssignment.created_at.desc(), TeachingAssignment.id.desc())


def payload(a: TeachingAssignment) -> dict:
    """The fields every assignment notification carries."""
    university = db.session.get(Organization, a.university_id)
    return {
        "assignment_id": a.id,
        "teacher_id": a.teacher_id,
        "university_id": a.university_id,
        "university": university.name if university else "",
        "enterprise_id": a.enterprise_id,
        "course_id": a.course_id,
        "programme_id": a.programme_id,
        "subject": a.subject,
        "semester": a.semester,
        "hours": a.hours,
    }
