"""University pages, continued: its students' placements (list with a state filter, and one
placement's state, agreement, insurance, mentors and missing pieces) and the partners
recommended per cooperation mode with their reasons."""

from __future__ import annotations

from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.pagination import paginate
from cbec_alliance.insights import partners
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.partnerships.schemas import MODES, FitArgs
from cbec_alliance.placements import access, facts
from cbec_alliance.placements import services as placements
from cbec_alliance.placements.lifecycle import STATES
from cbec_alliance.placements.schemas import PlacementListArgs

from .labels import MODES as MODE_NAMES
from .labels import PLACEMENT_STATES, names_of, translated
from .university_web import blp, query, university
from .web import page, render, user

FACTORS = {
    "majors": N_("Majors taught"),
    "competencies": N_("Students' competencies"),
    "size": N_("Size"),
    "gap": N_("Skills gap covered"),
    "base": N_("Training base"),
    "place": N_("Distance"),
    "room": N_("Room to take more"),
    "tracks": N_("Competition tracks"),
    "topics": N_("Lecture topics"),
    "fields": N_("Teaching fields"),
    "teachers": N_("Teachers"),
    "hiring": N_("Hiring"),
    "graduates": N_("Graduates"),
    "scale": N_("Scale"),
    "breadth": N_("Breadth"),
    "record": N_("Track record"),
    "novelty": N_("New to each other"),
}
PARTIES = {
    "student": N_("Student"),
    "university": N_("University"),
    "enterprise": N_("Enterprise"),
    "guardian": N_("Guardian"),
}


@blp.get("/<int:org_id>/placements")
@page
def placement_list(org_id: int):
    """The placements of the university's students, newest first, by state."""
    org = university(org_id)
    args, errors, given = query(PlacementListArgs(), ("state",))
    args["university_id"] = org.id
    listing = paginate(placements.listing(user(), args), args)
    items = listing["items"]
    return render(
        "console/university/placements.html",
        org=org,
        listing=listing,
        args=given,
        errors=errors,
        states=[(s, translated(PLACEMENT_STATES)[s]) for s in STATES],
        state_names=translated(PLACEMENT_STATES),
        students=names_of(User, [p.student_id for p in items], User.name),
        enterprises=names_of(Organization, [p.enterprise_id for p in items], Organization.name),
        titles=names_of(Internship, [p.internship_id for p in items], Internship.title),
    )


@blp.get("/<int:org_id>/placements/<int:placement_id>")
@page
def placement(org_id: int, placement_id: int):
    """One placement: its state, the agreement's signatures, the insurance, the mentors and
    what is still missing before it may start (the rules report the API serves)."""
    org = university(org_id)
    found = access.get_visible(placement_id, user())
    if found.university_id != org.id:
        not_found("placement")
    detail = placements.detail(found)
    agreement = facts.current_agreement(found)
    signed = facts.signed_parties(agreement)
    people = names_of(
        User, [found.student_id, found.school_mentor_id, found.enterprise_mentor_id], User.name
    )
    return render(
        "console/university/placement.html",
        org=org,
        p=found,
        detail=detail,
        agreement=agreement,
        signatures=[(_(PARTIES[k]), k in signed) for k in ("student", "university", "enterprise")],
        policies=facts.policies(found),
        insured=facts.insured(found),
        people=people,
        enterprise=names_of(Organization, [found.enterprise_id], Organization.name),
        title=names_of(Internship, [found.internship_id], Internship.title),
        state_names=translated(PLACEMENT_STATES),
    )


@blp.get("/<int:org_id>/partners")
@page
def partner_list(org_id: int):
    """Enterprises recommended for the university in one cooperation mode, best first, each
    with its score and reasons (the partner matching the API serves)."""
    org = university(org_id)
    args, errors, _given = query(FitArgs(), ("mode",), mode="internship-employment")
    result = partners.recommended(org.id, user(), args["mode"], args["page"], args["per_page"])
    return render(
        "console/university/partners.html",
        org=org,
        result=result,
        mode=args["mode"],
        errors=errors,
        modes=[(m, translated(MODE_NAMES).get(m, m)) for m in MODES],
        factors=translated(FACTORS),
        args={"mode": args["mode"]},
        title=_("Recommended partners"),
    )
