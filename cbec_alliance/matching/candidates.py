"""Who chose an internship of a round: the students its enterprise ranks, in its order."""

from __future__ import annotations

from typing import Any

import numpy as np
import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.links import envelope
from cbec_alliance.extensions import db

from . import runner, services
from .models import MatchRound, Preference, Ranking, RoundInternship


def access(rnd: MatchRound, internship_id: int, user: User) -> RoundInternship:
    """The internship of the round for coordinators and its enterprise's admins and staff
    (404 outside the round, 403 for anyone else)."""
    if not user.is_coordinator:
        return services.round_internship(rnd, internship_id, user)
    ri = db.session.get(RoundInternship, (rnd.id, internship_id))
    if ri is None:
        not_found("internship in this round")
    return ri


def chosen_by(round_id: int, internship_id: int) -> sa.Select:
    """(student_id, university_id, choice) of each student who listed the internship, with
    the place it has in their list (1 = first choice); read from the one preference row a
    student (the list is JSON), without a row per choice."""
    p = Preference
    choice: sa.ColumnElement[Any]
    if is_postgres():
        item = (
            sa.func.json_array_elements_text(p.internship_ids)
            .table_valued("value", with_ordinality="ordinality")
            .render_derived(name="item")
        )
        choice, hit = item.c.ordinality, item.c.value == str(internship_id)
    else:  # SQLite: json_each gives the 0-based index as `key`
        item = sa.func.json_each(p.internship_ids).table_valued("key", "value").alias("item")
        choice, hit = item.c.key + 1, item.c.value == internship_id
    return (
        sa.select(p.student_id, p.university_id, choice.label("choice"))
        .select_from(p)
        .join(item, sa.true())
        .where(p.round_id == round_id, hit)
    )


def listing(rnd: MatchRound, ri: RoundInternship, args: dict) -> dict:
    """A page of the students who chose the internship, in the enterprise's current order:
    the ranked ones in its order, then the unranked by recommendation score (as the run
    orders them, before the lottery), then the excluded; ties by student id."""
    chosen = chosen_by(rnd.id, ri.internship_id)
    rows = db.session.execute(chosen.order_by(Preference.student_id)).all()
    ranking = db.session.get(Ranking, (rnd.id, ri.internship_id))
    rank = {s: k + 1 for k, s in enumerate(ranking.student_ids if ranking else [])}
    excluded = set(ranking.excluded_student_ids if ranking else [])
    ids = [r.student_id for r in rows]
    scores = [0.0] * len(ids)
    if ids:
        among = sa.select(chosen.subquery().c.student_id)
        score = runner.scorer([ri.internship_id], ids, [r.university_id for r in rows], among)
        scores = score(
            np.arange(len(ids)), np.full(len(ids), ri.internship_id, dtype=np.int64)
        ).tolist()
    order = sorted(
        range(len(ids)),
        key=lambda k: (
            ids[k] in excluded,
            rank.get(ids[k], len(rank) + 1),
            -scores[k],
            ids[k],
        ),
    )
    page, per_page = args["page"], args["per_page"]
    shown = order[(page - 1) * per_page : page * per_page]
    names = dict(
        db.session.execute(
            sa.select(User.id, User.name).where(User.id.in_([ids[k] for k in shown]))
        ).all()
    )
    items = [
        {
            "student_id": ids[k],
            "name": names.get(ids[k]),
            "university_id": rows[k].university_id,
            "choice": int(rows[k].choice),
            "score": scores[k],
            "rank": rank.get(ids[k]),
            "excluded": ids[k] in excluded,
        }
        for k in shown
    ]
    return envelope(items, len(ids), page, per_page)
