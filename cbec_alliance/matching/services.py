"""Match round rules: creating rounds, collecting preferences and rankings, running."""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from cbec_alliance.accounts.models import User
from cbec_alliance.applications.models import Application
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import after_commit, for_update
from cbec_alliance.core.errors import (
    Waiting,
    conflict,
    forbidden,
    invalid,
    not_found,
)
from cbec_alliance.core.events import emit
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import STAFF_ROLES
from cbec_alliance.organizations.services import get_for_member
from cbec_alliance.students.services import require_student, student_universities

from . import steps
from .models import LIVE, Assignment, MatchRound, Preference, Ranking, RoundInternship
from .steps import wrong_round_step

RUN_TASK = "matching.run_round"
# A closing time this far in the past is taken as "now" (the caller's clock may lag);
# anything earlier is a mistake (422).
CLOSE_NOW_SKEW = dt.timedelta(minutes=5)


def _unique(field: str, ids: list[int]) -> None:
    seen, twice = set(), []
    for i in ids:
        if i in seen:
            twice.append(i)
        seen.add(i)
    if twice:
        invalid(field, _("listed more than once: %(set)s", set=sorted(set(twice))))


def get_visible(round_id: int) -> MatchRound:
    """A round: every logged-in user may see one (404 when missing; the views require a
    login)."""
    rnd = db.session.get(MatchRound, round_id)
    if rnd is None:
        not_found("match round")
    return rnd


def listing(args: dict) -> sa.Select:
    """Rounds newest first, optionally by status (with their internships: one query for
    the page's, not one a round)."""
    stmt = (
        sa.select(MatchRound)
        .options(selectinload(MatchRound.internships))
        .order_by(MatchRound.id.desc())
    )
    if args.get("status"):
        stmt = stmt.where(MatchRound.status == args["status"])
    return stmt


def _check_close(value) -> None:
    if value <= utcnow():
        invalid("preferences_close_at", "must be in the future")


def lock_postings(ids: list[int]) -> dict[int, sa.Row]:
    """The internships' (id, enterprise_id, status, slots, accepted_count) under row locks,
    taken in id order (accepting an offer takes the same lock, so no slot is taken meanwhile)."""
    stmt = sa.select(
        Internship.id,
        Internship.enterprise_id,
        Internship.status,
        Internship.slots,
        Internship.accepted_count,
        Internship.kind,
    ).where(Internship.id.in_(ids))
    return {r.id: r for r in db.session.execute(for_update(stmt.order_by(Internship.id)))}


def free_slots(postings) -> dict[int, int]:
    """Each internship's free slots: neither accepted nor promised by an open offer."""
    ids = [p.id for p in postings]
    offered = dict(
        db.session.execute(
            sa.select(Application.internship_id, sa.func.count())
            .where(Application.internship_id.in_(ids), Application.status == "offered")
            .group_by(Application.internship_id)
        ).all()
    )
    return {p.id: max(0, p.slots - p.accepted_count - offered.get(p.id, 0)) for p in postings}


def check_not_in_live_round(ids: list[int], *, besides: int | None = None) -> None:
    """409 naming the internships already in another round still allocating them."""
    stmt = (
        sa.select(RoundInternship.internship_id, RoundInternship.round_id)
        .join(MatchRound, MatchRound.id == RoundInternship.round_id)
        .where(RoundInternship.internship_id.in_(ids), MatchRound.status.in_(LIVE))
    )
    if besides is not None:
        stmt = stmt.where(RoundInternship.round_id != besides)
    rows = db.session.execute(stmt).all()
    if rows:
        taken = sorted({r[0] for r in rows})
        rounds = sorted({r[1] for r in rows})
        conflict(
            _(
                "internships %(value)s are already in match round(s) %(value2)s that have not "
                "been published; allowed next steps: leave them out, or publish those rounds "
                "first (their follow-up rounds then take what is left)",
                value=taken[:50],
                value2=rounds[:20],
            ),
            internship_ids=taken,
            round_ids=rounds,
        )


