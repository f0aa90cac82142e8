"""What the enterprise's pages share: their Blueprint, the organization and posting a page is
about (through the services' own membership checks), the taxonomy options and the words for
statuses and steps."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from cbec_alliance.accounts.models import User
from cbec_alliance.core.i18n import N_, language_tag
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations import services as organizations
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.taxonomy import services as taxonomy

from .web import console_blueprint, user

blp = console_blueprint("console_enterprise", __name__, "/console/enterprise")

POSTING_STATUSES = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "filled": N_("Filled"),
    "taken_down": N_("Taken down"),
}
APPLICATION_STATUSES = {
    "submitted": N_("Submitted"),
    "shortlisted": N_("Shortlisted"),
    "offered": N_("Offered"),
    "accepted": N_("Accepted"),
    "completed": N_("Completed"),
    "rejected": N_("Rejected"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
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


def words(table: dict[str, str]) -> dict[str, str]:
    """One of the tables above in the page's language."""
    return {key: _(msgid) for key, msgid in table.items()}


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
