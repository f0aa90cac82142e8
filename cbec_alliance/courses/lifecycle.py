"""The joint course's lifecycle: the university's steps, and its partners' answers.

draft -> proposed -> confirmed -> published -> archived          (the university)
a partner: pending -> confirmed | declined                        (each partner enterprise)

The course follows its partners' answers: a proposed course is confirmed once every partner
confirmed, and returns to draft when one declines; a course without partners skips straight
to confirmed when proposed. A content change asks every partner again (`services.update`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import Waiting, conflict, forbidden, invalid, not_found, wrong_step
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy import services as taxonomy

from . import services
from .models import Course

LIFECYCLE = Lifecycle(
    {
        "propose": Step(("draft",), "proposed", "university"),
        "publish": Step(("confirmed",), "published", "university"),
        "archive": Step(("published",), "archived", "university"),
    }
)
# A partner's answer to the version in force; it is asked while the course is proposed or
# (after a content change) published.
PARTNER = Lifecycle(
    {
        "confirm": Step(("pending",), "confirmed", "enterprise"),
        "decline": Step(("pending",), "declined", "enterprise"),
    }
)
ANSWERED_WHILE = ("proposed", "published")


def transition(user: User, course: Course, action: str) -> Course:
    """Propose (partners are asked), publish (every partner confirmed) or archive."""
    target = LIFECYCLE.target(
        course.status,
        action,
        waiting_for=lambda: _waiting_partners(course) if action == "publish" else (),
    )
    if action == "propose":
        taxonomy.check("competencies", "competencies", course.competency_codes)
        if not course.competencies:
            conflict("name the competencies the course teaches before proposing it")
        if not course.partners:
            target = "confirmed"  # nothing to confirm: a course of the university alone
        services.ask_partners(course, user)
    if action == "publish":
        course.published_at = utcnow()
    before, course.status = course.status, target
    audit(actor=user, obj=course, action=action, changes={"status": {"from": before, "to": target}})
    return course


def answer(user: User, course: Course, enterprise_id: int, confirm: bool, reason: str | None):
    """A partner confirms the current version, or declines it with a reason."""
    partner = next((p for p in course.partners if p.enterprise_id == enterprise_id), None)
    if partner is None:
        not_found("partner")
    if enterprise_id not in services.managed_orgs(user):
        forbidden("Only the partner's admins and staff answer for it.")
    verb = "confirm" if confirm else "decline"
    if course.status == "draft":
        university = db.session.get(Organization, course.university_id)
        wrong_step(verb, course.status, [], [Waiting.org(university, "propose the course")])
    if course.status not in ANSWERED_WHILE or not PARTNER.can(partner.state, verb):
        conflict("there is nothing to answer: no version of this course awaits this partner")
    partner.state = PARTNER[verb].target
    partner.reason, partner.decided_at = reason, utcnow()
    if not confirm and course.status == "proposed":
        course.status = "draft"
    elif course.status == "proposed" and all(p.state == "confirmed" for p in course.partners):
        course.status = "confirmed"
    audit(actor=user, obj=course, action=verb, changes={"reason": reason})
    emit(
        f"course.{partner.state}",
        {**services.payload(course), "enterprise_id": enterprise_id, "reason": reason or ""},
        organization_id=course.university_id,
        actor=user,
    )
    return course


def answer_as_caller(
    user: User, course: Course, enterprise_id: int | None, confirm: bool, reason: str | None
):
    """The caller's partner answers: `enterprise_id` when given, else the one partner of the
    course whose admin or staff the caller is (see `caller_partner`)."""
    partner = caller_partner(user, course, enterprise_id)
    return answer(user, course, partner, confirm, reason)


def _waiting_partners(course: Course) -> list[Waiting]:
    """The partners whose answer the course still waits for (none unless proposed)."""
    if course.status != "proposed":
        return []
    pending = [p.enterprise_id for p in course.partners if p.state == "pending"]
    orgs = {
        o.id: o
        for o in db.session.scalars(sa.select(Organization).where(Organization.id.in_(pending)))
    }
    return [Waiting.org(orgs[i], "confirm") for i in pending]


def caller_partner(user: User, course: Course, enterprise_id: int | None) -> int:
    """The partner the caller answers for: `enterprise_id` when given, else the one partner
    of the course whose admin or staff the caller is (403 for none, 422 naming the choices
    when several)."""
    partners = course.partner_enterprise_ids
    if enterprise_id is not None:
        if enterprise_id not in partners:
            invalid(
                "enterprise_id",
                _("not a partner of this course; its partners: %(partners)s", partners=partners),
            )
        return enterprise_id
    mine = [e for e in partners if e in services.managed_orgs(user)]
    if not mine:
        forbidden("Only the admins and staff of a partner enterprise of the course answer.")
    if len(mine) > 1:
        names = dict(
            db.session.execute(
                sa.select(Organization.id, Organization.name).where(Organization.id.in_(mine))
            ).all()
        )
        choices = ", ".join(f"{e} ({names[e]})" for e in mine)
        invalid(
            "enterprise_id",
            _(
                "you answer for several partners of this course; name one of: %(choices)s",
                choices=choices,
            ),
        )
    return mine[0]
