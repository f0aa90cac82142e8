"""The university console's Blueprint and what its modules share (university.py,
university_placements.py, and the student pages' name lookups)."""

from __future__ import annotations

from flask import request

from cbec_alliance.organizations.models import Organization
from cbec_alliance.rosters import services as rosters

from .web import console_blueprint, parse, user

blp = console_blueprint("console_university", __name__, "/console/university")


def university(org_id: int) -> Organization:
    """The university for its admins and staff: 404 when unseen or no university, 403 for
    anyone else (the rosters service's own check)."""
    return rosters.university_of_staff(user(), org_id)


def query(schema, names: tuple[str, ...], **defaults) -> tuple[dict, dict, dict]:
    """The page's query string loaded with the API's schema: (args, errors per field, the
    filters given, for the pager); bad filters fall back to the defaults' first page."""
    given = {k: v for k, v in request.args.items() if k in (*names, "page") and v.strip()}
    args, errors = parse(schema, {**defaults, **given})
    if args is None:
        args = {**defaults, "page": 1, "per_page": 20}
    return args, errors, {k: v for k, v in given.items() if k != "page"}
