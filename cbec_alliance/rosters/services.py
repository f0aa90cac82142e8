"""Roster imports: a university's staff upload their students; a Celery task checks every
row, then creates the accounts (without a password), memberships, profiles and invitations
with set-based inserts, and reports what became of each row.

Idempotent: a student already in the university (matched by email) is `already_member`, so
the same file again creates nothing. A student number names one student in a university:
used by another email, the row is invalid. An existing account that is not a member is
invited to join (`invited`; it accepts after logging in); a new account's invitation sets
its first password (`POST /api/v1/invitations/{token}/password`).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from cbec_alliance.accounts.models import User
from cbec_alliance.accounts.services import create_without_password, ids_by_email, normalise_email
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import after_commit, commit, for_update, is_postgres
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.bulk import add_members, invite_many, members_among, pending_for
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import get_for_member, require_approved
from cbec_alliance.students.services import add_profiles, numbers_in
from cbec_alliance.taxonomy import services as taxonomy

from .files import COLUMNS, read_upload
from .models import RosterImport

TASK = "rosters.import"
PROGRESS_EVERY = 2_000  # rows checked between progress commits
LIMITS = {"name": 200, "student_number": 40, "email": 254}
# Graduation years accepted, around the year of the import.
YEARS_BACK, YEARS_AHEAD = 10, 8
EMAIL = ma.validate.Email()

Problem = tuple[str, str]


def university_of_staff(user: User, org_id: int) -> Organization:
    """The university for its admins and staff: 404 when it cannot be seen or is no
    university, 403 for anyone else (students, other organizations, coordinators)."""
    org = get_for_member(org_id, user, roles=STAFF_ROLES)
    if org.kind != "university":
        not_found("university")
    return org


def start(user: User, org_id: int, upload: FileStorage | None) -> RosterImport:
    """Read the upload (422 naming `file` when it cannot be imported) and queue its import;
    the task runs after the commit."""
    org = university_of_staff(user, org_id)
    require_approved(org)
    filename, rows = read_upload(upload)
    job = RosterImport(
        organization_id=org.id, created_by_id=user.id, filename=filename, rows=rows, report=[]
    )
    job.rows_total = len(rows)
    db.session.add(job)
    db.session.flush()
    audit(
        actor=user,
        obj=job,
        action="create",
        changes={"filename": filename, "rows": len(rows)},
        organization_id=org.id,
    )
    after_commit(enqueue, TASK, job.id)
    return job


def get_import(user: User, org_id: int, import_id: int) -> RosterImport:
    """One of the university's imports, for its admins and staff."""
    university_of_staff(user, org_id)
    job = db.session.get(RosterImport, import_id)
    if job is None or job.organization_id != org_id:
        not_found("roster import")
    return job


def majors_by_name() -> dict[str, str]:
    """A major's code, Chinese label or English label (any case) -> its code."""
    out: dict[str, str] = {}
    for item in db.session.scalars(taxonomy.items("majors")):
        for name in (item.name_en, item.name_zh, item.code):
            out[name.strip().lower()] = item.code
    return out


def check_row(
    values: dict[str, Any], majors: dict[str, str], year: int
) -> tuple[dict, Problem | None]:
    """One row cleaned (email normalised, major as its code, year as a number), or the
    first problem as (column, reason)."""
    for c in COLUMNS:
        if c.key not in values:
            return {}, (c.key, _("Missing data for required field."))
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            return {}, (key, _("at most %(count)s characters", count=limit))
    number = values["student_number"]
    if any(ch.isspace() for ch in number):
        return {}, ("student_number", _("a student number has no spaces"))
    email = normalise_email(values["email"])
    try:
        EMAIL(email)
    except ma.ValidationError:
        return {}, ("email", _("Not a valid email address."))
    major = majors.get(values["major"].lower())
    if major is None:
        return {}, ("major", _("not a major of the taxonomy (the template lists them)"))
    first, last = year - YEARS_BACK, year + YEARS_AHEAD
    text = values["graduation_year"]
    if not (text.isascii() and text.isdigit() and first <= int(text) <= last):
        return {}, (
            "graduation_year",
            _("a year from %(first)s to %(last)s", first=first, last=last),
        )
    clean = {"name": values["name"], "student_number": number, "email": email, "major": major}
    return {**clean, "graduation_year": int(text)}, None


def _entry(values: dict[str, Any], outcome: str, problem: Problem | None = None) -> dict:
    field, message = problem or (None, None)
    return {
        "row": values["row"],
        "outcome": outcome,
        "name": values.get("name"),
        "student_number": values.get("student_number"),
        "email": values.get("email"),
        "user_id": None,
        "field": field,
        "message": message,
    }


