"""University pages (its admins and staff): the students with their profiles, and the roster
import (upload, progress, row-by-row report). Placements and recommended partners are in
`university_placements`, on the same Blueprint."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _

from cbec_alliance.core.pagination import paginate_rows
from cbec_alliance.destinations.schemas import ImportFileSchema
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.rosters import services as rosters
from cbec_alliance.students import services as student_services
from cbec_alliance.students.schemas import StudentListArgs

from .university_labels import LEVELS, labels, translated, vocabulary
from .web import attempt, console_blueprint, done, page, parse, render, user

blp = console_blueprint("console_university", __name__, "/console/university")
FILTERS = ("q", "major", "graduation_year", "competency", "min_level")


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


def names_of(model, ids, column) -> dict:
    """{id: column} for these ids of a table (names for a page's rows)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, column).where(model.id.in_(ids))).all())


@blp.get("/<int:org_id>/students")
@page
def students(org_id: int):
    """The university's students, searched and filtered as the API filters them."""
    org = university(org_id)
    args, errors, given = query(StudentListArgs(), FILTERS)
    listing = paginate_rows(
        student_services.students_of(org.id, user(), args), args, student_services.page_rows
    )
    return render(
        "console/university/students.html",
        org=org,
        listing=listing,
        args=given,
        errors=errors,
        majors=vocabulary("majors"),
        competencies=vocabulary("competencies"),
        major_names=labels("majors"),
        competency_names=labels("competencies"),
        levels=list(translated(LEVELS).items()),
    )


@blp.get("/<int:org_id>/roster")
@page
def roster(org_id: int):
    """The roster upload form and the template download links."""
    org = university(org_id)
    return render("console/university/roster.html", org=org, errors={}, message=None)


@blp.post("/<int:org_id>/roster")
@page
def roster_upload(org_id: int):
    """Upload a roster (csv or xlsx) through the service the API uses; then its progress."""
    org = university(org_id)
    data, errors = parse(ImportFileSchema(), request.files.to_dict())
    message = None
    if data is not None:
        job, message, errors = attempt(lambda: rosters.start(user(), org.id, data["file"]))
        if job is not None:
            return done(
                _("Roster %(name)s uploaded.", name=job.filename),
                "console_university.roster_import",
                org_id=org.id,
                import_id=job.id,
            )
    shown = render("console/university/roster.html", org=org, errors=errors, message=message)
    return shown, 409 if message and not errors else 422


@blp.get("/<int:org_id>/roster/<int:import_id>")
@page
def roster_import(org_id: int, import_id: int):
    """An import's progress, its counts and the invalid rows with the column and reason."""
    org = university(org_id)
    job = rosters.get_import(user(), org.id, import_id)
    invalid = [r for r in job.report or [] if r.get("outcome") == "invalid"]
    return render("console/university/import.html", org=org, job=job, invalid=invalid)


from . import university_placements  # noqa: E402,F401  (routes on this Blueprint)
