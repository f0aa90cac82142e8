"""University teachers' profiles, their practice stays at enterprises, and the
dual-qualified (双师型) share of a university's teachers of the CBEC majors."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy import services as taxonomy

from .access import is_staff_of, staff_org_ids
from .models import HOLDING, STAY, PracticeStay, UniversityTeacher, UniversityTeacherMajor
from .rules import Rule

# The majors (taxonomy `majors`) whose teachers the dual-qualified share counts: those that
# train cross-border e-commerce talent directly. Foreign languages, product-related majors
# and computer science feed the industry too, but their teachers mostly teach other trades.
CBEC_MAJORS = (
    "e-commerce",
    "international-business",
    "international-economics-trade",
    "marketing",
    "logistics-management",
)
# Practice dates are Guangzhou calendar days.
LOCAL = timezone(timedelta(hours=8), "Asia/Shanghai")


def today() -> date:
    """Today in Guangzhou."""
    return datetime.now(LOCAL).date()


def rule() -> Rule:
    """The dual-qualified rule of the app's settings."""
    return Rule.from_config(current_app.config)


# --- profiles ----------------------------------------------------------------------------


def my_profile(user: User) -> UniversityTeacher:
    """The caller's university-teacher profile (404 when they have none)."""
    profile = db.session.get(UniversityTeacher, user.id)
    if profile is None:
        not_found("university-teacher profile")
    return profile


def _university_for(user: User, university_id: int | None, field: str) -> int:
    mine = staff_org_ids(user, "university")
    if not mine:
        forbidden("Only the admins and staff of an approved university are its teachers.")
    if university_id is None:
        if len(mine) > 1:
            invalid(
                field, _("you are staff of several universities: name one of %(mine)s", mine=mine)
            )
        return mine[0]
    if university_id not in mine:
        invalid(field, "not an approved university you are admin or staff of")
    return university_id


def put_profile(user: User, data: dict) -> UniversityTeacher:
    """Create or replace the caller's teacher profile (university admins and staff)."""
    university_id = _university_for(user, data.get("university_id"), "university_id")
    taxonomy.check("majors", "majors_taught", data["majors_taught"])
    profile = db.session.get(UniversityTeacher, user.id)
    created = profile is None
    if profile is None:
        profile = UniversityTeacher(user_id=user.id)
        db.session.add(profile)
    profile.university_id = university_id
    profile.industry_title = (data.get("industry_title") or "").strip() or None
    profile.major_rows = [
        UniversityTeacherMajor(code=c) for c in sorted(set(data["majors_taught"]))
    ]
    db.session.flush()
    audit(
        actor=user,
        obj=profile,
        action="create" if created else "update",
        changes={
            "industry_title": profile.industry_title or "",
            "majors": ",".join(profile.majors_taught),
        },
        organization_id=university_id,
    )
    return profile


# --- stays -------------------------------------------------------------------------------


def get_visible(stay_id: int, user: User) -> PracticeStay:
    """A stay for its teacher, its university's and enterprise's staff and coordinators
    (404 for anyone else)."""
    stay = db.session.get(PracticeStay, stay_id)
    if stay is None or not (
        user.is_coordinator
        or stay.teacher_id == user.id
        or is_staff_of(user, stay.university_id)
        or is_staff_of(user, stay.enterprise_id)
    ):
        not_found("practice stay")
    return stay


def get_for_decision(stay_id: int, user: User) -> PracticeStay:
    """A stay its enterprise decides on: 404 when there is none, 403 for anyone but the
    enterprise's admins and staff (another enterprise confirming is refused outright)."""
    stay = db.session.get(PracticeStay, stay_id)
    if stay is None:
        not_found("practice stay")
    if not is_staff_of(user, stay.enterprise_id):
        forbidden("Only the admins and staff of the enterprise hosting the stay confirm it.")
    return stay


def _teacher_and_university(user: User, data: dict) -> tuple[int, int]:
    teacher_id = data.get("teacher_id") or user.id
    if teacher_id == user.id:
        profile = db.session.get(UniversityTeacher, user.id)
        default = profile.university_id if profile else None
        return user.id, _university_for(user, data.get("university_id") or default, "university_id")
    # For another teacher: the caller is staff of the teacher's university.
    profile = db.session.get(UniversityTeacher, teacher_id)
    if profile is None:
        invalid("teacher_id", "not a university teacher (no university-teacher profile)")
    if not is_staff_of(user, profile.university_id):
        forbidden("Only the teacher or their university's admins and staff propose a stay.")
    if data.get("university_id") not in (None, profile.university_id):
        invalid("university_id", "the teacher teaches at another university")
    return teacher_id, profile.university_id


def _lock_teacher(teacher_id: int) -> None:
    # Serialises proposals for one teacher, so two overlapping ones cannot both pass the
    # check (SQLite's write transactions are serial already).
    db.session.execute(for_update(sa.select(User.id).where(User.id == teacher_id)))


