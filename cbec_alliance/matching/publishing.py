"""Publishing a round (its assignments become offers) and the follow-up round after it."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.applications.lifecycle import FINAL, TRANSITIONS
from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.errors import conflict
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.outbox import emit

from . import runner, services
from .models import Assignment, MatchRound, Preference, Ranking, RoundInternship
from .ordering import UNRANKED, lottery

# Publishing makes an offer the way an enterprise would: only from the states the
# lifecycle lets an offer start from. Applications further along (offered, accepted,
# completed) are left as they are, and so are closed ones (rejected, declined, withdrawn):
# a student who withdrew is not offered the internship behind their back.
OFFER_FROM = TRANSITIONS["offer"][1]
NOTE = "offered by match round {id}"
NONE_LEFT = (
    "allowed next steps: none for this round; open a new round (POST /api/v1/match-rounds) "
    "over other internships"
)


def publish(user: User, rnd: MatchRound) -> MatchRound:
    """Turn the assignments into `offered` applications in this transaction, and notify.

    A matched student without an application gets a new one, offered; one whose application
    may be offered (submitted, shortlisted) has it moved to offered; one whose application
    is already offered or further along keeps it. No offer (`Assignment.no_offer`, counted
    in the stats) for one whose application was closed (withdrawn, rejected, declined:
    `skipped`), whose internship is no longer open (`not_open`), or who is beyond the
    internship's free slots now (`no_free_slot`: the lowest in its order lose out).
    """
    if rnd.status != "done":
        services.wrong_round_step("publish", rnd)
    verdict = rnd.verdict or {}
    if not verdict.get("stable"):
        conflict(
            "the run's check failed (stable: false, blocking pairs: "
            f"{verdict.get('blocking_pairs')}), so it cannot be published; allowed next "
            "steps: run, cancel"
        )
    now = utcnow()
    matched = db.session.execute(
        sa.select(Assignment.student_id, Assignment.internship_id, Assignment.university_id)
        .where(Assignment.round_id == rnd.id, Assignment.internship_id.is_not(None))
        .order_by(Assignment.student_id)
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
    # Then the internships (the order accepting an offer takes the two locks in): their
    # status and free slots as they are now, not as when the round was opened.
    postings = services.lock_postings(rnd.internship_ids)
    free = services.free_slots(postings.values())
    no_offer: dict[str, list[int]] = defaultdict(list)
    skipped: list[int] = []
    wanting: dict[int, list[tuple]] = defaultdict(list)
    for student_id, internship_id, university_id in matched:
        app = existing.get((internship_id, student_id))
        if app is not None and app.status in FINAL:
            skipped.append(app.id)
            no_offer["application_closed"].append(student_id)
        elif app is None or app.status in OFFER_FROM:
            wanting[internship_id].append((student_id, university_id, app))
        # else offered or accepted already: it holds its slot
    offer, created = {}, []
    for internship_id, students in wanting.items():
        posting = postings.get(internship_id)
        if posting is None or posting.status != "open":
            no_offer["not_open"] += [s for s, _, _ in students]
            continue
        if len(students) > free[internship_id]:
            order = _internship_order(rnd, internship_id, [(s, u) for s, u, _ in students])
            admitted = set(order[: free[internship_id]])
            no_offer["no_free_slot"] += [s for s in order if s not in admitted]
            students = [x for x in students if x[0] in admitted]
        for student_id, university_id, app in students:
            if app is not None:
                offer[app.id] = (app.status, student_id)
                continue
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
        transitions += [(i, offer[i][0]) for i in sorted(moved)]
        for app_id in sorted(set(offer) - set(moved)):
            skipped.append(app_id)
            no_offer["application_closed"].append(offer[app_id][1])
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
                    "note": NOTE.format(id=rnd.id),
                    "at": now,
                }
                for app_id, before in transitions
            ],
        )
    for reason, student_ids in no_offer.items():
        for start in range(0, len(student_ids), 5_000):  # IN lists of bounded size
            db.session.execute(
                sa.update(Assignment)
                .where(
                    Assignment.round_id == rnd.id,
                    Assignment.student_id.in_(student_ids[start : start + 5_000]),
                )
                .values(no_offer=reason)
            )
    rnd.status = "published"
    rnd.published_at = now
    counts = {
        "skipped": len(skipped),
        "not_open": len(no_offer["not_open"]),
        "no_free_slot": len(no_offer["no_free_slot"]),
    }
    rnd.stats = {**(rnd.stats or {}), **counts}
    audit(
        actor=user,
        obj=rnd,
        action="publish",
        changes={
            "offered": len(transitions),
            "created": len(created),
            **counts,
            "skipped": sorted(skipped),
        },
    )
    _notify(rnd, user)
    return rnd


def _internship_order(rnd: MatchRound, internship_id: int, students: list[tuple]) -> list[int]:
    """`students` ((id, university id)) in the internship's order, as the run made it: its
    enterprise's ranking, then recommendation score, then the round's lottery."""
    ranking = db.session.get(Ranking, (rnd.id, internship_id))
    position = {s: k for k, s in enumerate(ranking.student_ids if ranking else [])}
    ids = [s for s, _ in students]
    among = sa.select(Assignment.student_id).where(
        Assignment.round_id == rnd.id, Assignment.internship_id == internship_id
    )
    score = runner.scorer({internship_id: 0}, ids, [u for _, u in students], among)
    scores = score(np.arange(len(ids)), np.full(len(ids), internship_id, dtype=np.int64))
    # The lottery is drawn over every student of the round, as in the run.
    everyone = np.array(
        db.session.scalars(
            sa.select(Preference.student_id)
            .where(Preference.round_id == rnd.id)
            .order_by(Preference.student_id)
        ).all(),
        dtype=np.int64,
    )
    numbers = lottery(everyone, rnd.seed)
    draw = numbers[np.searchsorted(everyone, np.array(ids, dtype=np.int64))]
    keys = sorted(
        range(len(ids)),
        key=lambda k: (position.get(ids[k], UNRANKED), -scores[k], draw[k]),
    )
    return [ids[k] for k in keys]


def _notify(rnd: MatchRound, user: User) -> None:
    base = {"round_id": rnd.id, "name": rnd.name}
    emit("match_round.published", {**base, **(rnd.stats or {})}, actor=user)
    lost = dict(_no_offer_counts(rnd.id, RoundInternship.enterprise_id))
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
        assigned = int(filled) - lost.get(enterprise_id, 0)
        emit(
            "match_round.enterprise_results",
            {**base, "slots": int(slots), "assigned": assigned, "unfilled": int(slots) - assigned},
            organization_id=enterprise_id,
            actor=user,
        )


def _no_offer_counts(round_id: int, by) -> list[tuple]:
    """(`by`, how many matched students got no offer), `by` a RoundInternship column."""
    return db.session.execute(
        sa.select(by, sa.func.count())
        .select_from(Assignment)
        .join(
            RoundInternship,
            (RoundInternship.round_id == Assignment.round_id)
            & (RoundInternship.internship_id == Assignment.internship_id),
        )
        .where(Assignment.round_id == round_id, Assignment.no_offer.is_not(None))
        .group_by(by)
    ).all()


def follow_up(user: User, rnd: MatchRound, data: dict) -> MatchRound:
    """The one next round of a published round (locked by the caller): over the slots it
    did not fill (or filled without an offer) that are still free, for its students left
    without an offer."""
    if rnd.status != "published":
        services.wrong_round_step("create a follow-up round", rnd)
    # A cancelled follow-up gave its internships back, so it does not count.
    child = db.session.scalar(
        sa.select(MatchRound.id)
        .where(MatchRound.parent_id == rnd.id, MatchRound.status != "cancelled")
        .order_by(MatchRound.id)
    )
    if child is not None:
        conflict(
            f"round {rnd.id} already has a follow-up round ({child}); allowed next steps: "
            f"none for this round; continue with round {child} (run, publish, then its own "
            "follow-up)",
            follow_up_id=child,
        )
    lost = dict(_no_offer_counts(rnd.id, RoundInternship.internship_id))
    unfilled = {
        ri.internship_id: ri.slots - (ri.filled or 0) + lost.get(ri.internship_id, 0)
        for ri in rnd.internships
    }
    postings = services.lock_postings([i for i, n in unfilled.items() if n > 0])
    free = services.free_slots(postings.values())
    slots = {
        i: min(unfilled[i], free[i])
        for i, p in sorted(postings.items())
        if p.status == "open" and min(unfilled[i], free[i]) >= 1
    }
    if not slots:
        conflict(
            "nothing is left for a follow-up round: every slot was filled (or its internship "
            f"is no longer open, or has no free slot now); {NONE_LEFT}"
        )
    left = db.session.scalar(
        sa.select(sa.func.count()).where(
            Assignment.round_id == rnd.id,
            Assignment.internship_id.is_(None) | Assignment.no_offer.is_not(None),
        )
    )
    if not left:
        conflict(f"every student of the round was offered an internship; {NONE_LEFT}")
    return services.create(
        user,
        {**data, "internship_ids": list(slots), "slots": slots},
        parent=rnd,
    )
