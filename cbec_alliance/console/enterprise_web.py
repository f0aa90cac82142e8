"""What the enterprise's pages share: their Blueprint, the organization and posting a page is
about (through the services' own membership checks), the taxonomy options and the words for
statuses and steps."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from cbec_alliance.core.i18n import N_
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations import services as organizations
from cbec_alliance.organizations.models import STAFF_ROLES, Organization

from .web import console_blueprint, user

blp = console_blueprint("console_enterprise", __name__, "/console/enterprise")

POSTING_STATUSES = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "filled": N_("Filled"),
    "taken_down": N_("Taken down"),
}
# The enterprise's steps, in the lifecycle's words (posting and application).
STEPS = {
    "publish": N_("Publish"),
    "close": N_("Close"),
    "reopen": N_("Reopen"),
    "shortlist": N_("Shortlist"),
    "offer": N_("Offer"),
    "reject": N_("Reject"),
    "complete": N_("Complete"),
}
KINDS = {
    "internship": N_("Internship"),
    "full_time": N_("Full-time job"),
    "part_time": N_("Part-time job"),
    "flexible": N_("Flexible job"),
}
MODES = {"onsite": N_("On site"), "remote": N_("Remote"), "hybrid": N_("Hybrid")}


@blp.context_processor
def _role() -> dict:
    # The subnav offers the admins' pages (webhooks) to admins only.
    org_id = (request.view_args or {}).get("org_id")
    m = organizations.membership(current_user, org_id) if org_id is not None else None
    return {"enterprise_admin": m is not None and m.role == "admin"}


def enterprise_of(org_id: int, roles: tuple[str, ...] = STAFF_ROLES) -> Organization:
    """The approved enterprise `org_id` for its members of `roles` (admins and staff): 404
    or 403 for anyone else (organizations.services decides), 404 for an organization that is
    no enterprise."""
    org = organizations.get_for_member(org_id, user(), roles=roles)
    if org.kind != "enterprise":
        abort(404)
    organizations.require_approved(org)
    return org


def posting_of(org: Organization, internship_id: int) -> Internship:
    """One of `org`'s postings (the service's staff check; 404 for another's posting)."""
    posting = internships.get_for_staff(internship_id, user())
    if posting.enterprise_id != org.id:
        abort(404)
    return posting
