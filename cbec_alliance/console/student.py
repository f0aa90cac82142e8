"""Student pages: the home page (profile, recommended internships with their reasons, the
applications with their history), the profile form, applying with a cover letter, and the
student's own steps on an application (withdraw; accept or decline an offer)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound

from cbec_alliance.applications import services as applications
from cbec_alliance.applications.lifecycle import LIFECYCLE
from cbec_alliance.applications.schemas import ApplyInSchema, NoteSchema
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.recommendations import services as recommendations
from cbec_alliance.students import services as students
from cbec_alliance.students.models import StudentProfile
from cbec_alliance.students.schemas import ProfileInSchema

# The routes of student_*.py are on the same Blueprint; importing them here registers them.
from . import student_learning, student_placement, student_rounds  # noqa: F401
from .labels import APPLICATION_STATUSES, LEVELS, labels, names_of, translated, vocabulary
from .student_web import blp
from .web import attempt, done, form_values, page, parse, render, user

# The steps a student takes on an application from these pages.
STUDENT_VERBS = ("accept", "decline", "withdraw")
PROFILE_FIELDS = ("major", "graduation_year", "birth_date", "bio")


@blp.before_request
def _students_only() -> None:
    if current_user.is_authenticated:
        students.require_student(user())  # 403 for anyone who is no student


def _profile() -> StudentProfile | None:
    try:
        return students.get_profile(user())
    except NotFound:
        return None


@blp.get("/")
@page
def home():
    """The student's profile, the internships recommended for it, and the applications."""
    profile = _profile()
    recommended = (
        recommendations.internships_for(user(), 1, 10)["items"] if profile is not None else []
    )
    mine = db.session.scalars(applications.mine(user(), None).limit(50)).all()
    applied = {a.internship_id for a in mine}
    ids = [r["internship"].id for r in recommended] + [a.internship_id for a in mine]
    titles = names_of(Internship, ids, Internship.title)
    companies = names_of(
        Organization,
        [r["internship"].enterprise_id for r in recommended],
        Organization.name,
    )
    return render(
        "console/student/home.html",
        profile=profile,
        recommended=recommended,
        applications=mine,
        applied=applied,
        titles=titles,
        companies=companies,
        verbs={a.id: _my_steps(a.status) for a in mine},
        **_names(),
    )


def _my_steps(status: str) -> list[str]:
    return [v for v in LIFECYCLE.allowed(status, "student") if v in STUDENT_VERBS]


def _names() -> dict[str, Any]:
    return {
        "statuses": translated(APPLICATION_STATUSES),
        "major_names": labels("majors"),
        "competency_names": labels("competencies"),
        "language_names": labels("languages"),
        "district_names": labels("districts"),
    }


@blp.get("/profile")
@page
def profile_form():
    """The profile form, filled with the profile as it is."""
    profile = _profile()
    values: dict[str, Any] = {}
    if profile is not None:
        values = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        values.update({f"competency-{c.code}": c.level for c in profile.competencies})
        values.update({f"language-{c.code}": c.level for c in profile.languages})
    return _profile_page(profile, values, {}, None)


def _profile_page(profile, values: dict, errors: dict, message: str | None, status: int = 200):
    body = render(
        "console/student/profile.html",
        profile=profile,
        values=values,
        errors=errors,
        message=message,
        majors=vocabulary("majors"),
        competencies=vocabulary("competencies"),
        languages=vocabulary("languages"),
        levels=list(translated(LEVELS).items()),
    )
    return body, status


def _number(value: str | None) -> Any:
    # The API's schema takes integers as JSON numbers; a form sends text.
    return int(value) if value is not None and value.isdigit() else value


def _levelled(prefix: str, codes: list[tuple[str, str]]) -> list[dict]:
    out = []
    for code, _label in codes:
        level = request.form.get(f"{prefix}-{code}", "").strip()
        if level:
            out.append({"code": code, "level": _number(level)})
    return out


@blp.post("/profile")
@page
def profile_save():
    """Save the profile through the students service (the API's schema and rules); the
    declared certificates stay as they are (verified ones are the exam sites')."""
    profile = _profile()
    given = form_values(PROFILE_FIELDS)
    values = dict(given) | {k: v for k, v in request.form.items() if "-" in k and v.strip()}
    data = {
        **given,
        "graduation_year": _number(given.get("graduation_year")),
        "competencies": _levelled("competency", vocabulary("competencies")),
        "languages": _levelled("language", vocabulary("languages")),
        "certificates": [
            {"code": c.code, "level": c.level} if c.code else {"name": c.name, "level": c.level}
            for c in (profile.certificates if profile is not None else [])
            if c.number is None
        ],
    }
    loaded, errors = parse(ProfileInSchema(), data)
    message = None
    if loaded is not None:
        saved, message, errors = attempt(lambda: students.put_profile(user(), loaded))
        if saved is not None:
            return done(_("Your profile is saved."), "console_student.home")
    return _profile_page(profile, values, errors, message or _("Please correct the form."), 422)


@blp.get("/internships/<int:internship_id>")
@page
def internship(internship_id: int):
    """A posting with the form to apply to it."""
    posting = internships.get_visible(internship_id, user())
    return _apply_page(posting, "", {}, None)


def _apply_page(posting: Internship, letter: str, errors: dict, message, status: int = 200):
    company = names_of(Organization, [posting.enterprise_id], Organization.name)
    body = render(
        "console/student/apply.html",
        posting=posting,
        company=company.get(posting.enterprise_id, ""),
        letter=letter,
        errors=errors,
        message=message,
    )
    return body, status


@blp.post("/internships/<int:internship_id>")
@page
def apply(internship_id: int):
    """Apply with a cover letter (the applications service: once per posting, while open)."""
    posting = internships.get_visible(internship_id, user())
    letter = request.form.get("cover_letter", "")
    data, errors = parse(ApplyInSchema(), form_values(("cover_letter",)))
    if data is None:
        return _apply_page(posting, letter, errors, _("Please correct the form."), 422)
    made, message, errors = attempt(
        lambda: applications.apply(user(), posting.id, data["cover_letter"])
    )
    if made is None:
        return _apply_page(posting, letter, errors, message, 409 if not errors else 422)
    return done(
        _("Your application to %(title)s is sent.", title=posting.title), "console_student.home"
    )


@blp.post("/applications/<int:application_id>/<verb>")
@page
def step(application_id: int, verb: str):
    """Withdraw an application, or accept or decline an offer (the service decides)."""
    if verb not in STUDENT_VERBS:
        return render("console/error.html", status=404, message=_("Unknown step.")), 404
    data, errors = parse(NoteSchema(), form_values(("note",)))
    if data is None:
        flash(" ".join(errors.get("note", [])), "error")
        return redirect(url_for("console_student.home"), code=303)
    made, message, _errors = attempt(
        lambda: applications.act(user(), application_id, verb, data["note"])
    )
    if made is None:
        flash(message or _("This step is not possible now."), "error")
        return redirect(url_for("console_student.home"), code=303)
    return done(
        {
            "withdraw": _("Application withdrawn."),
            "accept": _("Offer accepted."),
            "decline": _("Offer declined."),
        }[verb],
        "console_student.home",
    )
