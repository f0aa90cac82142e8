"""A round's results: who sees which assignments, and why a higher choice was not given."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import Waiting, conflict, forbidden, not_found, waiting_on
from cbec_alliance.core.pagination import paginate
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.students.services import require_student

from . import services, steps
from .models import Assignment, MatchRound, RoundInternship
from .schemas import RoundSchema

# What only coordinators see of a round before its publication.
UNTIL_PUBLISHED = ("seed", "stats", "verdict", "error")


def _enterprises_of(user: User, rnd: MatchRound) -> list[int]:
    """The enterprises with an internship in the round whose admin or staff the user is."""
    staff_of = [m.organization_id for m in user.memberships if m.role in services.STAFF_ROLES]
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
            detail = _("the round is %(status)s; results come after a run", status=rnd.status)
            allowed = ", ".join(steps.allowed(rnd)) or _("none (wait for the run)")
            waits = steps.waits(rnd, "publish")
            if waits:
                waiting_on(detail, waits, allowed)
            conflict(
                _("%(detail)s; allowed next steps: %(allowed)s", detail=detail, allowed=allowed)
            )
        return None
    enterprises = _enterprises_of(user, rnd)
    if not enterprises:
        forbidden("only coordinators and the enterprises of the round see its results")
    if rnd.status != "published":
        _until_published(
            rnd,
            _(
                "the round is %(status)s; enterprises see results once it is published",
                status=rnd.status,
            ),
            _("see the round's candidates and your rankings"),
        )
    return enterprises


def _until_published(rnd: MatchRound, detail: str, meanwhile: str) -> None:
    """409 for results asked for before publication, naming whom they wait for while the
    round may still be published."""
    if rnd.status == "cancelled":
        conflict(_("%(detail)s; it was cancelled, so it never will be", detail=detail))
    waits = [*steps.waits(rnd, "publish"), Waiting("coordinator", "publish the round")]
    waiting_on(detail, waits, meanwhile)


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


def internships(rnd: MatchRound, user: User, args: dict) -> dict:
    """A page of the round's internships with their slots (coordinators; an enterprise its
    own); how they were filled only for those who may see it (coordinators after a run,
    enterprises once published)."""
    stmt = sa.select(RoundInternship).where(RoundInternship.round_id == rnd.id)
    if user.is_coordinator:
        with_results = rnd.status in ("done", "published")
    else:
        enterprises = _enterprises_of(user, rnd)
        if not enterprises:
            forbidden("only coordinators and the enterprises of the round see its internships")
        stmt = stmt.where(RoundInternship.enterprise_id.in_(enterprises))
        with_results = rnd.status == "published"
    page = paginate(stmt.order_by(RoundInternship.internship_id), args)
    if not with_results:
        page["items"] = [
            {
                "internship_id": i.internship_id,
                "enterprise_id": i.enterprise_id,
                "slots": i.slots,
                "filled": None,
                "cutoff_rank": None,
            }
            for i in page["items"]
        ]
    return page


def shown(rnd: MatchRound, user: User) -> MatchRound | dict:
    """The round as the caller may see it: the seed and results wait for publication
    (coordinators see them at once)."""
    if user.is_coordinator or rnd.status == "published":
        return rnd
    return {
        **{k: getattr(rnd, k) for k in RoundSchema().fields},
        **dict.fromkeys(UNTIL_PUBLISHED),
    }


def rounds(args: dict, user: User) -> dict:
    """A page of rounds, newest first, each as the caller may see it."""
    page = paginate(services.listing(args), args)
    page["items"] = [shown(r, user) for r in page["items"]]
    return page


def mine(rnd: MatchRound, user: User) -> Assignment:
    """The calling student's assignment, with why each higher choice was not given."""
    require_student(user)
    if rnd.status != "published":
        _until_published(
            rnd, f"the round is {rnd.status}; results are shown once it is published", "none"
        )
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
        "no_offer": found.no_offer,
        "explanation": why,
    }


def titles(ids) -> dict[int | None, str]:
    """Internship titles by id, for explanations (looked up with None too: no title)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Internship.id, Internship.title).where(Internship.id.in_(ids))
        ).all()
    )