def create(user: User, data: dict, parent: MatchRound | None = None) -> MatchRound:
    """A coordinator opens a round over open internships, each with its free slots (a
    follow-up round gives `slots`, never more than are free now); an internship is in one
    unpublished round at a time."""
    _check_close(data["preferences_close_at"])
    ids = data["internship_ids"]
    _unique("internship_ids", ids)
    # Locked: two rounds created at once over one internship are one after the other.
    postings = lock_postings(ids)
    missing = [i for i in ids if i not in postings]
    if missing:
        invalid("internship_ids", _("unknown internships: %(missing)s", missing=missing))
    not_open = [i for i in ids if postings[i].status != "open"]
    if not_open:
        invalid(
            "internship_ids",
            _("only open internships can be matched; not open: %(not_open)s", not_open=not_open),
        )
    # A round places students in internships; jobs are applied for, not allocated.
    jobs = [i for i in ids if postings[i].kind != "internship"]
    if jobs:
        invalid(
            "internship_ids",
            _("only internships can be matched; jobs of another kind: %(jobs)s", jobs=jobs),
        )
    check_not_in_live_round(ids)
    free = free_slots(postings.values())
    slots = data.get("slots") or {}
    rnd = MatchRound(
        name=data["name"],
        preferences_close_at=data["preferences_close_at"],
        seed=data.get("seed") if data.get("seed") is not None else secrets.randbits(62),
        parent_id=parent.id if parent else None,
        created_by_id=user.id,
    )
    for i in ids:
        n = min(slots.get(i, free[i]), free[i])
        if n < 1:
            invalid("internship_ids", _("internship %(i)s has no free slot", i=i))
        rnd.internships.append(
            RoundInternship(internship_id=i, enterprise_id=postings[i].enterprise_id, slots=n)
        )
    db.session.add(rnd)
    db.session.flush()
    audit(actor=user, obj=rnd, action="create", changes={"internship_ids": ids})
    for enterprise_id in sorted({postings[i].enterprise_id for i in ids}):
        emit(
            "match_round.opened",
            {
                "round_id": rnd.id,
                "name": rnd.name,
                "preferences_close_at": iso_z(rnd.preferences_close_at),
            },
            organization_id=enterprise_id,
            actor=user,
        )
    return rnd


def update(user: User, rnd: MatchRound, data: dict) -> MatchRound:
    """Rename a round or move its closing time (coordinators, while collecting)."""
    if rnd.status != "collecting":
        wrong_round_step("change the round", rnd)
    close_at = data.get("preferences_close_at")
    if close_at is not None and close_at <= utcnow():
        if close_at < utcnow() - CLOSE_NOW_SKEW:
            invalid("preferences_close_at", "must be in the future, or now to close preferences")
        close_preferences(user, rnd)
        data = {k: v for k, v in data.items() if k != "preferences_close_at"}
    elif close_at is not None:
        _check_close(close_at)
    for key, value in data.items():
        setattr(rnd, key, value)
    if data:
        audit(actor=user, obj=rnd, action="update", changes={k: str(v) for k, v in data.items()})
    return rnd


def close_preferences(user: User, rnd: MatchRound) -> MatchRound:
    """Close students' preferences now (coordinators, a round locked by the caller, while
    collecting), so the round may be run at once; 409 when they are already closed."""
    if rnd.status != "collecting":
        wrong_round_step("close preferences", rnd)
    now = utcnow()
    before = as_utc(rnd.preferences_close_at)
    if before <= now:
        conflict(
            _(
                "preferences already closed at %(before)s; allowed next steps: %(allowed)s",
                before=iso_z(before),
                allowed=", ".join(steps.allowed(rnd)),
            )
        )
    rnd.preferences_close_at = now
    audit(
        actor=user,
        obj=rnd,
        action="close-preferences",
        changes={"preferences_close_at": {"from": iso_z(before), "to": iso_z(now)}},
    )
    return rnd


def _collecting(rnd: MatchRound, what: str) -> None:
    if rnd.status != "collecting":
        wrong_round_step(f"change {what}", rnd)


def put_preferences(user: User, rnd: MatchRound, ids: list[int]) -> Preference | dict:
    """A student's ranked internships (an empty list withdraws them: the answer then lists
    none), before the closing time."""
    m = require_student(user)
    _collecting(rnd, "preferences")
    if utcnow() >= as_utc(rnd.preferences_close_at):
        conflict(
            _(
                "preferences closed at %(preferences_close_at)s; allowed next steps: wait for the "
                "coordinators to run the round (enterprises may still rank)",
                preferences_close_at=iso_z(rnd.preferences_close_at),
            )
        )
    if rnd.parent_id is not None:
        left_out = db.session.scalar(
            sa.select(Assignment.student_id).where(
                Assignment.round_id == rnd.parent_id,
                Assignment.student_id == user.id,
                Assignment.internship_id.is_(None) | Assignment.no_offer.is_not(None),
            )
        )
        if left_out is None:
            forbidden(
                "this follow-up round is for the students the earlier round left without an offer"
            )
    _unique("internship_ids", ids)
    if ids:
        in_round = set(
            db.session.scalars(
                sa.select(RoundInternship.internship_id).where(
                    RoundInternship.round_id == rnd.id, RoundInternship.internship_id.in_(ids)
                )
            )
        )
        unknown = [i for i in ids if i not in in_round]
        if unknown:
            invalid("internship_ids", _("not in this round: %(unknown)s", unknown=unknown))
    pref = db.session.get(Preference, (rnd.id, user.id))
    if not ids:
        if pref is not None:
            db.session.delete(pref)
        return {"round_id": rnd.id, "student_id": user.id, "internship_ids": []}
    if pref is None:
        pref = Preference(round_id=rnd.id, student_id=user.id, university_id=m.organization_id)
        db.session.add(pref)
    pref.internship_ids = list(ids)
    pref.updated_at = utcnow()
    db.session.flush()
    return pref


