"""Names the university and student pages show for codes: a vocabulary's labels in the page's
language, and the states of applications and placements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from cbec_alliance.core.i18n import language_tag
from cbec_alliance.extensions import db
from cbec_alliance.taxonomy import services as taxonomy


def vocabulary(name: str) -> list[tuple[str, str]]:
    """(code, label) of a vocabulary in display order, labelled in the page's language."""
    chinese = language_tag() == "zh-CN"
    return [
        (item.code, item.name_zh if chinese else item.name_en)
        for item in db.session.scalars(taxonomy.items(name))
    ]


def labels(name: str) -> dict[str, str]:
    """{code: label} of a vocabulary in the page's language."""
    return dict(vocabulary(name))


LEVELS = {
    1: _l("1 · aware"),
    2: _l("2 · basic"),
    3: _l("3 · competent"),
    4: _l("4 · proficient"),
    5: _l("5 · expert"),
}
APPLICATION_STATUSES = {
    "submitted": _l("Submitted"),
    "shortlisted": _l("Shortlisted"),
    "offered": _l("Offered"),
    "accepted": _l("Accepted"),
    "completed": _l("Completed"),
    "rejected": _l("Rejected"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
PLACEMENT_STATES = {
    "preparing": _l("Preparing"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "completed": _l("Completed"),
    "terminated": _l("Terminated"),
}
MODES = {
    "internship-employment": _l("Internships and employment"),
    "lectures": _l("Lectures"),
    "co-developed-courses": _l("Co-developed courses"),
    "joint-teaching": _l("Joint teaching"),
    "joint-training-bases": _l("Joint training bases"),
    "joint-competitions": _l("Joint competitions"),
    "order-class": _l("Order classes"),
    "apprenticeship": _l("Apprenticeships"),
    "industry-college": _l("Industry colleges"),
}
