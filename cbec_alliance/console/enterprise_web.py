"""What the enterprise's pages share: their Blueprint, the organization and posting a page is
about (through the services' own membership checks), the taxonomy options and the words for
statuses and steps."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from cbec_alliance.accounts.models import User
from cbec_alliance.core.i18n import language_tag
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations import services as organizations
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.taxonomy import services as taxonomy

from .web import console_blueprint, user

blp = console_blueprint("console_enterprise", __name__, "/console/enterprise")

POSTING_STATUSES = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "filled": _l("Filled"),
    "taken_down": _l("Taken down"),
}
APPLICATION_STATUSES = {
    "submitted": _l("Submitted"),
    "shortlisted": _l("Shortlisted"),
    "offered": _l("Offered"),
    "accepted": _l("Accepted"),
    "completed": _l("Completed"),
    "rejected": _l("Rejected"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
# The enterprise's steps, in the lifecycle's words (posting and application).
STEPS = {
    "publish": _l("Publish"),
    "close": _l("Close"),
    "reopen": _l("Reopen"),
    "shortlist": _l("Shortlist"),
    "offer": _l("Offer"),
    "reject": _l("Reject"),
    "complete": _l("Complete"),
}
KINDS = {
    "internship": _l("Internship"),
    "full_time": _l("Full-time job"),
    "part_time": _l("Part-time job"),
    "flexible": _l("Flexible job"),
}
MODES = {"onsite": _l("On site"), "remote": _l("Remote"), "hybrid": _l("Hybrid")}


def enterprise_of(org_id: int) -> Organization:
    """The approved enterprise `org_id` for its admins and staff: 404/403 for anyone else
    (organizations.services decides), 404 for an organization that is no enterprise."""
    org = organizations.get_for_member(org_id, user(), roles=STAFF_ROLES)
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


def options(vocabulary: str) -> list[tuple[str, str]]:
    """(code, label in the page's language) of a vocabulary, in its display order."""
    english = language_tag() != "zh-CN"
    return [
        (item.code, item.name_en if english else item.name_zh)
        for item in db.session.scalars(taxonomy.items(vocabulary))
    ]


def names_of(model: type[User] | type[Organization], ids: set[int]) -> dict[int, str]:
    """{id: name} of these users or organizations, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(sa.select(model.id, model.name).where(model.id.in_(ids)))
    return {row.id: row.name for row in rows}