def get_preferences(user: User, rnd: MatchRound) -> Preference:
    """The calling student's preferences in a round."""
    require_student(user)
    pref = db.session.get(Preference, (rnd.id, user.id))
    if pref is None:
        not_found("preferences")
    return pref


def round_internship(rnd: MatchRound, internship_id: int, user: User) -> RoundInternship:
    """An internship of the round, for its enterprise's admins and staff (404 outside the round)."""
    ri = db.session.get(RoundInternship, (rnd.id, internship_id))
    if ri is None:
        not_found("internship in this round")
    get_for_member(ri.enterprise_id, user, roles=STAFF_ROLES)
    return ri


def _students_check(field: str, ids: list[int]) -> None:
    _unique(field, ids)
    found = student_universities(ids)
    unknown = [i for i in ids if i not in found]
    if unknown:
        invalid(
            field,
            _("not students of an approved alliance university: %(value)s", value=unknown[:20]),
        )


def put_ranking(user: User, rnd: MatchRound, internship_id: int, data: dict) -> Ranking:
    """An enterprise's order of students for its internship, and whom it will not take
    (the whole ranking: a list not given is empty). Allowed until the round is run, also
    after preferences closed."""
    round_internship(rnd, internship_id, user)
    _collecting(rnd, "rankings")
    ranked = data.get("student_ids") or []
    excluded = data.get("excluded_student_ids") or []
    _students_check("student_ids", ranked)
    _students_check("excluded_student_ids", excluded)
    both = sorted(set(ranked) & set(excluded))
    if both:
        invalid("excluded_student_ids", _("also ranked in student_ids: %(both)s", both=both))
    ranking = db.session.get(Ranking, (rnd.id, internship_id))
    if ranking is None:
        ranking = Ranking(round_id=rnd.id, internship_id=internship_id)
        db.session.add(ranking)
    ranking.student_ids = list(ranked)
    ranking.excluded_student_ids = list(excluded)
    ranking.updated_by_id = user.id
    ranking.updated_at = utcnow()
    db.session.flush()
    return ranking


def get_ranking(user: User, rnd: MatchRound, internship_id: int) -> Ranking:
    """The enterprise's ranking for its internship (an empty one before any is given)."""
    round_internship(rnd, internship_id, user)
    ranking = db.session.get(Ranking, (rnd.id, internship_id))
    return ranking or Ranking(
        round_id=rnd.id, internship_id=internship_id, student_ids=[], excluded_student_ids=[]
    )


def lock(round_id: int, *, shared: bool = False) -> MatchRound:
    """The round under a row lock: two coordinators cannot run or publish it at once, and
    (`shared`) a preference or ranking written while the run starts waits and then sees
    the round is no longer collecting, instead of being silently left out of the run."""
    stmt = sa.select(MatchRound).where(MatchRound.id == round_id)
    rnd = db.session.scalars(
        for_update(stmt, shared=shared).execution_options(populate_existing=True)
    ).first()
    if rnd is None:
        not_found("match round")
    return rnd


def request_run(user: User, rnd: MatchRound) -> MatchRound:
    """Queue the run for a worker once preferences have closed (again after done: the
    stored seed makes it the same run)."""
    status = steps.take(rnd, "run")
    if utcnow() < as_utc(rnd.preferences_close_at):
        close_at = iso_z(rnd.preferences_close_at)
        conflict(
            _(
                "preferences are open until %(close_at)s: waiting for the students to give "
                "preferences; run the round after that, or close preferences now (POST "
                "/api/v1/match-rounds/%(id)s/close-preferences); allowed next steps until then: "
                "close-preferences, change the round (PATCH its name or preferences_close_at), "
                "students' preferences and enterprises' rankings",
                close_at=close_at,
                id=rnd.id,
            ),
            waiting_for=[
                Waiting(
                    "student",
                    _("give preferences until %(close_at)s", close_at=close_at),
                    _("the students"),
                ).as_member()
            ],
        )
    # A failed round run again must not take internships a newer round has since taken.
    check_not_in_live_round(rnd.internship_ids, besides=rnd.id)
    rnd.status = status
    rnd.run_requested_at = utcnow()
    rnd.error = None
    audit(actor=user, obj=rnd, action="run", changes={"seed": rnd.seed})
    after_commit(enqueue, RUN_TASK, rnd.id)
    return rnd


def cancel(user: User, rnd: MatchRound, reason: str) -> MatchRound:
    """Call a round off before publication (coordinators; not while a worker runs it): its
    internships are free for another round, and enterprises and choosing students are told."""
    rnd.status = steps.take(rnd, "cancel")
    rnd.cancelled_at = utcnow()
    rnd.cancel_reason = reason
    audit(actor=user, obj=rnd, action="cancel", changes={"reason": reason})
    payload = {"round_id": rnd.id, "name": rnd.name, "reason": reason}
    emit("match_round.cancelled", payload, actor=user)
    for enterprise_id in sorted({ri.enterprise_id for ri in rnd.internships}):
        emit("match_round.cancelled_enterprise", payload, organization_id=enterprise_id, actor=user)
    return rnd
