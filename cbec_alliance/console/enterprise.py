"""Enterprise pages: the enterprise's postings (drafts included), the posting form with the
student internship rules checked as it is filled, and the posting's steps (publish, close,
reopen, delete a draft). Applicants and recommended students: enterprise_applicants.py.

Every write goes through internships.services with the API's own schemas; the rules panel
asks internships.rules, the module the service refuses a publication with."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from marshmallow import ValidationError

from cbec_alliance.core.i18n import N_
from cbec_alliance.core.pagination import paginate
from cbec_alliance.internships import rules
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.internships.schemas import (
    InternshipCreateSchema,
    InternshipListArgs,
    InternshipPatchSchema,
)
from cbec_alliance.organizations.models import Organization

from . import (  # noqa: F401 - their routes are on the same Blueprint
    enterprise_applicants,
    enterprise_confirmations,
    enterprise_rankings,
    enterprise_webhooks,
)
from .enterprise_web import KINDS, MODES, POSTING_STATUSES, STEPS, blp, enterprise_of, posting_of
from .labels import translated, vocabulary
from .web import attempt, done, page, parse, render, user

__all__ = ["blp"]

TEXTS: tuple[str, ...] = (
    *("title", "description", "kind", "category", "district", "mode", "start_date"),
    *("end_date", "apply_by", "salary_band", "contract_type", "hours_per_day", "hours_per_week"),
)
NUMBERS = ("slots", "stipend_min", "stipend_max", "staff_in_role", "regular_wage")
CHECKS = ("night_shifts", "insurance_provided", "fee_charged")
LISTS = ("majors", "languages")
# Rows of the competency part of the form (code and minimum level each).
COMPETENCY_ROWS = 3
# The student internship rules (internships.rules decides them), the form fields each one
# reads and how the page names it; a rule whose field is missing or invalid is not checkable.
RULES = (
    ("max_hours_per_day", "hours_per_day", N_("At most 8 hours a day")),
    ("max_hours_per_week", "hours_per_week", N_("At most 40 hours a week")),
    ("no_night_shifts", "night_shifts", N_("No night shifts")),
    ("insurance_required", "insurance_provided", N_("Liability insurance for the intern")),
    ("no_fees", "fee_charged", N_("No fee or deposit from the student")),
)
POSTING_STEPS = ("publish", "close", "reopen")
# Fields a posting may go without (an edit that empties one sends null).
OPTIONAL: tuple[str, ...] = (
    *("salary_band", "contract_type", "stipend_min", "stipend_max", "staff_in_role"),
    "regular_wage",
)


@blp.get("/<int:org_id>/postings")
@page
def postings(org_id: int):
    """The enterprise's postings, drafts included, newest first; filter by status."""
    org = enterprise_of(org_id)
    args, errors = parse(
        InternshipListArgs(only=("status", "page", "per_page")), request.args.to_dict()
    )
    if args is None:
        args = {"page": 1, "per_page": 20}
    stmt = sa.select(Internship).where(Internship.enterprise_id == org.id)
    if args.get("status"):
        stmt = stmt.where(Internship.status == args["status"])
    listing = paginate(stmt.order_by(Internship.created_at.desc(), Internship.id.desc()), args)
    return render(
        "console/enterprise/postings.html",
        org=org,
        listing=listing,
        args={k: v for k, v in args.items() if k == "status"},
        errors=errors,
        statuses=translated(POSTING_STATUSES),
        kinds=translated(KINDS),
    )


@blp.route("/<int:org_id>/postings/new", methods=["GET", "POST"])
@page
def new_posting(org_id: int):
    """A new posting, saved as a draft (internships.services.create)."""
    org = enterprise_of(org_id)
    if request.method == "GET":
        return _form(org, None, {"kind": "internship", "mode": "onsite", "slots": "1"})
    values = _submitted()
    data, errors = parse(InternshipCreateSchema(), {**_typed(values), "enterprise_id": org.id})
    message = None
    if data is not None:
        posting, message, errors = attempt(lambda: internships.create(user(), data))
        if posting is not None:
            return _shown(_("Draft saved: %(title)s", title=posting.title), posting)
    return _form(org, None, values, errors, message or _("Check the fields marked."), 422)


