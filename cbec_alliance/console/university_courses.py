"""University pages, continued: its co-developed courses (status, partners and each partner's
answer, through courses.services.listing) and the training bases it takes part in (status,
level, capacity and utilisation, through training_bases.services)."""

from __future__ import annotations

from cbec_alliance.core.i18n import N_
from cbec_alliance.core.pagination import paginate
from cbec_alliance.courses import services as courses
from cbec_alliance.courses.models import STATUSES as COURSE_STATUS_CODES
from cbec_alliance.courses.schemas import CourseListArgs
from cbec_alliance.organizations.models import Organization
from cbec_alliance.training_bases import services as training_bases
from cbec_alliance.training_bases.schemas import BaseListArgs

from .labels import COURSE_STATUSES, PARTNER_STATES, labels, names_of, translated
from .university_web import blp, query, university
from .web import page, render, user

BASE_STATUSES = {
    "applied": N_("Applied"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
BASE_LEVELS = {
    "municipal": N_("Municipal"),
    "provincial": N_("Provincial"),
    "national": N_("National"),
}


@blp.get("/<int:org_id>/courses")
@page
def courses_list(org_id: int):
    """The university's courses (drafts included), by semester and code, filtered by status
    or a word of the title or code, with each partner's answer to the version in force."""
    org = university(org_id)
    args, errors, given = query(CourseListArgs(), ("status", "q"))
    args["university_id"] = org.id
    listing = paginate(courses.listing(args, user()), args)
    partners = {p.enterprise_id for c in listing["items"] for p in c.partners}
    return render(
        "console/university/courses.html",
        org=org,
        listing=listing,
        args=given,
        errors=errors,
        statuses=[(s, translated(COURSE_STATUSES)[s]) for s in COURSE_STATUS_CODES],
        status_names=translated(COURSE_STATUSES),
        partner_states=translated(PARTNER_STATES),
        names=names_of(Organization, partners, Organization.name),
    )


@blp.get("/<int:org_id>/training-bases")
@page
def training_base_list(org_id: int):
    """The training bases the university takes part in, whatever their status, with each
    one's sessions and students in its latest year (the university's own share too)."""
    org = university(org_id)
    args, errors, given = query(BaseListArgs(), ("status",))
    args["university_id"] = org.id
    listing = paginate(training_bases.listing(args, user()), args)
    usage = {}
    for base in listing["items"]:
        years = training_bases.utilisation(base)
        latest = years[0] if years else None
        ours = [u for u in (latest or {}).get("by_university", []) if u["university_id"] == org.id]
        usage[base.id] = {"latest": latest, "ours": ours[0] if ours else None}
    hosts = {b.host_enterprise_id for b in listing["items"]}
    return render(
        "console/university/training_bases.html",
        org=org,
        listing=listing,
        args=given,
        errors=errors,
        usage=usage,
        statuses=list(translated(BASE_STATUSES).items()),
        status_names=translated(BASE_STATUSES),
        levels=translated(BASE_LEVELS),
        districts=labels("districts"),
        names=names_of(Organization, hosts, Organization.name),
    )
