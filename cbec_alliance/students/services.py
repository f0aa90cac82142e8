"""Student rules: who is a student, their profile, and what their university's staff see."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import insert_rows
from cbec_alliance.core.errors import forbidden, invalid, not_found
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.organizations.services import get_for_member, get_visible
from cbec_alliance.students.models import (
    StudentCertificate,
    StudentCompetency,
    StudentLanguage,
    StudentProfile,
)
from cbec_alliance.taxonomy import services as taxonomy


def student_membership(user: User) -> Membership | None:
    """The user's `student` membership in an approved university, if any (the oldest)."""
    if user is None or not user.is_authenticated:
        return None
    found = [
        m
        for m in user.memberships
        if m.role == "student"
        and m.organization.kind == "university"
        and m.organization.status == "approved"
    ]
    return min(found, key=lambda m: m.id) if found else None


def student_universities(user_ids: list[int]) -> dict[int, int]:
    """user id -> the approved university where they are a student (the lowest id when
    several); users who are no such student are left out."""
    out: dict[int, int] = {}
    ids = list(user_ids)
    for start in range(0, len(ids), 5_000):  # IN lists of bounded size
        rows = db.session.execute(
            sa.select(Membership.user_id, Membership.organization_id)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(
                Membership.user_id.in_(ids[start : start + 5_000]),
                Membership.role == "student",
                Organization.kind == "university",
                Organization.status == "approved",
            )
            .order_by(Membership.user_id, Membership.organization_id)
        ).all()
        for user_id, org_id in rows:
            out.setdefault(user_id, org_id)
    return out


def require_student(user: User) -> Membership:
    """The caller's student membership; 403 for anyone who is not a student."""
    m = student_membership(user)
    if m is None:
        forbidden("only students of an approved alliance university may do this")
    return m


def get_profile(user: User) -> StudentProfile:
    """The caller's profile; 404 before the first PUT."""
    require_student(user)
    profile = db.session.get(StudentProfile, user.id)
    if profile is None:
        not_found("profile (create it with PUT first)")
    return profile


def _check_levelled(field: str, vocabulary: str, items: list[dict]) -> None:
    codes = [i["code"] for i in items]
    taxonomy.check(vocabulary, field, codes)
    if len(set(codes)) != len(codes):
        invalid(field, "each code may appear once")


def _declared(c: dict) -> StudentCertificate:
    name = c.get("name") or taxonomy.label("certificates", c["code"])
    return StudentCertificate(code=c.get("code"), name=name, level=c["level"])


def load_profiles(user_ids: list[int]) -> None:
    """Load these students' profiles (and their lists, selectin) into the session at once,
    so calls per student that follow find them without a query each."""
    if user_ids:
        stmt = sa.select(StudentProfile).where(StudentProfile.user_id.in_(user_ids))
        db.session.scalars(stmt).all()


def add_verified_certificate(
    user_id: int, code: str, name: str, level: str, number: str
) -> StudentCertificate:
    """Record a certificate issued on the platform (called by the exam site's results)."""
    profile = db.session.get(StudentProfile, user_id)
    if profile is None:
        university_id = student_universities([user_id]).get(user_id)
        if university_id is None:
            invalid("student_id", "not a student of an approved university")
        profile = StudentProfile(user_id=user_id, university_id=university_id)
        db.session.add(profile)
    cert = StudentCertificate(code=code, name=name, level=level, number=number)
    profile.certificates.append(cert)
    profile.updated_at = utcnow()
    db.session.flush()
    return cert


