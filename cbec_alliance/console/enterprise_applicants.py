"""Enterprise pages about people: a posting's applicant pipeline (a column per application
status, each card with the steps the lifecycle allows the enterprise from there) and the
students recommended for a posting with their reasons.

Moves go through applications.services.act, lists through applications.services.for_internship
and recommendations.services.students_for: the API's own calls and checks."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import services as applications
from cbec_alliance.applications.lifecycle import LIFECYCLE
from cbec_alliance.applications.models import STATUSES
from cbec_alliance.applications.schemas import NoteSchema
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.recommendations import services as recommendations

from .enterprise_web import STEPS, blp, enterprise_of, posting_of
from .labels import APPLICATION_STATUSES, names_of, translated, vocabulary
from .web import attempt, done, page, parse, render, user

# The pipeline shows this many applications at most (the newest), and says so when there
# are more.
PIPELINE_SIZE = 200
REASON_VOCABULARIES = {
    "competency": "competencies",
    "major": "majors",
    "language": "languages",
    "certificate": "certificates",
    "district": "districts",
}


@blp.get("/<int:org_id>/postings/<int:internship_id>/applicants")
@page
def applicants(org_id: int, internship_id: int):
    """The posting's applications in a column per status."""
    org = enterprise_of(org_id)
    posting = posting_of(org, internship_id)
    return _pipeline(org, posting)


@blp.post("/<int:org_id>/postings/<int:internship_id>/applicants/<int:application_id>")
@page
def move(org_id: int, internship_id: int, application_id: int):
    """One step of an application (applications.services.act); a refusal is shown on the
    pipeline with the service's words."""
    org = enterprise_of(org_id)
    posting = posting_of(org, internship_id)
    application = applications.get_visible_application(application_id, user())
    if application.internship_id != posting.id:
        return render("console/error.html", status=404, message=_("Not found.")), 404
    verb = request.form.get("verb", "")
    if verb not in LIFECYCLE:
        return _pipeline(org, posting, _("Unknown step."), {}, 422)
    note_in = request.form.get("note", "").strip()
    data, errors = parse(NoteSchema(), {"note": note_in} if note_in else {})
    if data is None:
        return _pipeline(org, posting, _("Check the note."), {application.id: errors}, 422)
    student = names_of(User, {application.student_id}).get(application.student_id, "")
    moved, message, errors = attempt(
        lambda: applications.act(user(), application.id, verb, data["note"])
    )
    if moved is None:
        return _pipeline(org, posting, message, {application.id: errors}, 409)
    return done(
        _(
            "%(name)s: %(status)s",
            name=student,
            status=_(APPLICATION_STATUSES[moved.status]),
        ),
        "console_enterprise.applicants",
        org_id=org.id,
        internship_id=posting.id,
    )


@blp.get("/<int:org_id>/postings/<int:internship_id>/recommended")
@page
def recommended(org_id: int, internship_id: int):
    """Students who fit the posting, best first, with what matched and what is missing."""
    org = enterprise_of(org_id)
    posting = posting_of(org, internship_id)
    args, errors = parse(PageArgs(), request.args.to_dict())
    if args is None:
        args = {"page": 1, "per_page": 20}
    found = recommendations.students_for(posting.id, user(), args["page"], args["per_page"])
    universities = names_of(Organization, {i["student"]["university_id"] for i in found["items"]})
    labels = {kind: dict(vocabulary(name)) for kind, name in REASON_VOCABULARIES.items()}
    return render(
        "console/enterprise/recommended.html",
        org=org,
        posting=posting,
        found=found,
        universities=universities,
        labels=labels,
        majors=labels["major"],
        errors=errors,
    )


def _pipeline(
    org: Organization,
    posting: Internship,
    message: str | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    stmt = applications.for_internship(posting.id, user(), None)
    listing = paginate(stmt, {"page": 1, "per_page": PIPELINE_SIZE})
    columns: dict[str, list] = {s: [] for s in STATUSES}
    for application in listing["items"]:
        columns[application.status].append(application)
    students = names_of(User, {a.student_id for a in listing["items"]})
    universities = names_of(Organization, {a.university_id for a in listing["items"]})
    body = render(
        "console/enterprise/applicants.html",
        org=org,
        posting=posting,
        columns=columns,
        total=listing["total"],
        shown=len(listing["items"]),
        students=students,
        universities=universities,
        next_steps={s: LIFECYCLE.allowed(s, "enterprise") for s in STATUSES},
        statuses=translated(APPLICATION_STATUSES),
        step_names=translated(STEPS),
        message=message,
        errors=errors or {},
    )
    return body, status
