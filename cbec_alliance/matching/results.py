"""A round's results: who sees which assignments, explanations, publishing, follow-up rounds."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.applications.lifecycle import FINAL, TRANSITIONS
from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.errors import conflict, forbidden, not_found, wrong_step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.notifications.outbox import emit
from cbec_alliance.students.services import require_student

from . import services
from .models import Assignment, MatchRound, RoundInternship

# Publishing makes an offer the way an enterprise would: only from the states the
# lifecycle lets an offer start from. Applications further along (offered, accepted,
# completed) are left as they are, and so are closed ones (rejected, declined, withdrawn):
# a student who withdrew is not offered the internship behind their back.
OFFER_FROM = TRANSITIONS["offer"][1]
NOTE = "offered by match round {id}"


def _enterprises_of(user: User, rnd: MatchRound) -> list[int]:
    """The enterprises with an internship in the round whose admin or staff the user is."""
    staff_of = [m.organization_id for m in user.memberships if m.role in services.STAFF]
    if not staff_of:
        return []
    return list(
        db.session.scalars(
            sa.select(RoundInternship.enterprise_id)
            .where(RoundInternship.round_id == rnd.id, RoundInternship.enterprise_id.in_(staff_of))
            .distinct()
        )
    )


def _results_for(rnd: MatchRound, user: User) -> list[int] | None:
    """None for coordinators (everything, from `done`); else the caller's enterprises."""
    if user.is_coordinator:
        if rnd.status not in ("done", "published"):
            conflict(f"the round is {rnd.status}; results come after a run")
        return None
    enterprises = _enterprises_of(user, rnd)
    if not enterprises:
        forbidden("only coordinators and the enterprises of the round see its results")
    if rnd.status != "published":
        conflict(f"the round is {rnd.status}; enterprises see results once it is published")
    return enterprises


def assignments(rnd: MatchRound, user: User, args: dict) -> sa.Select:
    """Assignments: all for coordinators, those to its internships for an enterprise."""
    enterprises = _results_for(rnd, user)
    stmt = sa.select(Assignment).where(Assignment.round_id == rnd.id)
    if enterprises is not None:
        stmt = stmt.join(
            RoundInternship,
            (RoundInternship.round_id == Assignment.round_id)
            & (RoundInternship.internship_id == Assignment.internship_id),
        ).where(RoundInternship.enterprise_id.in_(enterprises))
    if args.get("internship_id") is not None:
        stmt = stmt.where(Assignment.internship_id == args["internship_id"])
    if args.get("matched") is True:
        stmt = stmt.where(Assignment.internship_id.is_not(None))
    elif args.get("matched") is False:
        stmt = stmt.where(Assignment.internship_id.is_(None))
    return stmt.order_by(Assignment.internship_id, Assignment.student_id)


def internships(rnd: MatchRound, user: User) -> tuple[sa.Select, bool]:
    """The round's internships with their slots (coordinators; an enterprise its own), and
    whether the caller may see how they were filled (coordinators after a run, enterprises
    once published)."""
    stmt = sa.select(RoundInternship).where(RoundInternship.round_id == rnd.id)
    if user.is_coordinator:
        return stmt.order_by(RoundInternship.internship_id), rnd.status in ("done", "published")
    enterprises = _enterprises_of(user, rnd)
    if not enterprises:
        forbidden("only coordinators and the enterprises of the round see its internships")
    stmt = stmt.where(RoundInternship.enterprise_id.in_(enterprises))
    return stmt.order_by(RoundInternship.internship_id), rnd.status == "published"


def mine(rnd: MatchRound, user: User) -> Assignment:
    """The calling student's assignment, with why each higher choice was not given."""
    require_student(user)
    if rnd.status != "published":
        conflict(f"the round is {rnd.status}; results are shown once it is published")
    found = db.session.get(Assignment, (rnd.id, user.id))
    if found is None:
        not_found("assignment (you gave no preferences in this round)")
    return found


def explained(found: Assignment) -> dict:
    """An assignment with titles and a sentence for each higher choice not given."""
    names = titles([found.internship_id, *(w[0] for w in found.explanation)])
    slots = dict(
        db.session.execute(
            sa.select(RoundInternship.internship_id, RoundInternship.slots).where(
                RoundInternship.round_id == found.round_id
            )
        ).all()
    )
    why = []
    for k, (internship_id, your_rank, cutoff_rank) in enumerate(found.explanation):
        if your_rank is None:
            reason = "excluded"
            detail = "the enterprise marked you as not acceptable for this internship"
        else:
            reason = "filled_by_higher_ranked"
            detail = (
                f"its {slots.get(internship_id)} slot(s) went to students it ranked higher: "
                f"you were {your_rank}, the last admitted was {cutoff_rank}"
            )
        why.append(
            {
                "internship_id": internship_id,
                "title": names.get(internship_id, ""),
                "choice": k + 1,
                "reason": reason,
                "your_rank": your_rank,
                "cutoff_rank": cutoff_rank,
                "slots": slots.get(internship_id),
                "detail": detail,
            }
        )
    return {
        "round_id": found.round_id,
        "student_id": found.student_id,
        "university_id": found.university_id,
        "internship_id": found.internship_id,
        "internship_title": names.get(found.internship_id),
        "choice": found.choice,
        "explanation": why,
    }