def put_profile(user: User, data: dict) -> StudentProfile:
    """Create or replace the caller's profile, checked against the taxonomy."""
    m = require_student(user)
    taxonomy.check("majors", "major", data.get("major"))
    _check_levelled("competencies", "competencies", data["competencies"])
    _check_levelled("languages", "languages", data["languages"])
    taxonomy.check_certificates("certificates", data["certificates"], level_key="level")
    profile = db.session.get(StudentProfile, user.id)
    created = profile is None
    if profile is None:
        profile = StudentProfile(user_id=user.id, university_id=m.organization_id)
        db.session.add(profile)
    profile.university_id = m.organization_id
    profile.major = data["major"]
    profile.graduation_year = data["graduation_year"]
    profile.birth_date = data["birth_date"]
    profile.bio = data["bio"]
    # Touched even when only competencies or languages change: the recommendations' index
    # of students is versioned by the newest updated_at.
    profile.updated_at = utcnow()
    profile.competencies = [
        StudentCompetency(code=c["code"], level=c["level"]) for c in data["competencies"]
    ]
    profile.languages = [
        StudentLanguage(code=c["code"], level=c["level"]) for c in data["languages"]
    ]
    # Verified records stay: only an exam site issues or withdraws them.
    profile.certificates = [c for c in profile.certificates if c.number is not None] + [
        _declared(c) for c in data["certificates"]
    ]
    db.session.flush()
    audit(
        actor=user,
        obj=profile,
        action="create" if created else "update",
        changes=data,
        organization_id=m.organization_id,
    )
    return profile


def students_of(university_id: int, user: User, args: dict) -> sa.Select:
    """The university's students with their profiles (its admins, staff and coordinators)."""
    org = (
        get_visible(university_id, user)
        if user.is_coordinator
        else get_for_member(university_id, user, roles=STAFF_ROLES)
    )
    if org.kind != "university":
        not_found("university")
    stmt = (
        sa.select(User, Membership.created_at, StudentProfile)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(StudentProfile, StudentProfile.user_id == User.id)
        .where(Membership.organization_id == org.id, Membership.role == "student")
    )
    if args.get("major"):
        stmt = stmt.where(StudentProfile.major == args["major"])
    if args.get("graduation_year"):
        stmt = stmt.where(StudentProfile.graduation_year == args["graduation_year"])
    if args.get("competency"):
        stmt = stmt.where(
            sa.exists().where(
                StudentCompetency.user_id == User.id,
                StudentCompetency.code == args["competency"],
                StudentCompetency.level >= args.get("min_level", 1),
            )
        )
    if args.get("q"):
        stmt = stmt.where(sa.or_(contains(User.name, args["q"]), contains(User.email, args["q"])))
    return stmt.order_by(User.id)


def page_rows(rows) -> list[dict]:
    """Shape (user, joined_at, profile) rows for the student list."""
    return [
        {"id": u.id, "name": u.name, "email": u.email, "joined_at": joined, "profile": p}
        for u, joined, p in rows
    ]


def majors_of(user_ids: list[int]) -> dict[int, str | None]:
    """user id -> the major on their profile (students without a profile are left out)."""
    out: dict[int, str | None] = {}
    ids = list(user_ids)
    for start in range(0, len(ids), 5_000):  # IN lists of bounded size
        out.update(
            db.session.execute(
                sa.select(StudentProfile.user_id, StudentProfile.major).where(
                    StudentProfile.user_id.in_(ids[start : start + 5_000])
                )
            ).all()
        )
    return out


def erase_personal(user_id: int) -> None:
    """Empty the personal fields of a student's profile: birthday, bio, student number (the
    profile stays: the university's counts)."""
    db.session.execute(
        sa.update(StudentProfile)
        .where(StudentProfile.user_id == user_id)
        .values(birth_date=None, bio=None, student_number=None)
    )


def numbers_in(university_id: int) -> dict[str, int]:
    """Student number -> the student's id, for the university's profiles that have one."""
    rows = db.session.execute(
        sa.select(StudentProfile.student_number, StudentProfile.user_id).where(
            StudentProfile.university_id == university_id,
            StudentProfile.student_number.is_not(None),
        )
    )
    return {number: user_id for number, user_id in rows if number is not None}


def add_profiles(university_id: int, rows: list[dict]) -> None:
    """Profiles for new students of a roster (`{user_id, student_number, major,
    graduation_year}`; none has a profile yet), set-based."""
    now = utcnow()
    values = [
        {**r, "university_id": university_id, "created_at": now, "updated_at": now} for r in rows
    ]
    insert_rows(StudentProfile, values)