@blp.route("/<int:org_id>/postings/<int:internship_id>", methods=["GET", "POST"])
@page
def edit_posting(org_id: int, internship_id: int):
    """A posting's form and its steps; saving goes through internships.services.update."""
    org = enterprise_of(org_id)
    posting = posting_of(org, internship_id)
    if request.method == "GET":
        return _form(org, posting, _values_of(posting))
    values = _submitted()
    typed = _typed(values, editing=True)
    data, errors = parse(InternshipPatchSchema(), typed)
    message = None
    if data is not None:
        saved, message, errors = attempt(lambda: internships.update(user(), posting, data))
        if saved is not None:
            return _shown(_("Saved: %(title)s", title=posting.title), posting)
    status = 409 if message and not errors else 422
    return _form(org, posting, values, errors, message or _("Check the fields marked."), status)


@blp.post("/<int:org_id>/postings/rules")
@page
def rules_panel(org_id: int):
    """The rules panel for the form as filled so far (htmx swaps it in as fields change)."""
    enterprise_of(org_id)
    return render("console/enterprise/_rules.html", report=rule_report(_submitted()))


@blp.post("/<int:org_id>/postings/<int:internship_id>/<step>")
@page
def posting_step(org_id: int, internship_id: int, step: str):
    """Publish, close or reopen (internships.services.transition), or delete a draft; a
    refusal (a broken rule, a passed deadline) is shown on the posting's page."""
    org = enterprise_of(org_id)
    posting = posting_of(org, internship_id)
    if step == "delete":
        title = posting.title
        _result, message, _errors = attempt(lambda: internships.delete(user(), posting))
        if message is None:
            return done(
                _("Draft deleted: %(title)s", title=title),
                "console_enterprise.postings",
                org_id=org.id,
            )
    elif step in POSTING_STEPS:
        _result, message, _errors = attempt(lambda: internships.transition(user(), posting, step))
        if message is None:
            return _shown(
                _("%(step)s: %(title)s", step=_(STEPS[step]), title=posting.title), posting
            )
    else:
        return render("console/error.html", status=404, message=_("Unknown step.")), 404
    return _form(org, posting, _values_of(posting), {}, message, 409)


def _shown(message: str, posting: Internship):
    """Done: back to the posting's page, saying so."""
    return done(
        message,
        "console_enterprise.edit_posting",
        org_id=posting.enterprise_id,
        internship_id=posting.id,
    )


def rule_report(values: dict) -> dict:
    """Each student internship rule as met, broken or not checkable (its field missing or
    invalid), decided by internships.rules on the form's values as the API's schema reads
    them."""
    fields = InternshipCreateSchema().fields
    known: dict[str, Any] = {name: bool(values.get(name)) for name in CHECKS}
    unknown: dict[str, str] = {}
    for name in ("hours_per_day", "hours_per_week"):
        raw = values.get(name, "")
        if raw == "":
            unknown[name] = _("not filled in yet")
            continue
        try:
            known[name] = fields[name].deserialize(raw)
        except ValidationError as exc:
            unknown[name] = " ".join(exc.messages if isinstance(exc.messages, list) else [])
    # A rule whose field is unknown is not checkable: any stand-in value does, it is not read.
    inputs = {name: known.get(name, 0) for name in ("hours_per_day", "hours_per_week", *CHECKS)}
    broken = {rule.code: rule.message for rule in rules.violations(**inputs)}
    items = []
    for code, field, label in RULES:
        if field in unknown:
            state, why = "unknown", unknown[field]
        else:
            state, why = ("bad", broken[code]) if code in broken else ("ok", "")
        items.append({"code": code, "label": _(label), "state": state, "why": why})
    return {
        "items": items,
        "binding": values.get("kind", "internship") in ("", "internship"),
        "broken": sum(1 for i in items if i["state"] == "bad"),
    }


