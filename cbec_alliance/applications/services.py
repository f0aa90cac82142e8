"""Application rules: applying, who sees what, the lifecycle and the slot limit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import resume, signals
from cbec_alliance.applications.lifecycle import LIFECYCLE, OFFER_FROM
from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update, is_postgres
from cbec_alliance.core.errors import Waiting, conflict, forbidden, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import WrongParty
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import get_for_member, get_visible, membership
from cbec_alliance.students.services import require_student


def apply(
    user: User, internship_id: int, cover_letter: str | None, resume_document_id: int | None = None
) -> Application:
    """A student applies: once per posting, only while it is open and before `apply_by`;
    with a résumé (one of their uploads, by default their default résumé, if any)."""
    m = require_student(user)
    posting = internships.get_visible(internship_id, user)
    if posting.status != "open":
        conflict(_("the internship is %(status)s; applications are closed", status=posting.status))
    if date.today() > posting.apply_by:
        conflict(_("the deadline %(apply_by)s has passed", apply_by=posting.apply_by))
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
    resume.attach(user, application, resume_document_id)
    audit(
        actor=user,
        obj=application,
        action="create",
        changes={"status": "submitted", "resume_document_id": application.resume_document_id},
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
        if m is not None and m.role in STAFF_ROLES:
            return name
    return "coordinator" if user.is_coordinator else None


def get_visible_application(application_id: int, user: User) -> Application:
    """The application for its student, both organizations' staff and coordinators; else 404."""
    application = db.session.get(Application, application_id)
    if application is None:
        not_found("application")
    posting = db.session.get_one(Internship, application.internship_id)
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
    posting = db.session.get_one(Internship, application.internship_id)
    side = party(application, posting, user)
    if side is None:
        not_found("application")
    if verb == "complete":
        _placement_completed_first(application)
    try:
        target = LIFECYCLE.target(
            application.status,
            verb,
            party=side,
            waiting_for=lambda: _waits(application, posting, verb, side),
        )
    except WrongParty as exc:
        forbidden(_("only the %(party)s may %(verb)s an application", party=exc.party, verb=verb))
    if verb == "accept":
        internships.take_slot(posting, user)
    elif verb == "withdraw" and application.status == "accepted":
        internships.free_slot(posting)
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
    _announce(application, posting, user, before)
    to_enterprise = side == "student"
    notify(
        f"application.{target}",
        application,
        posting,
        user,
        posting.enterprise_id if to_enterprise else None,
    )
    return application


def _announce(application: Application, posting: Internship, user: User, before: str) -> None:
    """Tell the domains above of an accepted offer, or of an accepted place given up."""
    if application.status == "accepted":
        signals.accepted.send(application, posting, user)
    elif before == "accepted" and application.status == "withdrawn":
        signals.withdrawn.send(application, user)


# While its placement runs, an internship completes with the placement (grades, logs).
RUNNING_PLACEMENT = ("active", "suspended")


def _placement_completed_first(application: Application) -> None:
    """409 while the application's placement runs: it completes the application itself."""
    placement = signals.placement_of(application.id)
    if placement is not None and placement["state"] in RUNNING_PLACEMENT:
        conflict(
            _(
                "the placement %(id)s is %(state)s: the internship completes with it (POST "
                "/api/v1/placements/%(id)s/complete)",
                id=placement["id"],
                state=placement["state"],
            )
        )


def complete_placed(application_id: int, actor: User) -> Application | None:
    """Complete an accepted application whose placement just completed (the placements
    domain calls this; the enterprise's own `complete` step waits for the placement)."""
    application = db.session.get(Application, application_id)
    if application is None or application.status != "accepted":
        return application
    posting = db.session.get_one(Internship, application.internship_id)  # a foreign key
    application.status = "completed"
    application.status_changed_at = utcnow()
    application.transitions.append(
        ApplicationTransition(
            from_status="accepted", to_status="completed", actor_id=actor.id, note="placement"
        )
    )
    audit(
        actor=actor,
        obj=application,
        action="complete",
        changes={"status": {"from": "accepted", "to": "completed"}, "note": "placement"},
        organization_id=posting.enterprise_id,
    )
    notify("application.completed", application, posting, actor, None)
    return application


