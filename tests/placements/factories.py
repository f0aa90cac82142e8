"""A placement and everyone around it, and the steps that make it ready to start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cbec_alliance.core.pdf import sha256_hex
from cbec_alliance.extensions import db
from cbec_alliance.placements import agreements, facts, insurance, mentors, services
from tests import factories
from tests.applications.factories import ApplicationFactory
from tests.internships.factories import InternshipFactory
from tests.students.factories import student


@dataclass
class World:
    """An accepted application's placement, its three parties, mentors and outsiders."""

    enterprise: object
    university: object
    ent_staff: object
    uni_staff: object
    student: object
    school_mentor: object
    ent_mentor: object
    posting: object
    application: object
    placement: object


def world(birth_date: date | None = date(2004, 5, 1), start_in: int = 30, **posting_kw) -> World:
    """A prepared placement starting in `start_in` days (its application accepted)."""
    enterprise = factories.OrganizationFactory()
    university = factories.UniversityFactory()
    ent_staff = factories.member(enterprise, "staff")
    uni_staff = factories.member(university, "staff")
    user = student(university, birth_date=birth_date)
    posting_kw.setdefault("start_date", date.today() + timedelta(days=start_in))
    posting_kw.setdefault("end_date", posting_kw["start_date"] + timedelta(days=90))
    posting = InternshipFactory(enterprise_id=enterprise.id, **posting_kw)
    application = ApplicationFactory(
        internship_id=posting.id,
        student_id=user.id,
        university_id=university.id,
        status="accepted",
    )
    placement = services.open_for_application(application, posting, user)
    db.session.commit()
    return World(
        enterprise,
        university,
        ent_staff,
        uni_staff,
        user,
        factories.member(university, "staff"),
        factories.member(enterprise, "staff"),
        posting,
        application,
        placement,
    )


def insure(w: World, days_short: int = 0):
    """A policy covering the placement (ending `days_short` days early)."""
    p = w.placement
    data = {
        "insurer": "中国人民财产保险",
        "policy_number": f"PICC-{p.id}",
        "covers_from": p.starts_on,
        "covers_to": p.ends_on - timedelta(days=days_short),
        "sum_insured": 500_000,
    }
    return insurance.add(w.uni_staff, p, data)


def assign_mentors(w: World) -> None:
    """Both mentors, each assigned by their own side."""
    mentors.assign(w.uni_staff, w.placement, "school", w.school_mentor.id)
    mentors.assign(w.ent_staff, w.placement, "enterprise", w.ent_mentor.id)


def sign_all(w: World) -> None:
    """Every party signs the current text."""
    text = facts.current_agreement(w.placement).text
    for signer, party in (
        (w.student, "student"),
        (w.uni_staff, "university"),
        (w.ent_staff, "enterprise"),
    ):
        agreements.sign(
            signer, w.placement, {"sha256": sha256_hex(text), "party": party}, "127.0.0.1"
        )


def ready(w: World, *, today: bool = True) -> World:
    """Everything in place; the first day moved to today when `today`."""
    if today:
        services.update_terms(w.uni_staff, w.placement, {"starts_on": date.today()})
    insure(w)
    assign_mentors(w)
    sign_all(w)
    db.session.commit()
    return w


def outsiders() -> dict:
    """A stranger, another enterprise's staff, another university's staff."""
    return {
        "stranger": factories.UserFactory(),
        "other_enterprise": factories.member(factories.OrganizationFactory(), "staff"),
        "other_university": factories.member(factories.UniversityFactory(), "staff"),
    }
