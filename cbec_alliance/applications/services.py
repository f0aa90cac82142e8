"""Application rules: applying, who sees what, the lifecycle and the slot limit."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import lifecycle
from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.capacity import give_back, take
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import Waiting, conflict, forbidden, not_found, wrong_step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import SLOTS, Internship
from cbec_alliance.notifications.outbox import emit
from cbec_alliance.organizations.models import Organization
from cbec_alliance.organizations.services import get_for_member, get_visible, membership
from cbec_alliance.students.services import require_student

STAFF = ("admin", "staff")


def apply(user: User, internship_id: int, cover_letter: str | None) -> Application:
    """A student applies: once per posting, only while it is open and before `apply_by`."""
    m = require_student(user)
    posting = internships.get_visible(internship_id, user)
    if posting.status != "open":
        conflict(f"the internship is {posting.status}; applications are closed")
    if date.today() > posting.apply_by:
        conflict(f"the deadline {posting.apply_by} has passed")
    exists = db.session.scalar(
        sa.select(Application.id).where(
            Application.internship_id == posting.id, Application.student_id == user.id
        )
    )
    if exists:
        conflict("you have already applied to this internship")
    application = Application(
        internship_id=posting.id,
        student_id=user.id,
        university_id=m.organization_id,
        cover_letter=cover_letter,
        transitions=[ApplicationTransition(to_status="submitted", actor_id=user.id)],
    )
    db.session.add(application)
    db.session.flush()
    audit(
        actor=user,
        obj=application,
        action="create",
        changes={"status": "submitted"},
        organization_id=posting.enterprise_id,
    )
    notify("application.submitted", application, posting, user, posting.enterprise_id)
    return application


def party(application: Application, posting: Internship, user: User) -> str | None:
    """Which side the user is on: student, enterprise, university, coordinator, or None."""
    if not user.is_authenticated:
        return None
    if application.student_id == user.id:
        return "student"
    for role_org, name in (
        (posting.enterprise_id, "enterprise"),
        (application.university_id, "university"),
    ):
        m = membership(user, role_org)
        if m is not None and m.role in STAFF:
            return name
    return "coordinator" if user.is_coordinator else None


def get_visible_application(application_id: int, user: User) -> Application:
    """The application for its student, both organizations' staff and coordinators; else 404."""
    application = db.session.get(Application, application_id)
    if application is None:
        not_found("application")
    posting = db.session.get(Internship, application.internship_id)
    if party(application, posting, user) is None:
        not_found("application")
    return application


def act(user: User, application_id: int, verb: str, note: str | None) -> Application:
    """Move an application one step; accepting fills a slot under the posting's row lock."""
    application = db.session.scalars(
        for_update(
            sa.select(Application).where(Application.id == application_id)
        ).execution_options(populate_existing=True)
    ).first()
    if application is None:
        not_found("application")
    posting = db.session.get(Internship, application.internship_id)
    side = party(application, posting, user)
    if side is None:
        not_found("application")
    try:
        target = lifecycle.step(application.status, verb, side)
    except lifecycle.WrongParty:
        forbidden(f"only the {lifecycle.TRANSITIONS[verb][0]} may {verb} an application")
    except lifecycle.WrongStep as exc:
        wrong_step(verb, application.status, exc.allowed, _waits(application, posting, verb, side))
    if verb == "accept":
        _take_slot(posting, user)
    elif verb == "withdraw" and application.status == "accepted":
        _free_slot(posting)
    before = application.status
    application.status = target
    application.status_changed_at = utcnow()
    application.transitions.append(
        ApplicationTransition(from_status=before, to_status=target, actor_id=user.id, note=note)
    )
    audit(
        actor=user,
        obj=application,
        action=verb,
        changes={"status": {"from": before, "to": target}, "note": note},
        organization_id=posting.enterprise_id,
    )
    to_enterprise = side == "student"
    notify(
        f"application.{target}",
        application,
        posting,
        user,
        posting.enterprise_id if to_enterprise else None,
    )
    return application


def _waits(application: Application, posting: Internship, verb: str, side: str) -> list[Waiting]:
    """The other party whose step would let `side` use `verb` (none when no step would)."""
    found = lifecycle.unblocking(application.status, verb, side)
    if found is None:
        return []
    other, verbs = found
    action = " or ".join(verbs)
    if other == "enterprise":
        return [Waiting.org(db.session.get(Organization, posting.enterprise_id), action)]
    student = db.session.get(User, application.student_id)
    return [Waiting("student", action, name=student.name, id=student.id)]


def _lock(posting: Internship) -> Internship:
    return db.session.scalars(
        for_update(sa.select(Internship).where(Internship.id == posting.id)).execution_options(
            populate_existing=True
        )
    ).one()


def _take_slot(posting: Internship, user: User) -> None:
    posting = _lock(posting)
    if posting.status == "taken_down":
        conflict("this internship was taken down by a coordinator")
    if take(SLOTS, posting) is None:
        conflict(f"no slots left: all {posting.slots} are taken")
    if posting.accepted_count == posting.slots and posting.status in ("open", "closed"):
        posting.status = "filled"
        posting.status_changed_at = utcnow()
        emit(
            "internship.filled",
            internships.payload(posting),
            organization_id=posting.enterprise_id,
            actor=user,
        )


def _free_slot(posting: Internship) -> None:
    posting = _lock(posting)
    if date.today() >= posting.start_date:
        conflict("the internship has started; ask the enterprise to end it instead")
    give_back(SLOTS, posting)
    if posting.status == "filled":
        posting.status = "open" if date.today() <= posting.apply_by else "closed"
        posting.status_changed_at = utcnow()


def notify(event: str, application: Application, posting: Internship, actor, org_id) -> None:
    """Emit an application event (to the enterprise when `org_id` is given)."""
    student = db.session.get(User, application.student_id)
    emit(
        event,
        {
            **internships.payload(posting),
            "application_id": application.id,
            "student_id": application.student_id,
            "student_name": student.name,
            "status": application.status,
            "university_id": application.university_id,
        },
        organization_id=org_id,
        actor=actor,
    )


def for_internship(internship_id: int, user: User, status: str | None) -> sa.Select:
    """Applications to a posting (its enterprise's admins and staff, coordinators)."""
    posting = internships.get_visible(internship_id, user)
    if not user.is_coordinator:
        get_for_member(posting.enterprise_id, user, roles=STAFF)
    return _filtered(
        sa.select(Application).where(Application.internship_id == posting.id), {"status": status}
    )


def mine(user: User, status: str | None) -> sa.Select:
    """The calling student's applications."""
    require_student(user)
    return _filtered(
        sa.select(Application).where(Application.student_id == user.id), {"status": status}
    )


def for_university(university_id: int, user: User, args: dict) -> sa.Select:
    """A university's students' applications (its admins and staff, coordinators)."""
    org = (
        get_visible(university_id, user)
        if user.is_coordinator
        else get_for_member(university_id, user, roles=STAFF)
    )
    if org.kind != "university":
        not_found("university")
    return _filtered(sa.select(Application).where(Application.university_id == org.id), args)


def _filtered(stmt: sa.Select, args: dict) -> sa.Select:
    for name in ("status", "internship_id", "student_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Application, name) == args[name])
    return stmt.order_by(Application.id.desc())