def _check_cells(job: RosterImport, rows: list[dict]) -> tuple[list[dict], list[tuple]]:
    """Each row's cells, and duplicates within the file; progress is committed as it goes.
    (report entries in file order, good rows as (entry, clean values))."""
    majors = majors_by_name()
    year = utcnow().year
    report, good = [], []
    emails: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for k, values in enumerate(rows, start=1):
        clean, problem = check_row(values, majors, year)
        if problem is None and clean["email"] in emails:
            problem = ("email", _("the same email as row %(row)s", row=emails[clean["email"]]))
        if problem is None and clean["student_number"] in numbers:
            row = numbers[clean["student_number"]]
            problem = ("student_number", _("the same student number as row %(row)s", row=row))
        entry = _entry(values, "invalid" if problem else "created", problem)
        report.append(entry)
        if problem is None:
            entry["email"] = clean["email"]
            emails[clean["email"]] = numbers[clean["student_number"]] = values["row"]
            good.append((entry, clean))
        if k % PROGRESS_EVERY == 0:
            job.rows_done = k // 2  # writing is the other half
            commit()
    return report, good


def _classify(org_id: int, good: list[tuple]) -> tuple[list[tuple], list[str]]:
    """Mark each good row already_member, invited or invalid (a number another student of
    the university has) against the database; (rows to create, emails to invite)."""
    existing = ids_by_email([clean["email"] for _e, clean in good])
    members = members_among(org_id, sorted(set(existing.values())))
    numbers = numbers_in(org_id)
    outsiders = [e for e, uid in existing.items() if uid not in members]
    pending = pending_for(org_id, outsiders)
    new, invite = [], []
    for entry, clean in good:
        uid = existing.get(clean["email"])
        owner = numbers.get(clean["student_number"])
        entry["user_id"] = uid
        if owner is not None and owner != uid:
            entry.update(
                outcome="invalid",
                field="student_number",
                message=_("already the number of another student of this university"),
            )
        elif uid in members:
            entry["outcome"] = "already_member"
        elif uid is not None:
            entry["outcome"] = "invited"
            if clean["email"] not in pending:
                invite.append(clean["email"])
        else:
            new.append((entry, clean))
    return new, invite


def _write(job: RosterImport, org: Organization, new: list[tuple], invite: list[str]) -> None:
    """Accounts, memberships, profiles and invitations, each with set-based inserts."""
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    ids = create_without_password([{"email": c["email"], "name": c["name"]} for _e, c in new])
    for entry, clean in new:
        entry["user_id"] = ids[clean["email"]]
    add_members(org.id, [ids[c["email"]] for _e, c in new], "student")
    add_profiles(
        org.id,
        [
            {
                "user_id": ids[c["email"]],
                "student_number": c["student_number"],
                "major": c["major"],
                "graduation_year": c["graduation_year"],
            }
            for _e, c in new
        ],
    )
    invite_many(actor, org, [c["email"] for _e, c in new], "student", "invitation.roster")
    invite_many(actor, org, invite, "student", "invitation.created")


def run(job_id: int) -> dict:
    """The task's work: check every row, then create what is new; the job says how far it
    got and what became of each row."""
    job = db.session.get(RosterImport, job_id)
    if job is None or job.state not in ("queued", "running"):
        return {"skipped": job_id}
    job.state = "running"
    commit()
    report, good = _check_cells(job, job.rows or [])
    # Imports into one university take turns from here (PostgreSQL), so two never create
    # the same student twice; the lock goes with the commit.
    db.session.execute(
        for_update(sa.select(Organization.id).where(Organization.id == job.organization_id))
    )
    if is_postgres():
        # The app plans each statement afresh (plan_cache_mode, in create_app); foreign-key
        # checks are prepared plans too, and re-planning 100,000 of them tripled the writes.
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = auto"))
    org = db.session.get(Organization, job.organization_id)
    if org is None:
        return {"skipped": job_id}
    new, invite = _classify(org.id, good)
    _write(job, org, new, invite)
    counts = {
        o: sum(1 for e in report if e["outcome"] == o)
        for o in ("created", "already_member", "invited", "invalid")
    }
    for outcome, n in counts.items():
        setattr(job, outcome, n)
    job.report = report
    job.rows_done = job.rows_total = len(report)
    job.state = "done"
    job.rows = None  # the report stays; the upload is not kept
    job.finished_at = utcnow()
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    audit(actor=actor, obj=job, action="run", changes=counts, organization_id=org.id)
    return counts


def fail(job_id: int) -> None:
    """Mark an import that could not run as failed (its upload is kept for a new try)."""
    job = db.session.get(RosterImport, job_id)
    if job is not None and job.state in ("queued", "running"):
        job.state = "failed"
        job.finished_at = utcnow()
