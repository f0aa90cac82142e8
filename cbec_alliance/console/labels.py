"""Names the console's pages show for codes and ids: a vocabulary's labels in the page's
language, rows' names, and the states of applications and placements (every party's pages)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from cbec_alliance.core.i18n import N_, language_tag
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


def names_of(model, ids, column=None) -> dict:
    """{id: column} (default: the `name`) for these ids of a table, in one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    column = model.name if column is None else column
    return dict(db.session.execute(sa.select(model.id, column).where(model.id.in_(ids))).all())


def translated(names: dict) -> dict:
    """One of the dicts below in the page's language (their msgids are marked with N_)."""
    return {key: gettext(value) for key, value in names.items()}


LEVELS = {
    1: N_("1 · aware"),
    2: N_("2 · basic"),
    3: N_("3 · competent"),
    4: N_("4 · proficient"),
    5: N_("5 · expert"),
}
APPLICATION_STATUSES = {
    "submitted": N_("Submitted"),
    "shortlisted": N_("Shortlisted"),
    "offered": N_("Offered"),
    "accepted": N_("Accepted"),
    "completed": N_("Completed"),
    "rejected": N_("Rejected"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
PLACEMENT_STATES = {
    "preparing": N_("Preparing"),
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "completed": N_("Completed"),
    "terminated": N_("Terminated"),
}
MODES = {
    "internship-employment": N_("Internships and employment"),
    "lectures": N_("Lectures"),
    "co-developed-courses": N_("Co-developed courses"),
    "joint-teaching": N_("Joint teaching"),
    "joint-training-bases": N_("Joint training bases"),
    "joint-competitions": N_("Joint competitions"),
    "order-class": N_("Order classes"),
    "apprenticeship": N_("Apprenticeships"),
    "industry-college": N_("Industry colleges"),
}
COURSE_STATUSES = {
    "draft": N_("Draft"),
    "proposed": N_("Proposed"),
    "confirmed": N_("Confirmed"),
    "published": N_("Published"),
    "archived": N_("Archived"),
}
PARTNER_STATES = {
    "pending": N_("Awaiting confirmation"),
    "confirmed": N_("Confirmed"),
    "declined": N_("Declined"),
}
