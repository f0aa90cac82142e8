"""Completion: both mentors grade (0..100 with competency ratings), the placement completes
with enough reviewed weekly logs, a certificate PDF carries a verification code, and anyone
can confirm a code (and learn nothing else)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import services as applications
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.pdf import Document
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy import services as taxonomy

from . import access, logs, mentors, rules, steps
from .lifecycle import LIFECYCLE
from .models import Grade, GradeRating, Placement
from .notices import audit

# Unambiguous letters and digits (no 0/O, 1/I/L): a code read aloud or typed from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16  # 16 of 31 symbols: about 79 bits, beyond guessing


def grades(placement: Placement) -> dict[str, Grade]:
    """The placement's grades by mentor role."""
    rows = db.session.scalars(sa.select(Grade).where(Grade.placement_id == placement.id))
    return {grade.role: grade for grade in rows}


def grade(user: User, placement: Placement, data: dict) -> Grade:
    """Record the user's grade as this placement's school or enterprise mentor (once)."""
    role = mentors.role_of(user, placement)
    if role is None:
        forbidden("only this placement's school and enterprise mentors may grade it")
    if placement.state != "active":
        conflict(
            gettext(
                "a placement is graded while active; this one is %(state)s", state=placement.state
            )
        )
    codes = [rating["code"] for rating in data["ratings"]]
    taxonomy.check("competencies", "ratings", codes)
    if len(set(codes)) != len(codes):
        invalid("ratings", "each competency may be rated once")
    if role in grades(placement):
        conflict(gettext("the %(role)s mentor has already graded this placement", role=role))
    row = Grade(
        placement_id=placement.id,
        role=role,
        mentor_id=user.id,
        score=data["score"],
        comment=data.get("comment"),
        ratings=[GradeRating(role=role, code=r["code"], level=r["level"]) for r in data["ratings"]],
    )
    db.session.add(row)
    db.session.flush()
    audit(
        user, placement, "grade", {"role": role, "score": data["score"], "ratings": data["ratings"]}
    )
    return row


def _missing(placement: Placement, given: dict[str, Grade]) -> list[str]:
    needed = current_app.config["PLACEMENT_MIN_LOGS"]
    reviewed = logs.count_reviewed(placement)
    missing = [f"the {role} mentor's grade" for role in mentors.COLUMNS if role not in given]
    if reviewed < needed:
        missing.append(f"{needed} reviewed weekly logs ({reviewed} so far)")
    return missing


def new_code() -> str:
    """A fresh verification code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def complete(user: User, placement: Placement) -> Placement:
    """Complete an active placement (either organization's staff or a mentor): both grades
    and the minimum reviewed logs are needed (409 naming what is missing)."""
    if mentors.role_of(user, placement) is None:
        access.require_party(user, placement, "university", "enterprise")
    LIFECYCLE.target(placement.state, "complete")
    given = grades(placement)
    missing = _missing(placement, given)
    if missing:
        conflict(
            gettext(
                "the placement cannot complete yet: missing %(missing)s", missing="; ".join(missing)
            ),
            missing=missing,
        )
    weight = current_app.config["PLACEMENT_SCHOOL_WEIGHT"]
    score = rules.final_score(given["school"].score, given["enterprise"].score, weight)
    steps.move(
        placement, "complete", user, f"{score}", final_score=score, certificate_code=new_code()
    )
    applications.complete_placed(placement.application_id, user)
    return placement


def _certificate_text(placement: Placement) -> tuple[str, str, str]:
    # Foreign keys of the placement: each row exists.
    student = db.session.get_one(User, placement.student_id)
    school = db.session.get_one(Organization, placement.university_id)
    host = db.session.get_one(Organization, placement.enterprise_id)
    title = db.session.get_one(Internship, placement.internship_id).title
    days = f"{placement.starts_on} 至 {placement.ends_on}"
    zh = (
        f"兹证明 {school.name} 学生 {student.name} 于 {days} 在 {host.name} 完成岗位实习"
        f"「{title}」，综合成绩 {placement.final_score}。"
    )
    en = (
        f"This certifies that {student.name} of {school.name_en or school.name} completed "
        f"the placement {title} at {host.name_en or host.name} from {placement.starts_on} "
        f"to {placement.ends_on}, with a final grade of {placement.final_score}."
    )
    return f"{student.name} · {title}", zh, en


def certificate_pdf(placement: Placement) -> bytes:
    """The completion certificate, with its verification code on every page."""
    if placement.state != "completed":
        conflict(
            gettext(
                "a certificate is issued on completion; the placement is %(state)s",
                state=placement.state,
            )
        )
    code = placement.certificate_code
    doc = Document("实习结业证明 / Placement certificate", small_print=f"验证码 / Code {code}")
    subtitle, zh, en = _certificate_text(placement)
    doc.title_block(subtitle)
    doc.paragraph(zh)
    doc.paragraph(en)
    doc.paragraph(f"验证 / Verify: GET /api/v1/placements/verify/{code}", size=9)
    return doc.bytes()


def verify(code: str) -> dict:
    """`{code, valid}` for a certificate's code; 404 for any other code."""
    found = db.session.scalar(
        sa.select(Placement.id).where(
            Placement.certificate_code == code.upper(), Placement.state == "completed"
        )
    )
    if found is None:
        not_found("certificate")
    return {"code": code.upper(), "valid": True}
