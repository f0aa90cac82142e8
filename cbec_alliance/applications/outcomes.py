"""After the internship: the enterprise's evaluation and employment (hire)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.applications import signals
from cbec_alliance.applications.models import Application, Evaluation, EvaluationRating, Hire
from cbec_alliance.applications.services import get_visible_application, notify, party
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.taxonomy import services as taxonomy


def _completed_for_enterprise(application_id: int, user: User, what: str):
    application = get_visible_application(application_id, user)
    posting = db.session.get_one(Internship, application.internship_id)
    if party(application, posting, user) != "enterprise":
        forbidden(_("only the enterprise's admins and staff may record %(what)s", what=what))
    if application.status != "completed":
        conflict(
            _(
                "%(what)s comes after the internship: the application is %(status)s",
                what=what,
                status=application.status,
            )
        )
    return application, posting


def evaluate(user: User, application_id: int, data: dict) -> Evaluation:
    """Record the enterprise's evaluation of a completed internship (once)."""
    application, posting = _completed_for_enterprise(application_id, user, "an evaluation")
    if data["ratings"] is None:
        # The enterprise mentor already rated the competencies when grading the placement.
        placement = signals.placement_of(application.id)
        if placement is None or not placement["enterprise_ratings"]:
            invalid("ratings", "required: no placement grade to take the ratings from")
        data = {**data, "ratings": placement["enterprise_ratings"]}
    codes = [r["code"] for r in data["ratings"]]
    taxonomy.check("competencies", "ratings", codes)
    if len(set(codes)) != len(codes):
        invalid("ratings", "each competency may be rated once")
    if db.session.get(Evaluation, application.id) is not None:
        conflict("this internship has already been evaluated")
    evaluation = Evaluation(
        application_id=application.id,
        would_hire=data["would_hire"],
        comment=data["comment"],
        evaluator_id=user.id,
        ratings=[EvaluationRating(code=r["code"], level=r["level"]) for r in data["ratings"]],
    )
    db.session.add(evaluation)
    db.session.flush()
    audit(
        actor=user,
        obj=application,
        action="evaluate",
        changes=data,
        organization_id=posting.enterprise_id,
    )
    notify("application.evaluated", application, posting, user, None)
    return evaluation


def hire(user: User, application_id: int, data: dict) -> Hire:
    """Record that the enterprise employed the student after the internship (once)."""
    application, posting = _completed_for_enterprise(application_id, user, "a hire")
    if db.session.get(Hire, application.id) is not None:
        conflict("this hire is already recorded")
    placement = signals.placement_of(application.id)
    if data["starts_on"] is None and placement is not None:
        data = {**data, "starts_on": placement["ends_on"] + timedelta(days=1)}
    record = Hire(
        application_id=application.id,
        enterprise_id=posting.enterprise_id,
        university_id=application.university_id,
        student_id=application.student_id,
        position=data["position"],
        starts_on=data["starts_on"],
        recorded_by_id=user.id,
    )
    db.session.add(record)
    db.session.flush()
    audit(
        actor=user,
        obj=application,
        action="hire",
        changes=data,
        organization_id=posting.enterprise_id,
    )
    notify("application.hired", application, posting, user, None)
    return record


def detail(application: Application) -> dict:
    """The application with its posting, history, evaluation and hire."""
    posting = db.session.get_one(Internship, application.internship_id)
    student = db.session.get_one(User, application.student_id)
    return {
        **{
            c: getattr(application, c)
            for c in (
                "id",
                "internship_id",
                "student_id",
                "university_id",
                "cover_letter",
                "resume_document_id",
                "status",
                "created_at",
                "status_changed_at",
            )
        },
        "internship": posting,
        "student_name": student.name,
        "transitions": application.transitions,
        "evaluation": db.session.get(Evaluation, application.id),
        "hire": db.session.get(Hire, application.id),
        "placement": signals.placement_of(application.id),
        "resume": application.resume_document,
    }
