"""Publishing a round (its assignments become offers) and the follow-up round after it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import services as applications
from cbec_alliance.applications.lifecycle import FINAL, OFFER_FROM
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from . import runner, services
from .models import Assignment, MatchRound, Preference, Ranking, RoundInternship
from .ordering import UNRANKED, lottery

# Publishing makes an offer the way an enterprise would: only from the states the
# lifecycle lets an offer start from (OFFER_FROM). Applications further along (offered,
# accepted, completed) are left as they are, and so are closed ones (rejected, declined,
# withdrawn): a student who withdrew is not offered the internship behind their back.
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
    _check_publishable(rnd)
    plan = _plan_offers(rnd)
    made = applications.offer_many(user, plan.existing, plan.new, NOTE.format(id=rnd.id))
    for app_id in made.unmoved:  # closed meanwhile: no offer after all
        plan.skipped.append(app_id)
        plan.no_offer["application_closed"].append(plan.existing_students[app_id])
    _record_no_offers(rnd, plan.no_offer)
    _finish(user, rnd, plan, offered=len(made.moved) + len(made.created), created=made.created)
    return rnd


def _check_publishable(rnd: MatchRound) -> None:
    if rnd.status != "done":
        services.wrong_round_step("publish", rnd)
    verdict = rnd.verdict or {}
    if not verdict.get("stable"):
        conflict(
            gettext(
                "the run's check failed (stable: false, blocking pairs: %(get)s), so it cannot be "
                "published; allowed next steps: run, cancel",
                get=verdict.get("blocking_pairs"),
            )
        )


@dataclass
class _Plan:
    """Who gets an offer: applications to move ({id: status}) and their students, new
    applications ((internship, student, university)), and who gets none, why."""

    existing: dict[int, str] = field(default_factory=dict)
    existing_students: dict[int, int] = field(default_factory=dict)
    new: list[tuple[int, int, int]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    no_offer: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


def _plan_offers(rnd: MatchRound) -> _Plan:
    """Decide each matched student's offer, against the applications and internships as
    they are now (both locked: the order accepting an offer takes the two locks in)."""
    matched = db.session.execute(
        sa.select(Assignment.student_id, Assignment.internship_id, Assignment.university_id)
        .where(Assignment.round_id == rnd.id, Assignment.internship_id.is_not(None))
        .order_by(Assignment.student_id)
    ).all()
    existing = applications.lock_pairs(
        sa.select(Assignment.internship_id, Assignment.student_id).where(
            Assignment.round_id == rnd.id
        )
    )
    postings = services.lock_postings(rnd.internship_ids)
    free = services.free_slots(postings.values())
    plan = _Plan()
    wanting: dict[int, list[tuple]] = defaultdict(list)
    for student_id, internship_id, university_id in matched:
        assert internship_id is not None  # the query keeps matched students only
        app = existing.get((internship_id, student_id))
        if app is not None and app.status in FINAL:
            plan.skipped.append(app.id)
            plan.no_offer["application_closed"].append(student_id)
        elif app is None or app.status in OFFER_FROM:
            wanting[internship_id].append((student_id, university_id, app))
        # else offered or accepted already: it holds its slot
    for internship_id, students in wanting.items():
        posting = postings.get(internship_id)
        if posting is None or posting.status != "open":
            plan.no_offer["not_open"] += [s for s, _, _ in students]
            continue
        if len(students) > free[internship_id]:
            order = _internship_order(rnd, internship_id, [(s, u) for s, u, _ in students])
            admitted = set(order[: free[internship_id]])
            plan.no_offer["no_free_slot"] += [s for s in order if s not in admitted]
            students = [x for x in students if x[0] in admitted]
        for student_id, university_id, app in students:
            if app is None:
                plan.new.append((internship_id, student_id, university_id))
            else:
                plan.existing[app.id] = app.status
                plan.existing_students[app.id] = student_id
    return plan


def _record_no_offers(rnd: MatchRound, no_offer: dict[str, list[int]]) -> None:
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


def _finish(user: User, rnd: MatchRound, plan: _Plan, *, offered: int, created: list) -> None:
    rnd.status = "published"
    rnd.published_at = utcnow()
    counts = {
        "skipped": len(plan.skipped),
        "not_open": len(plan.no_offer["not_open"]),
        "no_free_slot": len(plan.no_offer["no_free_slot"]),
    }
    rnd.stats = {**(rnd.stats or {}), **counts}
    audit(
        actor=user,
        obj=rnd,
        action="publish",
        changes={
            "offered": offered,
            "created": len(created),
            **counts,
            "skipped": sorted(plan.skipped),
        },
    )
    _notify(rnd, user)


def _internship_order(rnd: MatchRound, internship_id: int, students: list[tuple]) -> list[int]:
    """`students` ((id, university id)) in the internship's order, as the run made it: its
    enterprise's ranking, then recommendation score, then the round's lottery."""
    ranking = db.session.get(Ranking, (rnd.id, internship_id))
    position = {s: k for k, s in enumerate(ranking.student_ids if ranking else [])}
    ids = [s for s, _ in students]
    among = sa.select(Assignment.student_id).where(
        Assignment.round_id == rnd.id, Assignment.internship_id == internship_id
    )
    score = runner.scorer([internship_id], ids, [u for _, u in students], among)
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
    rows = sorted(
        range(len(ids)),
        key=lambda row: (position.get(ids[row], UNRANKED), -scores[row], draw[row]),
    )
    return [ids[row] for row in rows]


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


def _no_offer_counts(round_id: int, by) -> Sequence[sa.Row]:
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
            gettext(
                "round %(id)s already has a follow-up round (%(child)s); allowed next steps: none "
                "for this round; continue with round %(child)s (run, publish, then its own "
                "follow-up)",
                id=rnd.id,
                child=child,
            ),
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
            gettext(
                "nothing is left for a follow-up round: every slot was filled (or its internship "
                "is no longer open, or has no free slot now); %(none_left)s",
                none_left=NONE_LEFT,
            )
        )
    left = db.session.scalar(
        sa.select(sa.func.count()).where(
            Assignment.round_id == rnd.id,
            Assignment.internship_id.is_(None) | Assignment.no_offer.is_not(None),
        )
    )
    if not left:
        conflict(
            gettext(
                "every student of the round was offered an internship; %(none_left)s",
                none_left=NONE_LEFT,
            )
        )
    return services.create(
        user,
        {**data, "internship_ids": list(slots), "slots": slots},
        parent=rnd,
    )
