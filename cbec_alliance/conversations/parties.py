"""Who the parties of an object are, read from its own domain's tables (never written).

Each kind of subject names its sides: organizations whose admins and staff are parties, and
people who are parties themselves. One query per subject kind answers for many objects at
once (`sides`), so a list of threads asks each kind once, not each thread.

- application: the student, and the posting's enterprise.
- partnership: the enterprise and the university.
- course: the university, and its partner enterprises that have not declined.
- programme: the university, and its partner enterprises that have not declined.
- placement: the student, the school and enterprise mentors, the university and the
  enterprise.
- policy_application: the applying organization, and the government body that issued the
  policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.applications.models import Application
from cbec_alliance.courses.models import Course, CoursePartner
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import STAFF_ROLES, Membership
from cbec_alliance.partnerships.models import Partnership
from cbec_alliance.placements.models import Placement
from cbec_alliance.policies.models import Policy, PolicyApplication
from cbec_alliance.programmes.models import Programme, ProgrammePartner

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass
class Sides:
    """An object's parties: organizations (their admins and staff) and people."""

    orgs: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)

    def includes(self, user_id: int, staff_of: set[int]) -> bool:
        """True for one of the people, or an admin or staff member of one of the orgs."""
        return user_id in self.people or not self.orgs.isdisjoint(staff_of)


def _rows(stmt: sa.Select) -> Sequence[sa.Row]:
    return db.session.execute(stmt).all()


def _partners(found: dict[int, Sides], model, key, ids: list[int]) -> None:
    # Partner enterprises that have not declined (a pending one may ask before answering).
    for object_id, enterprise_id in _rows(
        sa.select(key, model.enterprise_id).where(key.in_(ids), model.state != "declined")
    ):
        found[object_id].orgs.add(enterprise_id)


def _applications(ids: list[int]) -> dict[int, Sides]:
    stmt = (
        sa.select(Application.id, Application.student_id, Internship.enterprise_id)
        .join(Internship, Internship.id == Application.internship_id)
        .where(Application.id.in_(ids))
    )
    return {i: Sides({enterprise}, {student}) for i, student, enterprise in _rows(stmt)}


def _partnerships(ids: list[int]) -> dict[int, Sides]:
    stmt = sa.select(Partnership.id, Partnership.enterprise_id, Partnership.university_id).where(
        Partnership.id.in_(ids)
    )
    return {i: Sides({e, u}) for i, e, u in _rows(stmt)}


def _courses(ids: list[int]) -> dict[int, Sides]:
    stmt = sa.select(Course.id, Course.university_id).where(Course.id.in_(ids))
    found = {i: Sides({university}) for i, university in _rows(stmt)}
    if found:
        _partners(found, CoursePartner, CoursePartner.course_id, list(found))
    return found


def _programmes(ids: list[int]) -> dict[int, Sides]:
    stmt = sa.select(Programme.id, Programme.university_id).where(Programme.id.in_(ids))
    found = {i: Sides({university}) for i, university in _rows(stmt)}
    if found:
        _partners(found, ProgrammePartner, ProgrammePartner.programme_id, list(found))
    return found


def _placements(ids: list[int]) -> dict[int, Sides]:
    p = Placement
    stmt = sa.select(
        p.id,
        p.university_id,
        p.enterprise_id,
        p.student_id,
        p.school_mentor_id,
        p.enterprise_mentor_id,
    ).where(p.id.in_(ids))
    return {
        i: Sides({uni, ent}, {x for x in people if x is not None})
        for i, uni, ent, *people in _rows(stmt)
    }


def _policy_applications(ids: list[int]) -> dict[int, Sides]:
    stmt = (
        sa.select(PolicyApplication.id, PolicyApplication.organization_id, Policy.issuer_id)
        .join(Policy, Policy.id == PolicyApplication.policy_id)
        .where(PolicyApplication.id.in_(ids))
    )
    return {i: Sides({applicant, issuer}) for i, applicant, issuer in _rows(stmt)}


SIDES: dict[str, Callable[[list[int]], dict[int, Sides]]] = {
    "application": _applications,
    "partnership": _partnerships,
    "course": _courses,
    "programme": _programmes,
    "placement": _placements,
    "policy_application": _policy_applications,
}


def sides(subject: str, ids: Iterable[int]) -> dict[int, Sides]:
    """The sides of each existing object of a kind among `ids` (missing ones are absent)."""
    wanted = sorted(set(ids))
    if not wanted or subject not in SIDES:
        return {}
    return SIDES[subject](wanted)


def staff_of(user: User) -> set[int]:
    """The organizations where `user` is an admin or staff member."""
    return {m.organization_id for m in user.memberships if m.role in STAFF_ROLES}


def is_party(user: User, subject: str, subject_id: int) -> bool:
    """True when `user` is a party of the object now (False when it does not exist)."""
    found = sides(subject, [subject_id]).get(subject_id)
    return found is not None and found.includes(user.id, staff_of(user))


def party_ids(user: User, subject: str, subject_ids: Iterable[int]) -> set[int]:
    """The objects of a kind among `subject_ids` that `user` is a party of now."""
    mine = staff_of(user)
    return {i for i, s in sides(subject, subject_ids).items() if s.includes(user.id, mine)}


def parties(subject: str, subject_id: int) -> set[int]:
    """Every user who is a party of the object now: its people, and the active admins and
    staff of its organizations (empty when it does not exist)."""
    found = sides(subject, [subject_id]).get(subject_id)
    if found is None:
        return set()
    staff = set()
    if found.orgs:
        staff = set(
            db.session.scalars(
                sa.select(Membership.user_id)
                .join(User, User.id == Membership.user_id)
                .where(
                    Membership.organization_id.in_(found.orgs),
                    Membership.role.in_(STAFF_ROLES),
                    User.is_active,
                )
            )
        )
    return staff | found.people
