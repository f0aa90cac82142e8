"""The enterprise's match rounds: the rounds its internships are in, and for each of them
the students who chose it, to rank (best first) or exclude. Reads and writes go through
matching (results.internships, candidates.listing, services.put_ranking), as the API's."""

from __future__ import annotations

import re
from functools import partial

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _

from cbec_alliance.core.pagination import paginate
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.matching import candidates, results
from cbec_alliance.matching import services as matching
from cbec_alliance.matching.schemas import MatchRankingInSchema
from cbec_alliance.organizations.models import Organization

from .enterprise_web import blp, enterprise_of
from .web import attempt, done, page, parse, render, user

# Rounds and candidates shown on one page (rounds newest first; candidates in the order
# the run would take them).
ROUNDS = 50
CANDIDATES = 100


@blp.get("/<int:org_id>/match-rounds")
@page
def match_rounds(org_id: int):
    """The match rounds with this enterprise's internships, each with its slots."""
    org = enterprise_of(org_id)
    found = []
    every = paginate(matching.listing({}), {"page": 1, "per_page": ROUNDS})["items"]
    for rnd in every:
        if not any(i.enterprise_id == org.id for i in rnd.internships):
            continue
        mine, _message, _errors = attempt(
            partial(results.internships, rnd, user(), {"page": 1, "per_page": 100})
        )
        items = [i for i in (mine or {"items": []})["items"] if _enterprise(i) == org.id]
        found.append((rnd, items))
    ids = {_internship(i) for _rnd, items in found for i in items}
    return render(
        "console/enterprise/match_rounds.html", org=org, rounds=found, titles=_titles(ids)
    )


@blp.route("/<int:org_id>/match-rounds/<int:round_id>/<int:internship_id>", methods=["GET", "POST"])
@page
def ranking(org_id: int, round_id: int, internship_id: int):
    """Who chose the internship in this round, in the enterprise's current order; the form
    ranks them (a number each, 1 = best) or excludes them."""
    org = enterprise_of(org_id)
    rnd = matching.get_visible(round_id)
    ri = candidates.access(rnd, internship_id, user())
    if ri.enterprise_id != org.id:
        return render("console/error.html", status=404, message=_("Not found.")), 404
    if request.method == "GET":
        return _ranking_page(org, rnd, ri)
    listing = candidates.listing(rnd, ri, {"page": 1, "per_page": CANDIDATES})
    ranks, errors = _ranks([c["student_id"] for c in listing["items"]])
    excluded = [int(v) for v in request.form.getlist("excluded") if v.isdigit()]
    message = None
    if not errors:
        ranked = [sid for sid, _rank in sorted(ranks.items(), key=lambda kv: (kv[1], kv[0]))]
        data, errors = parse(
            MatchRankingInSchema(), {"student_ids": ranked, "excluded_student_ids": excluded}
        )
        if data is not None:
            saved, message, errors = attempt(
                lambda: matching.put_ranking(
                    user(), matching.lock(round_id, shared=True), internship_id, data
                )
            )
            if saved is not None:
                return done(
                    _("Ranking saved."),
                    "console_enterprise.ranking",
                    org_id=org.id,
                    round_id=rnd.id,
                    internship_id=internship_id,
                )
    status = 422 if errors else 409
    return _ranking_page(org, rnd, ri, message or _("Check the fields marked."), errors, status)


def _ranks(student_ids: list[int]) -> tuple[dict[int, int], dict[str, list[str]]]:
    """{student: the place typed for them} and an error per place that is no whole number."""
    ranks: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for sid in student_ids:
        typed = request.form.get(f"rank-{sid}", "").strip()
        if not typed:
            continue
        if not re.fullmatch(r"\d{1,6}", typed) or int(typed) < 1:
            errors[f"rank-{sid}"] = [_("A place is a whole number from 1.")]
        else:
            ranks[sid] = int(typed)
    return ranks, errors


def _ranking_page(org, rnd, ri, message=None, errors=None, status=200):
    listing = candidates.listing(rnd, ri, {"page": 1, "per_page": CANDIDATES})
    names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(
                Organization.id.in_({c["university_id"] for c in listing["items"]})
            )
        ).all()
    )
    body = render(
        "console/enterprise/ranking.html",
        org=org,
        rnd=rnd,
        internship_id=ri.internship_id,
        title=_titles({ri.internship_id}).get(ri.internship_id, ""),
        listing=listing,
        universities=names,
        typed=request.form if request.method == "POST" else None,
        message=message,
        errors=errors or {},
        collecting=rnd.status == "collecting",
    )
    return body, status


def _enterprise(item) -> int:
    return item["enterprise_id"] if isinstance(item, dict) else item.enterprise_id


def _internship(item) -> int:
    return item["internship_id"] if isinstance(item, dict) else item.internship_id


def _titles(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Internship.id, Internship.title).where(Internship.id.in_(ids))
    )
    return {row.id: row.title for row in rows}
