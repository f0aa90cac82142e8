"""Student pages, continued: match rounds and the student's ranked preferences in one (up
to 30 internships, best first), set through the matching service the API uses."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from cbec_alliance.internships.models import Internship
from cbec_alliance.matching import results
from cbec_alliance.matching import services as matching
from cbec_alliance.matching.schemas import MAX_CHOICES, MatchPreferencesInSchema
from cbec_alliance.organizations.models import Organization

from .labels import names_of
from .student_web import blp
from .web import attempt, done, page, parse, render, user


@blp.get("/rounds")
@page
def rounds():
    """The match rounds collecting preferences, newest first."""
    listing = results.rounds({"status": "collecting", "page": 1, "per_page": 20}, user())
    return render("console/student/rounds.html", listing=listing)


def _choices(rnd) -> list[int]:
    try:
        return list(matching.get_preferences(user(), rnd).internship_ids)
    except NotFound:
        return []


def _round_page(rnd, ranks: dict[int, str], errors: dict, message, status: int = 200):
    ids = [ri.internship_id for ri in rnd.internships]
    postings = names_of(Internship, ids, Internship.title)
    owners = names_of(Internship, ids, Internship.enterprise_id)
    companies = names_of(Organization, owners.values(), Organization.name)
    chosen = _choices(rnd)
    body = render(
        "console/student/round.html",
        rnd=rnd,
        internships=[
            (i, postings.get(i, i), companies.get(owners.get(i), "")) for i in sorted(ids)
        ],
        chosen=[(i, postings.get(i, i)) for i in chosen],
        ranks=ranks or {i: str(n) for n, i in enumerate(chosen, start=1)},
        positions=[(n, str(n)) for n in range(1, min(len(ids), MAX_CHOICES) + 1)],
        errors=errors,
        message=message,
        open=rnd.status == "collecting",
    )
    return body, status


@blp.get("/rounds/<int:round_id>")
@page
def round_view(round_id: int):
    """A round's internships and the student's ranking of them."""
    return _round_page(matching.get_visible(round_id), {}, {}, None)


@blp.post("/rounds/<int:round_id>")
@page
def round_save(round_id: int):
    """Save the ranking: each internship given a place (1 = first choice); none withdraws."""
    rnd = matching.get_visible(round_id)
    ranks = {
        ri.internship_id: request.form.get(f"rank-{ri.internship_id}", "").strip()
        for ri in rnd.internships
    }
    ranks = {i: r for i, r in ranks.items() if r}
    places: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for internship_id, rank in ranks.items():
        if not rank.isdigit():
            errors[f"rank-{internship_id}"] = [_("Choose a place from the list.")]
        elif int(rank) in places.values():
            errors[f"rank-{internship_id}"] = [_("Each place may be given once.")]
        else:
            places[internship_id] = int(rank)
    ordered = sorted(places, key=places.__getitem__)
    data, schema_errors = parse(MatchPreferencesInSchema(), {"internship_ids": ordered})
    errors.update(schema_errors)
    if errors or data is None:
        return _round_page(rnd, ranks, errors, _("Please correct the form."), 422)
    locked = matching.lock(round_id, shared=True)
    _saved, message, errors = attempt(
        lambda: matching.put_preferences(user(), locked, data["internship_ids"])
    )
    if message:
        return _round_page(rnd, ranks, errors, message, 409 if not errors else 422)
    if not data["internship_ids"]:
        said = _("Your preferences are withdrawn.")
    else:
        said = _("Your preferences are saved.")
    return done(said, "console_student.round_view", round_id=rnd.id)
