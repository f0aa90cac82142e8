"""What awaits the enterprise's confirmation: the co-developed courses (courses domain) and
the programmes (programmes domain) in which it is a partner whose answer is awaited, each
with Confirm and Decline (with a reason) through the same service functions the API's
confirm and decline routes call; a refusal shows the service's message on the page.

The words for course states and partner answers live here; the university's courses page
(university_courses.py) shows them too."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from cbec_alliance.core.i18n import N_
from cbec_alliance.core.pagination import paginate
from cbec_alliance.courses import lifecycle as course_steps
from cbec_alliance.courses import services as courses
from cbec_alliance.courses.models import Course, CoursePartner
from cbec_alliance.courses.schemas import DeclineSchema
from cbec_alliance.organizations.models import Organization
from cbec_alliance.programmes import services as programmes
from cbec_alliance.programmes.models import Programme, ProgrammePartner
from cbec_alliance.programmes.schemas import AnswerSchema

from .enterprise_web import blp, enterprise_of
from .labels import COURSE_STATUSES, PARTNER_STATES, names_of, translated, vocabulary
from .web import attempt, done, form_values, page, parse, render, user

PROGRAMME_KINDS = {
    "order_class": N_("Order class"),
    "apprenticeship": N_("Modern apprenticeship"),
    "industry_college": N_("Industry college"),
}
VERBS = ("confirm", "decline")
# At most this many of each are listed (what awaits an answer is a short list).
SHOWN = {"page": 1, "per_page": 100}


@blp.get("/<int:org_id>/confirmations")
@page
def confirmations(org_id: int):
    """The courses and programmes awaiting this enterprise's confirmation."""
    return _page(enterprise_of(org_id))


@blp.post("/<int:org_id>/confirmations/<kind>/<int:item_id>/<verb>")
@page
def answer(org_id: int, kind: str, item_id: int, verb: str):
    """Confirm, or decline with a reason, one course or programme for this enterprise."""
    org = enterprise_of(org_id)
    if verb not in VERBS or kind not in ("course", "programme"):
        abort(404)
    confirm = verb == "confirm"
    reason = form_values(("reason",))
    message: str | None = None
    errors: dict = {}
    if kind == "course":
        course = courses.get_visible(item_id, user())
        title = course.title
        data, errors = ({}, {}) if confirm else parse(DeclineSchema(), reason)
        if data is not None:
            why = data.get("reason")
            _r, message, errors = attempt(
                lambda: course_steps.answer(user(), course, org.id, confirm, why)
            )
    else:
        programme = programmes.get_visible(item_id, user())
        title = programme.name
        data, errors = parse(AnswerSchema(), {**reason, "enterprise_id": org.id})
        if data is not None:
            why = data.get("reason")
            _r, message, errors = attempt(
                lambda: programmes.answer(user(), programme, org.id, confirm, why)
            )
    if message is None and not errors:
        said = (
            _("Confirmed: %(title)s", title=title)
            if confirm
            else _("Declined: %(title)s", title=title)
        )
        return done(said, "console_enterprise.confirmations", org_id=org.id)
    shown = message or _("Check the fields marked.")
    status = 409 if message and not errors else 422
    return _page(org, (kind, item_id), shown, errors, status)


def _page(
    org: Organization,
    failed: tuple[str, int] | None = None,
    message: str | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    me = user()
    waiting_courses = courses.listing({"enterprise_id": org.id}, me).where(
        Course.status.in_(course_steps.ANSWERED_WHILE),
        Course.partners.any(
            sa.and_(CoursePartner.enterprise_id == org.id, CoursePartner.state == "pending")
        ),
    )
    waiting_programmes = programmes.listing(
        {"enterprise_id": org.id, "state": "proposed"}, me
    ).where(
        Programme.partners.any(
            sa.and_(ProgrammePartner.enterprise_id == org.id, ProgrammePartner.state == "pending")
        )
    )
    course_list = paginate(waiting_courses, SHOWN)
    programme_list = paginate(waiting_programmes, SHOWN)
    ids = {c.university_id for c in course_list["items"]}
    ids |= {p.university_id for p in programme_list["items"]}
    ids |= {e for c in course_list["items"] for e in c.partner_enterprise_ids}
    body = render(
        "console/enterprise/confirmations.html",
        org=org,
        courses=course_list,
        programmes=programme_list,
        names=names_of(Organization, ids),
        course_statuses=translated(COURSE_STATUSES),
        partner_states=translated(PARTNER_STATES),
        kinds=translated(PROGRAMME_KINDS),
        majors=dict(vocabulary("majors")),
        failed=failed,
        message=message,
        errors=errors or {},
    )
    return body, status