def titles(ids) -> dict[int, str]:
    """Internship titles by id, for explanations."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Internship.id, Internship.title).where(Internship.id.in_(ids))
        ).all()
    )


def publish(user: User, rnd: MatchRound) -> MatchRound:
    """Turn the assignments into `offered` applications in this transaction, and notify.

    A matched student without an application gets a new one, offered; one whose application
    may be offered (submitted, shortlisted) has it moved to offered; one whose application
    is already offered or further along keeps it; one whose application was closed
    (withdrawn, rejected, declined) keeps it closed and is counted in `stats.skipped`.
    """
    if rnd.status != "done":
        wrong_step("publish", rnd.status, services.NEXT[rnd.status])
    if not (rnd.verdict or {}).get("stable"):
        conflict("the run's check failed; run the round again before publishing")
    now = utcnow()
    matched = db.session.execute(
        sa.select(Assignment.student_id, Assignment.internship_id, Assignment.university_id).where(
            Assignment.round_id == rnd.id, Assignment.internship_id.is_not(None)
        )
    ).all()
    # The matched students' applications, locked: a withdrawal or rejection in flight
    # either commits first (and is seen here) or waits for the publication.
    stmt = (
        sa.select(
            Application.id,
            Application.internship_id,
            Application.student_id,
            Application.status,
        )
        .join(
            Assignment,
            (Assignment.internship_id == Application.internship_id)
            & (Assignment.student_id == Application.student_id),
        )
        .where(Assignment.round_id == rnd.id)
    )
    if is_postgres():
        stmt = stmt.with_for_update(of=Application)
    existing = {(a.internship_id, a.student_id): a for a in db.session.execute(stmt)}
    note = NOTE.format(id=rnd.id)
    offer, created, skipped = {}, [], []
    for student_id, internship_id, university_id in matched:
        app = existing.get((internship_id, student_id))
        if app is None:
            created.append(
                {
                    "internship_id": internship_id,
                    "student_id": student_id,
                    "university_id": university_id,
                    "status": "offered",
                    "created_at": now,
                    "updated_at": now,
                    "status_changed_at": now,
                }
            )
        elif app.status in OFFER_FROM:
            offer[app.id] = app.status
        elif app.status in FINAL:
            skipped.append(app.id)
    transitions = []
    if offer:
        # Guarded by the states an offer may start from, so a change that got in anyway
        # is never overwritten; only the rows actually moved get a transition.
        moved = db.session.scalars(
            sa.update(Application)
            .where(Application.id.in_(list(offer)), Application.status.in_(OFFER_FROM))
            .values(status="offered", status_changed_at=now, updated_at=now)
            .returning(Application.id)
        ).all()
        transitions += [(i, offer[i]) for i in sorted(moved)]
        skipped += sorted(set(offer) - set(moved))
    if created:
        new_ids = db.session.scalars(
            sa.insert(Application).returning(Application.id, sort_by_parameter_order=True),
            created,
        ).all()
        transitions += [(i, None) for i in new_ids]
    if transitions:
        db.session.execute(
            sa.insert(ApplicationTransition),
            [
                {
                    "application_id": app_id,
                    "from_status": before,
                    "to_status": "offered",
                    "actor_id": user.id,
                    "note": note,
                    "at": now,
                }
                for app_id, before in transitions
            ],
        )
    rnd.status = "published"
    rnd.published_at = now
    rnd.stats = {**(rnd.stats or {}), "skipped": len(skipped)}
    audit(
        actor=user,
        obj=rnd,
        action="publish",
        changes={
            "offered": len(transitions),
            "created": len(created),
            "skipped": sorted(skipped),
        },
    )
    _notify(rnd, user)
    return rnd


def _notify(rnd: MatchRound, user: User) -> None:
    base = {"round_id": rnd.id, "name": rnd.name}
    emit("match_round.published", {**base, **(rnd.stats or {})}, actor=user)
    rows = db.session.execute(
        sa.select(
            RoundInternship.enterprise_id,
            sa.func.sum(RoundInternship.slots),
            sa.func.sum(sa.func.coalesce(RoundInternship.filled, 0)),
        )
        .where(RoundInternship.round_id == rnd.id)
        .group_by(RoundInternship.enterprise_id)
        .order_by(RoundInternship.enterprise_id)
    ).all()
    for enterprise_id, slots, filled in rows:
        emit(
            "match_round.enterprise_results",
            {**base, "slots": int(slots), "assigned": int(filled), "unfilled": int(slots - filled)},
            organization_id=enterprise_id,
            actor=user,
        )


def follow_up(user: User, rnd: MatchRound, data: dict) -> MatchRound:
    """A new round over the published round's unfilled slots, for its unmatched students."""
    if rnd.status != "published":
        wrong_step("create a follow-up round", rnd.status, services.NEXT[rnd.status])
    rows = db.session.execute(
        sa.select(RoundInternship.internship_id, RoundInternship.slots, RoundInternship.filled)
        .join(Internship, Internship.id == RoundInternship.internship_id)
        .where(
            RoundInternship.round_id == rnd.id,
            RoundInternship.slots > sa.func.coalesce(RoundInternship.filled, 0),
            Internship.status == "open",
        )
        .order_by(RoundInternship.internship_id)
    ).all()
    if not rows:
        conflict("every slot of the round was filled (or its internship is no longer open)")
    unmatched = db.session.scalar(
        sa.select(sa.func.count()).where(
            Assignment.round_id == rnd.id, Assignment.internship_id.is_(None)
        )
    )
    if not unmatched:
        conflict("every student of the round was matched")
    return services.create(
        user,
        {
            **data,
            "internship_ids": [r[0] for r in rows],
            "slots": {r[0]: r[1] - (r[2] or 0) for r in rows},
        },
        parent=rnd,
    )