def _waits(application: Application, posting: Internship, verb: str, side: str) -> list[Waiting]:
    """The other party whose step would let `side` use `verb` (none when no step would):
    a student's accept waits for the enterprise's offer."""
    verbs = [v for v in LIFECYCLE.enabling(application.status, verb) if LIFECYCLE[v].party != side]
    if not verbs:
        return []
    action = " or ".join(verbs)
    if LIFECYCLE[verbs[0]].party == "enterprise":
        return [Waiting.org(db.session.get_one(Organization, posting.enterprise_id), action)]
    student = db.session.get_one(User, application.student_id)
    return [Waiting("student", action, name=student.name, id=student.id)]


def notify(event: str, application: Application, posting: Internship, actor, org_id) -> None:
    """Emit an application event (to the enterprise when `org_id` is given)."""
    student = db.session.get_one(User, application.student_id)
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
        get_for_member(posting.enterprise_id, user, roles=STAFF_ROLES)
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
        else get_for_member(university_id, user, roles=STAFF_ROLES)
    )
    if org.kind != "university":
        not_found("university")
    return _filtered(sa.select(Application).where(Application.university_id == org.id), args)


def _filtered(stmt: sa.Select, args: dict) -> sa.Select:
    for name in ("status", "internship_id", "student_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Application, name) == args[name])
    return stmt.order_by(Application.id.desc())


# Offers in bulk: a match round's publication makes them as an enterprise would.


def lock_pairs(pairs: sa.Select) -> dict[tuple[int, int], sa.Row]:
    """The applications of the (internship_id, student_id) pairs `pairs` selects (columns so
    labelled), locked on PostgreSQL until the transaction ends, so a withdrawal or a
    rejection in flight either commits first or waits: {(internship, student): (id, status)}."""
    wanted = pairs.subquery()
    stmt = sa.select(
        Application.id, Application.internship_id, Application.student_id, Application.status
    ).join(
        wanted,
        (wanted.c.internship_id == Application.internship_id)
        & (wanted.c.student_id == Application.student_id),
    )
    if is_postgres():
        stmt = stmt.with_for_update(of=Application)
    return {(a.internship_id, a.student_id): a for a in db.session.execute(stmt)}


@dataclass
class Offers:
    """What `offer_many` did: applications moved to offered (with their previous status),
    those whose status had changed meanwhile (left as they were), and those created."""

    moved: list[tuple[int, str]]
    unmoved: list[int]
    created: list[int]


def offer_many(
    actor: User,
    existing: dict[int, str],
    new: list[tuple[int, int, int]],
    note: str,
) -> Offers:
    """Offer in bulk, in this transaction: the `existing` applications ({id: status}), each
    only while it is still in a state an offer may start from (never overwriting a change
    that got in), and `new` ones ((internship, student, university)) created offered; every
    application moved or created gets a transition by `actor` with `note`."""
    now = utcnow()
    moved_ids: Sequence[int] = []
    if existing:
        moved_ids = db.session.scalars(
            sa.update(Application)
            .where(Application.id.in_(list(existing)), Application.status.in_(OFFER_FROM))
            .values(status="offered", status_changed_at=now, updated_at=now)
            .returning(Application.id)
        ).all()
    created: Sequence[int] = []
    if new:
        rows = [
            {
                "internship_id": internship_id,
                "student_id": student_id,
                "university_id": university_id,
                "status": "offered",
                "created_at": now,
                "updated_at": now,
                "status_changed_at": now,
            }
            for internship_id, student_id, university_id in new
        ]
        created = db.session.scalars(
            sa.insert(Application).returning(Application.id, sort_by_parameter_order=True), rows
        ).all()
    moved = [(i, existing[i]) for i in sorted(moved_ids)]
    history = [*moved, *((i, None) for i in created)]
    if history:
        db.session.execute(
            sa.insert(ApplicationTransition),
            [
                {
                    "application_id": app_id,
                    "from_status": before,
                    "to_status": "offered",
                    "actor_id": actor.id,
                    "note": note,
                    "at": now,
                }
                for app_id, before in history
            ],
        )
    return Offers(moved, sorted(set(existing) - set(moved_ids)), list(created))


def erase_personal(user_id: int) -> None:
    """Empty a student's cover letters (the applications stay: enterprises' counts)."""
    db.session.execute(
        sa.update(Application).where(Application.student_id == user_id).values(cover_letter=None)
    )