def _submitted() -> dict:
    """The form's fields as strings and lists of strings (as typed, for showing again)."""
    values: dict[str, Any] = {name: request.form.get(name, "").strip() for name in TEXTS}
    values.update({name: request.form.get(name, "").strip() for name in NUMBERS})
    values.update({name: bool(request.form.get(name)) for name in CHECKS})
    values.update({name: [v for v in request.form.getlist(name) if v] for name in LISTS})
    values["competencies"] = [
        {
            "code": request.form.get(f"competency_{i}", "").strip(),
            "min_level": request.form.get(f"competency_level_{i}", "").strip(),
        }
        for i in range(COMPETENCY_ROWS)
    ]
    return values


def _number(text: str) -> int | str:
    # A whole number becomes one; anything else stays text for the schema to refuse.
    return int(text) if re.fullmatch(r"-?\d{1,12}", text) else text


def _typed(values: dict, editing: bool = False) -> dict:
    """The form's values as the API's JSON would carry them. A new posting leaves empty
    fields out (the schema names the required ones); an edit sends them, emptied: optional
    ones as null, lists as [], required ones as given, for the schema to refuse."""
    data: dict[str, Any] = {name: values[name] for name in TEXTS if values[name] != ""}
    data.update({name: _number(values[name]) for name in NUMBERS if values[name] != ""})
    data.update({name: values[name] for name in CHECKS})
    data.update({name: values[name] for name in LISTS if values[name]})
    competencies = [
        {"code": row["code"], "min_level": _number(row["min_level"] or "1")}
        for row in values["competencies"]
        if row["code"]
    ]
    if competencies:
        data["competencies"] = competencies
    if editing:
        for name in (*TEXTS, *NUMBERS):
            data.setdefault(name, None if name in OPTIONAL else "")
        for name in (*LISTS, "competencies"):
            data.setdefault(name, [])
    return data


def _values_of(posting: Internship) -> dict:
    """A saved posting as the form shows it."""
    values: dict[str, Any] = {}
    for name in (*TEXTS, *NUMBERS):
        value = getattr(posting, name)
        values[name] = "" if value is None else str(value)
    for name in ("hours_per_day", "hours_per_week"):
        values[name] = f"{float(getattr(posting, name)):g}"
    values.update({name: bool(getattr(posting, name)) for name in CHECKS})
    values["majors"] = [m.code for m in posting.majors]
    values["languages"] = [x.code for x in posting.languages]
    values["competencies"] = [
        {"code": c.code, "min_level": str(c.min_level)} for c in posting.competencies
    ]
    return values


def _form(
    org: Organization,
    posting: Internship | None,
    values: dict,
    errors: dict | None = None,
    message: str | None = None,
    status: int = 200,
):
    rows = list(values.get("competencies") or [])
    rows += [{"code": "", "min_level": ""}] * (COMPETENCY_ROWS - len(rows))
    vocabularies = ("job-categories", "districts", "competencies", "majors", "languages")
    choices = {name: vocabulary(name) for name in vocabularies}
    choices["salary-bands"] = vocabulary("salary-bands")
    choices["contract-types"] = vocabulary("contract-types")
    steps = []
    if posting is not None:
        steps = [s for s in POSTING_STEPS if internships.LIFECYCLE.can(posting.status, s)]
    body = render(
        "console/enterprise/posting_form.html",
        org=org,
        posting=posting,
        values=values,
        competency_rows=rows,
        errors=errors or {},
        message=message,
        report=rule_report(values),
        choices=choices,
        kinds=translated(KINDS),
        modes=translated(MODES),
        statuses=translated(POSTING_STATUSES),
        steps=steps,
        step_names=translated(STEPS),
    )
    return body, status
