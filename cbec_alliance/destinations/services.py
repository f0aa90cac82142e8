"""Destination rules: who reports whose destination, the employer's confirmation, and what
each caller may see.

A university's admins and staff report for their students, a student for themself; a
student of another university is a 404 (nothing revealed). An employer that is an alliance
enterprise (named by id, or found by the credit code given) is asked to confirm; until it
does the destination is declared only, and reports count the two apart.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.students.services import majors_of, require_student, student_universities

from .models import EMPLOYER_OUTCOMES, OUTCOME_LABELS, Destination
from .regions import region_name

FIELDS = (
    "outcome",
    "employer_id",
    "employer_name",
    "employer_uscc",
    "location_code",
    "industry",
    "cbec_related",
    "related_to_major",
    "salary_band",
)


def staff_orgs(user: User, kind: str) -> list[int]:
    """Ids of the approved organizations of `kind` where the user is an admin or staff."""
    return [
        m.organization_id
        for m in user.memberships
        if m.role in STAFF_ROLES
        and m.organization.kind == kind
        and m.organization.status == "approved"
    ]


def alliance_enterprises(ids: set[int] | None = None, usccs: set[str] | None = None):
    """(id -> True) for the approved enterprises among `ids`; (uscc -> id) among `usccs`."""
    found_ids: set[int] = set()
    by_uscc: dict[str, int] = {}
    approved = (Organization.kind == "enterprise", Organization.status == "approved")
    for chunk in _chunks(sorted(ids or ())):
        found_ids.update(
            db.session.scalars(
                sa.select(Organization.id).where(Organization.id.in_(chunk), *approved)
            )
        )
    for chunk in _chunks(sorted(usccs or ())):
        by_uscc.update(
            (uscc, org_id)
            for uscc, org_id in db.session.execute(
                sa.select(Organization.uscc, Organization.id).where(
                    Organization.uscc.in_(chunk), *approved
                )
            )
            if uscc is not None
        )
    return found_ids, by_uscc


def _chunks(items: list, size: int = 5_000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def employer_problem(values: dict, known_ids: set[int]) -> tuple[str, str] | None:
    """(field, message) when the outcome and employer do not fit together, else None."""
    has_employer = values.get("employer_id") is not None or bool(values.get("employer_name"))
    if values.get("employer_id") is not None and values["employer_id"] not in known_ids:
        return "employer_id", "no approved alliance enterprise has this id"
    if values["outcome"] == "employed-contract" and not has_employer:
        return "employer_id", "employment under contract names its employer (id, or name and code)"
    if has_employer and values["outcome"] not in EMPLOYER_OUTCOMES:
        return "employer_id", f"only {', '.join(EMPLOYER_OUTCOMES)} name an employer"
    return None


def link_employer(values: dict, by_uscc: dict[str, int]) -> None:
    """An employer given by credit code that is an alliance enterprise becomes that
    enterprise (so it is asked to confirm)."""
    uscc = values.get("employer_uscc")
    if values.get("employer_id") is None and uscc in by_uscc:
        values["employer_id"] = by_uscc[uscc]
        values["employer_name"] = values["employer_uscc"] = None


def _check_employer(values: dict) -> None:
    ids = {values["employer_id"]} if values.get("employer_id") is not None else set()
    usccs = {values["employer_uscc"]} if values.get("employer_uscc") else set()
    known, by_uscc = alliance_enterprises(ids, usccs)
    problem = employer_problem(values, known)
    if problem:
        invalid(*problem)
    link_employer(values, by_uscc)


def _student_and_university(user: User, data: dict) -> tuple[int, int]:
    """Whose destination the caller reports, and that student's university."""
    student_id = data.get("student_id")
    if student_id is None or student_id == user.id:
        return user.id, require_student(user).organization_id
    mine = staff_orgs(user, "university")
    if not mine:
        forbidden("destinations are reported by the student's university staff or the student")
    university = student_universities([student_id]).get(student_id)
    if university not in mine:
        not_found("student")  # a student of another university: nothing revealed
    return student_id, university


def _set_confirmation(dest: Destination, actor: User) -> None:
    """Ask the employer to confirm when it is an alliance enterprise; else declared only."""
    dest.confirmed_by_id = dest.confirmed_at = dest.dispute_reason = None
    if dest.employer_id is None:
        dest.confirmation = "not_required"
        return
    dest.confirmation = "pending"
    db.session.flush()
    emit(
        "destination.confirmation_requested",
        {**payload(dest), "count": 1},
        organization_id=dest.employer_id,
        actor=actor,
    )


def create(user: User, data: dict) -> Destination:
    """Report a destination (university staff for their student, or a student for themself)."""
    student_id, university_id = _student_and_university(user, data)
    year = data["graduation_year"]
    taken = db.session.scalar(
        sa.select(Destination.id).where(
            Destination.student_id == student_id, Destination.graduation_year == year
        )
    )
    if taken:
        conflict(
            _(
                "a destination for %(year)s is already reported (destination %(taken)s); change "
                "it with PATCH",
                year=year,
                taken=taken,
            ),
            destination_id=taken,
        )
    values = {f: data[f] for f in FIELDS if f in data}
    _check_employer(values)
    dest = Destination(
        student_id=student_id,
        university_id=university_id,
        major=majors_of([student_id]).get(student_id),
        graduation_year=year,
        source="student" if student_id == user.id else "staff",
        reported_by_id=user.id,
        **values,
    )
    db.session.add(dest)
    _set_confirmation(dest, user)
    audit(actor=user, obj=dest, action="create", changes=data, organization_id=university_id)
    return dest


