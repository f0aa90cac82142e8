"""One object of each kind a thread may be on, its parties and people who are not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.partnerships.models import Partnership
from cbec_alliance.policies.models import Policy, PolicyApplication
from cbec_alliance.programmes.models import Programme, ProgrammePartner
from tests import factories
from tests.applications.factories import apply_for, scene
from tests.courses.factories import CourseFactory
from tests.placements.factories import assign_mentors, world


@dataclass
class Subject:
    """An object threads may be on, who its parties are and who they are not."""

    subject: str
    subject_id: int
    parties: dict[str, object]
    outsiders: dict[str, object] = field(default_factory=dict)


def _outsiders(**more) -> dict[str, object]:
    return {
        "stranger": factories.UserFactory(),
        "other_enterprise": factories.member(factories.OrganizationFactory(), "staff"),
        "other_university": factories.member(factories.UniversityFactory(), "admin"),
        **more,
    }


def application() -> Subject:
    """A student's application: the student and the posting's enterprise staff."""
    s = scene()
    other_student, _ = apply_for(s.posting)
    return Subject(
        "application",
        s.application.id,
        {"student": s.student, "enterprise": s.staff},
        # The student's university follows the application elsewhere: not a party here.
        _outsiders(
            other_applicant=other_student,
            university=factories.member(s.university, "staff"),
        ),
    )


def partnership() -> Subject:
    """A partnership: both organizations' admins and staff."""
    ent, uni = factories.OrganizationFactory(), factories.UniversityFactory()
    row = Partnership(
        enterprise_id=ent.id,
        university_id=uni.id,
        starts_on=dt.date.today(),
        status="active",
        proposed_by_org_id=ent.id,
    )
    db.session.add(row)
    db.session.commit()
    return Subject(
        "partnership",
        row.id,
        {"enterprise": factories.member(ent, "admin"), "university": factories.member(uni)},
        _outsiders(enterprise_student=factories.member(uni, "student")),
    )


def course() -> Subject:
    """A course: its university and its partner enterprises (not one that declined)."""
    uni, ent, declined = (
        factories.UniversityFactory(),
        factories.OrganizationFactory(),
        factories.OrganizationFactory(),
    )
    row = CourseFactory(university_id=uni.id, partners=[ent, declined])
    next(p for p in row.partners if p.enterprise_id == declined.id).state = "declined"
    db.session.commit()
    return Subject(
        "course",
        row.id,
        {"university": factories.member(uni), "partner": factories.member(ent)},
        _outsiders(declined_partner=factories.member(declined)),
    )


def programme() -> Subject:
    """A programme: its university and its partner enterprises."""
    uni, ent = factories.UniversityFactory(), factories.OrganizationFactory()
    row = Programme(
        kind="order_class",
        university_id=uni.id,
        name="跨境电商订单班（2027级）",
        major="e-commerce",
        intake_year=2027,
        cohort_size=2,
        partners=[ProgrammePartner(enterprise_id=ent.id, state="confirmed")],
    )
    db.session.add(row)
    db.session.commit()
    return Subject(
        "programme",
        row.id,
        {"university": factories.member(uni, "admin"), "partner": factories.member(ent)},
        _outsiders(),
    )


def placement() -> Subject:
    """A placement: the student, both mentors, and both organizations' staff."""
    w = world()
    assign_mentors(w)
    db.session.commit()
    return Subject(
        "placement",
        w.placement.id,
        {
            "student": w.student,
            "school_mentor": w.school_mentor,
            "enterprise_mentor": w.ent_mentor,
            "university": w.uni_staff,
            "enterprise": w.ent_staff,
        },
        _outsiders(classmate=factories.member(w.university, "student")),
    )


def policy_application() -> Subject:
    """An organization's application to a policy: its staff and the issuing government's."""
    gov = factories.OrganizationFactory(
        kind="government", name="广州市商务局", uscc=None, size=None, platforms=None
    )
    ent = factories.OrganizationFactory()
    now = utcnow()
    policy = Policy(
        kind="certification",
        issuer_id=gov.id,
        title="跨境电商示范企业认定",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        status="published",
    )
    db.session.add(policy)
    db.session.flush()
    row = PolicyApplication(policy_id=policy.id, organization_id=ent.id)
    db.session.add(row)
    db.session.commit()
    return Subject(
        "policy_application",
        row.id,
        {"applicant": factories.member(ent, "admin"), "government": factories.member(gov)},
        _outsiders(
            other_government=factories.member(
                factories.OrganizationFactory(
                    kind="government", uscc=None, size=None, platforms=None
                )
            )
        ),
    )


BUILDERS: dict[str, Callable[[], Subject]] = {
    "application": application,
    "partnership": partnership,
    "course": course,
    "programme": programme,
    "placement": placement,
    "policy_application": policy_application,
}
