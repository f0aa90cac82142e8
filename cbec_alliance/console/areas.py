"""The parts of the console a user may enter, from their role and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from cbec_alliance.core.authz import sees_all
from cbec_alliance.organizations.models import STAFF_ROLES


@dataclass(frozen=True)
class Area:
    """A part of the console this user may enter."""

    title: str
    description: str
    url: str


# (organization kind, membership roles, what the area holds, its first page, by organization)
PARTY_AREAS = (
    (
        "enterprise",
        STAFF_ROLES,
        _l("Enterprise: postings, applicants and recommended students"),
        "console_enterprise.postings",
        True,
    ),
    (
        "university",
        STAFF_ROLES,
        _l("University: students, placements and recommended partners"),
        "console_university.students",
        True,
    ),
    (
        "university",
        ("student",),
        _l("Student: profile, recommended internships and applications"),
        "console_student.home",
        False,
    ),
)


def areas_of(person) -> list[Area]:
    """The console areas open to `person`: by role and by each approved membership."""
    found: list[Area] = []
    if sees_all(person):
        found.append(
            Area(
                str(_l("Alliance monitoring")),
                str(_l("Key figures, partnerships, skills gap, districts and approvals")),
                _url("console_monitoring.overview"),
            )
        )
    for m in person.memberships:
        org = m.organization
        for kind, roles, description, endpoint, by_org in PARTY_AREAS:
            if org.status == "approved" and org.kind == kind and m.role in roles:
                values = {"org_id": org.id} if by_org else {}
                found.append(Area(org.name, str(description), _url(endpoint, **values)))
    # A party's pages that are not registered (PARTS) are not offered.
    return [a for a in found if a.url]


def _url(endpoint: str, **values) -> str:
    blueprint = endpoint.partition(".")[0]
    return url_for(endpoint, **values) if blueprint in current_app.blueprints else ""