def update(user: User, dest: Destination, data: dict) -> Destination:
    """Change a destination (its student or their university's staff); a change of outcome
    or employer asks the employer again."""
    if user.id != dest.student_id and dest.university_id not in staff_orgs(user, "university"):
        forbidden("only the student and their university's staff change a destination")
    values = {f: getattr(dest, f) for f in FIELDS}
    if "employer_id" in data or "employer_name" in data or "employer_uscc" in data:
        values.update(employer_id=None, employer_name=None, employer_uscc=None)
    values.update({f: data[f] for f in FIELDS if f in data})
    _check_employer(values)
    asks_again = (values["outcome"], values["employer_id"]) != (dest.outcome, dest.employer_id)
    for f in FIELDS:
        setattr(dest, f, values[f])
    if asks_again or dest.confirmation == "disputed":
        _set_confirmation(dest, user)
    audit(actor=user, obj=dest, action="update", changes=data, organization_id=dest.university_id)
    return dest


def sees(user: User, dest: Destination) -> bool:
    """The student, their university's staff, the employer's staff, and overseers."""
    return (
        user.id == dest.student_id
        or dest.university_id in staff_orgs(user, "university")
        or (dest.employer_id is not None and dest.employer_id in staff_orgs(user, "enterprise"))
        or sees_all(user)
    )


def get_visible(destination_id: int, user: User) -> Destination:
    """The destination if the caller may see it; 404 otherwise (nothing revealed)."""
    dest = db.session.get(Destination, destination_id)
    if dest is None or not sees(user, dest):
        not_found("destination")
    return dest


def listing(user: User, args: dict) -> sa.Select:
    """The destinations the caller may see, filtered, newest first."""
    stmt = sa.select(Destination)
    if not sees_all(user):
        unis, ents = staff_orgs(user, "university"), staff_orgs(user, "enterprise")
        stmt = stmt.where(
            sa.or_(
                Destination.student_id == user.id,
                Destination.university_id.in_(unis),
                Destination.employer_id.in_(ents),
            )
        )
    for arg, column in (
        ("year", Destination.graduation_year),
        ("university_id", Destination.university_id),
        ("student_id", Destination.student_id),
        ("outcome", Destination.outcome),
        ("confirmation", Destination.confirmation),
    ):
        if args.get(arg) is not None:
            stmt = stmt.where(column == args[arg])
    return stmt.order_by(Destination.id.desc())


def confirmations(user: User, args: dict) -> sa.Select:
    """Destinations naming the caller's enterprises, pending first by default (its staff)."""
    mine = staff_orgs(user, "enterprise")
    if not mine:
        forbidden("confirmations are for the staff of alliance enterprises")
    return (
        sa.select(Destination)
        .where(Destination.employer_id.in_(mine), Destination.confirmation == args["state"])
        .order_by(Destination.id)
    )


def _decide(user: User, dest: Destination, state: str, reason: str | None) -> Destination:
    if dest.employer_id is None or dest.employer_id not in staff_orgs(user, "enterprise"):
        forbidden("only the employer's staff confirm or dispute a destination")
    if dest.confirmation != "pending":
        conflict(
            _(
                "the destination is %(confirmation)s, not pending; a change by the university or "
                "the student asks again",
                confirmation=dest.confirmation,
            ),
            confirmation=dest.confirmation,
        )
    dest.confirmation = state
    dest.confirmed_by_id = user.id
    dest.confirmed_at = utcnow()
    dest.dispute_reason = reason
    audit(
        actor=user,
        obj=dest,
        action=state,
        changes={"reason": reason} if reason else None,
        organization_id=dest.employer_id,
    )
    return dest


def confirm(user: User, dest: Destination) -> Destination:
    """The employer confirms the destination (pending -> confirmed)."""
    return _decide(user, dest, "confirmed", None)


def dispute(user: User, dest: Destination, reason: str) -> Destination:
    """The employer disputes it with a reason (pending -> disputed); the university and the
    student are told."""
    _decide(user, dest, "disputed", reason)
    emit(
        "destination.disputed",
        {**payload(dest), "reason": reason},
        organization_id=dest.university_id,
        actor=user,
    )
    return dest


def payload(dest: Destination) -> dict[str, Any]:
    """The events' payload of a destination."""
    student = db.session.get(User, dest.student_id)
    employer = db.session.get(Organization, dest.employer_id) if dest.employer_id else None
    return {
        "destination_id": dest.id,
        "student_id": dest.student_id,
        "student_name": student.name if student else "",
        "university_id": dest.university_id,
        "enterprise_id": dest.employer_id,
        "enterprise_name": employer.name if employer else (dest.employer_name or ""),
        "graduation_year": dest.graduation_year,
        "outcome": dest.outcome,
        "outcome_zh": OUTCOME_LABELS[dest.outcome][0],
    }


def shape(dest: Destination) -> dict[str, Any]:
    """A destination for the response, with labels."""
    student = db.session.get(User, dest.student_id)
    return {
        **{c.key: getattr(dest, c.key) for c in Destination.__table__.columns},
        "student_name": student.name if student else None,
        "outcome_zh": OUTCOME_LABELS[dest.outcome][0],
        "location": region_name(dest.location_code),
    }


def shape_page(page: dict) -> dict:
    """The list envelope with every item shaped."""
    return {**page, "items": [shape(d) for d in page["items"]]}