def propose(user: User, data: dict) -> PracticeStay:
    """A stay proposed by the teacher or their university; the enterprise is asked to
    confirm. A stay overlapping another proposed or confirmed one is a 409 naming it."""
    if data["ends_on"] < data["starts_on"]:
        invalid("ends_on", "must be on or after starts_on")
    days = (data["ends_on"] - data["starts_on"]).days + 1
    if data["hours"] > days * 24:
        invalid("hours", _("more than 24 hours a day (%(days)s days)", days=days))
    enterprise = db.session.get(Organization, data["enterprise_id"])
    if enterprise is None or enterprise.kind != "enterprise" or enterprise.status != "approved":
        invalid("enterprise_id", "not an approved enterprise")
    teacher_id, university_id = _teacher_and_university(user, data)
    _lock_teacher(teacher_id)
    other = db.session.scalar(
        sa.select(PracticeStay)
        .where(
            PracticeStay.teacher_id == teacher_id,
            PracticeStay.state.in_(HOLDING),
            PracticeStay.starts_on <= data["ends_on"],
            PracticeStay.ends_on >= data["starts_on"],
        )
        .order_by(PracticeStay.starts_on)
        .limit(1)
    )
    if other is not None:
        conflict(
            _(
                "overlaps practice stay %(id)s (%(starts_on)s to %(ends_on)s, %(state)s) of the "
                "same teacher",
                id=other.id,
                starts_on=other.starts_on,
                ends_on=other.ends_on,
                state=other.state,
            ),
        )
    stay = PracticeStay(
        teacher_id=teacher_id,
        university_id=university_id,
        enterprise_id=enterprise.id,
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        hours=data["hours"],
        tasks=data["tasks"],
        proposed_by_id=user.id,
    )
    db.session.add(stay)
    db.session.flush()
    audit(
        actor=user,
        obj=stay,
        action="propose",
        changes={"dates": f"{stay.starts_on}..{stay.ends_on}", "hours": str(stay.hours)},
        organization_id=university_id,
    )
    emit(
        "practice_stay.confirmation_requested",
        payload(stay),
        organization_id=stay.enterprise_id,
        actor=user,
    )
    return stay


def decide(user: User, stay: PracticeStay, verb: str, data: dict) -> PracticeStay:
    """The enterprise confirms (optionally correcting the hours) or rejects with a reason;
    the teacher hears."""
    # Without the joined names: PostgreSQL locks no outer join's nullable side.
    stmt = for_update(
        sa.select(PracticeStay).where(PracticeStay.id == stay.id).options(lazyload("*"))
    )
    stay = db.session.scalars(stmt.execution_options(populate_existing=True)).one()
    stay.state = STAY.target(stay.state, verb, party="enterprise")
    if verb == "confirm" and data.get("hours") is not None:
        days = (stay.ends_on - stay.starts_on).days + 1
        if data["hours"] > days * 24:
            invalid("hours", _("more than 24 hours a day (%(days)s days)", days=days))
        stay.hours = data["hours"]
    stay.reason = data.get("reason")
    stay.decided_by_id, stay.decided_at = user.id, utcnow()
    audit(actor=user, obj=stay, action=verb, changes={"reason": stay.reason or ""})
    emit(
        f"practice_stay.{stay.state}",
        {**payload(stay), "reason": stay.reason or ""},
        organization_id=stay.enterprise_id,
        actor=user,
    )
    return stay


def stays(user: User, args: dict) -> sa.Select:
    """Stays the caller may see: their own, their university's or enterprise's as staff,
    every one for coordinators; filtered, soonest start first."""
    stmt = sa.select(PracticeStay)
    if not user.is_coordinator:
        orgs = staff_org_ids(user, "university") + staff_org_ids(user, "enterprise")
        stmt = stmt.where(
            sa.or_(
                PracticeStay.teacher_id == user.id,
                PracticeStay.university_id.in_(orgs),
                PracticeStay.enterprise_id.in_(orgs),
            )
        )
    for name in ("state", "teacher_id", "university_id", "enterprise_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(PracticeStay, name) == args[name])
    return stmt.order_by(PracticeStay.starts_on.desc(), PracticeStay.id.desc())


def payload(stay: PracticeStay) -> dict:
    """The fields every practice-stay notification carries."""
    teacher = db.session.get(User, stay.teacher_id)
    enterprise = db.session.get(Organization, stay.enterprise_id)
    return {
        "stay_id": stay.id,
        "teacher_id": stay.teacher_id,
        "teacher": teacher.name if teacher else "",
        "university_id": stay.university_id,
        "enterprise_id": stay.enterprise_id,
        "enterprise": enterprise.name if enterprise else "",
        "starts_on": stay.starts_on.isoformat(),
        "ends_on": stay.ends_on.isoformat(),
        "hours": stay.hours,
    }
