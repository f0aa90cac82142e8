"""The facts the placement rules are checked on, read from the database (placements.rules
stays pure), and the report of every rule for one placement."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.models import StudentProfile

from . import rules
from .models import Agreement, Insurance, Placement

# Placement dates are days in China, whatever the server's clock zone.
ZONE = ZoneInfo("Asia/Shanghai")
# Placements that count as interns at the enterprise (against its employees and posts).
WORKING = ("active", "suspended")


def today() -> date:
    """Today's date in China."""
    return datetime.now(ZONE).date()


def birth_date(placement: Placement) -> date | None:
    """The student's date of birth, when their profile records it."""
    return db.session.scalar(
        sa.select(StudentProfile.birth_date).where(StudentProfile.user_id == placement.student_id)
    )


def terms(placement: Placement) -> rules.Terms:
    """The placement's terms as the rules read them."""
    return rules.Terms(
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        hours_per_day=placement.hours_per_day,
        hours_per_week=placement.hours_per_week,
        work_starts_at=placement.work_starts_at,
        work_ends_at=placement.work_ends_at,
        rest_days_per_week=placement.rest_days_per_week,
        overtime=placement.overtime,
        fee_charged=placement.fee_charged,
        documents_withheld=placement.documents_withheld,
        independent_post=placement.independent_post,
        stipend=placement.stipend,
        regular_wage=placement.regular_wage,
        birth_date=birth_date(placement),
        max_months=current_app.config["PLACEMENT_MAX_MONTHS"],
    )


def _interns(placement: Placement, *where) -> int:
    # Others already working there, and this one (counted once whatever its state).
    others = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Placement)
        .where(Placement.state.in_(WORKING), Placement.id != placement.id, *where)
    )
    return (others or 0) + 1


def quotas(placement: Placement) -> rules.Quotas:
    """Interns at the enterprise and in the post, against its employees and the post's staff."""
    employees = db.session.scalar(
        sa.select(Organization.employee_count).where(Organization.id == placement.enterprise_id)
    )
    staff = db.session.scalar(
        sa.select(Internship.staff_in_role).where(Internship.id == placement.internship_id)
    )
    return rules.Quotas(
        interns_at_enterprise=_interns(
            placement, Placement.enterprise_id == placement.enterprise_id
        ),
        employee_count=employees,
        interns_in_role=_interns(placement, Placement.internship_id == placement.internship_id),
        staff_in_role=staff,
    )


def current_agreement(placement: Placement) -> Agreement | None:
    """The agreement of the placement's current terms (None before the first is made)."""
    return db.session.scalar(
        sa.select(Agreement).where(
            Agreement.placement_id == placement.id,
            Agreement.terms_version == placement.terms_version,
        )
    )


def policies(placement: Placement) -> list[Insurance]:
    """The placement's insurance policies, earliest cover first."""
    return list(
        db.session.scalars(
            sa.select(Insurance)
            .where(Insurance.placement_id == placement.id)
            .order_by(Insurance.covers_from, Insurance.id)
        )
    )


def insured(placement: Placement) -> bool:
    """True when the policies together cover every day of the placement."""
    spans = [(p.covers_from, p.covers_to) for p in policies(placement)]
    return rules.covers(spans, placement.starts_on, placement.ends_on)


def signed_parties(agreement: Agreement | None) -> set[str]:
    """The parties whose signatures the agreement holds."""
    return {s.party for s in agreement.signatures} if agreement is not None else set()


def readiness(placement: Placement, the_terms: rules.Terms) -> rules.Readiness:
    """What is in place for activation."""
    agreement = current_agreement(placement)
    signed = signed_parties(agreement)
    return rules.Readiness(
        agreement_signed={"student", "university", "enterprise"} <= signed,
        guardian_needed=rules.guardian_needed(the_terms),
        guardian_signed="guardian" in signed,
        insured=insured(placement),
        school_mentor=placement.school_mentor_id is not None,
        enterprise_mentor=placement.enterprise_mentor_id is not None,
        today=today(),
    )


def report(placement: Placement) -> dict:
    """Every rule for the placement: `missing` (before activation), `broken`, `unchecked`."""
    the_terms = terms(placement)
    findings = rules.terms_findings(the_terms) + rules.quota_findings(quotas(placement))
    missing = rules.readiness_findings(readiness(placement, the_terms), placement.starts_on)
    return {
        "missing": [f.as_dict() for f in missing],
        "broken": [f.as_dict() for f in findings if f.status == "broken"],
        "unchecked": [f.as_dict() for f in findings if f.status == "unchecked"],
    }


def blocking(placement: Placement) -> list[rules.Finding]:
    """Everything that keeps the placement from becoming active (empty: it may start)."""
    the_terms = terms(placement)
    findings = rules.terms_findings(the_terms) + rules.quota_findings(quotas(placement))
    missing = rules.readiness_findings(readiness(placement, the_terms), placement.starts_on)
    return missing + rules.blocking(findings)
