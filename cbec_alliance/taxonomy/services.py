"""Reading, checking and editing vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _

from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.changes import changed_fields
from cbec_alliance.core.errors import abort, conflict, invalid, not_found
from cbec_alliance.extensions import db
from cbec_alliance.taxonomy.models import VOCABULARIES, VOCABULARY_NAMES, TaxonomyItem
from cbec_alliance.taxonomy.schemas import CODE_RE, LEVELS

CODE_PATTERN = re.compile(CODE_RE)


def items(vocabulary: str) -> sa.Select:
    """Items of a vocabulary in display order."""
    return (
        sa.select(TaxonomyItem)
        .where(TaxonomyItem.vocabulary == vocabulary)
        .order_by(TaxonomyItem.position, TaxonomyItem.id)
    )


def codes(vocabulary: str) -> frozenset[str]:
    """The set of codes in a vocabulary (cached for the request)."""
    cache = g.setdefault("_taxonomy_codes", {})
    if vocabulary not in cache:
        cache[vocabulary] = frozenset(
            db.session.scalars(
                sa.select(TaxonomyItem.code).where(TaxonomyItem.vocabulary == vocabulary)
            )
        )
    return cache[vocabulary]


def check(vocabulary: str, field: str, values: str | Iterable[str] | None) -> None:
    """422 naming `field` when any value is not a code of `vocabulary`."""
    if values is None:
        return
    values = [values] if isinstance(values, str) else list(values)
    known = codes(vocabulary)
    unknown = sorted({v for v in values if v not in known})
    if unknown:
        invalid(
            field,
            _(
                "unknown %(vocabulary)s code(s): %(unknown)s",
                vocabulary=vocabulary,
                unknown=", ".join(unknown),
            ),
        )


def require_vocabulary(vocabulary: str) -> None:
    """404 for a vocabulary name that does not exist, naming the ones that do."""
    if vocabulary not in VOCABULARIES:
        abort(
            404,
            message=_(
                "vocabulary not found; the vocabularies are: %(names)s",
                names=", ".join(VOCABULARIES),
            ),
            extra={"vocabularies": list(VOCABULARIES)},
        )


def vocabularies() -> list[dict]:
    """Every vocabulary with its names and how many items it holds, in the listed order."""
    counts = dict(
        db.session.execute(
            sa.select(TaxonomyItem.vocabulary, sa.func.count()).group_by(TaxonomyItem.vocabulary)
        ).all()
    )
    return [
        {"name": name, "name_en": en, "name_zh": zh, "count": counts.get(name, 0)}
        for name, (en, zh) in VOCABULARY_NAMES.items()
    ]


def add(actor, vocabulary: str, data: dict) -> TaxonomyItem:
    """Add an item (coordinators); 409 when the code exists."""
    require_vocabulary(vocabulary)
    exists = db.session.scalar(
        sa.select(TaxonomyItem.id).where(
            TaxonomyItem.vocabulary == vocabulary, TaxonomyItem.code == data["code"]
        )
    )
    if exists:
        conflict(
            _(
                "code %(code)s already exists in %(vocabulary)s",
                code=repr(data["code"]),
                vocabulary=vocabulary,
            )
        )
    _check_details(vocabulary, data)
    last = db.session.scalar(
        sa.select(sa.func.max(TaxonomyItem.position)).where(TaxonomyItem.vocabulary == vocabulary)
    )
    item = TaxonomyItem(vocabulary=vocabulary, position=(last or 0) + 1, **data)
    db.session.add(item)
    g.pop("_taxonomy_codes", None)
    g.pop("_certificate_levels", None)
    g.pop("_taxonomy_labels", None)
    g.pop("_taxonomy_labels", None)
    audit(actor=actor, obj=item, action="create", changes={"vocabulary": vocabulary, **data})
    return item


def _check_details(vocabulary: str, data: dict) -> None:
    # Only catalogued certificates carry details; elsewhere they would be unread clutter.
    if vocabulary != "certificates":
        if data.get("details") is not None:
            invalid(
                "details", _("the %(vocabulary)s vocabulary has no details", vocabulary=vocabulary)
            )
        return
    details = data.get("details")
    if details is None:
        invalid("details", "a certificate needs its issuer and levels")
    check("competencies", "details.competencies", details["competencies"])
    # Stored lowest first, once each, whatever order the coordinator typed them in.
    details["levels"] = [lv for lv in LEVELS if lv in details["levels"]]


def certificate_levels(code: str) -> tuple[str, ...] | None:
    """The levels a catalogued certificate is awarded at, or None when `code` is unknown."""
    cache = g.setdefault("_certificate_levels", {})
    if code not in cache:
        details = db.session.scalar(
            sa.select(TaxonomyItem.details).where(
                TaxonomyItem.vocabulary == "certificates", TaxonomyItem.code == code
            )
        )
        cache[code] = None if details is None else tuple(details.get("levels") or ())
    return cache[code]


def check_certificates(
    field: str, required: list[dict] | None, level_key: str = "min_level"
) -> None:
    """422 naming `field.N.code` for a code outside the catalogue, `field.N.<level_key>` for
    a level that certificate is not awarded at, and `field` for a code given twice. Items
    without a code (a free-text certificate a student declares) are not the catalogue's."""
    if required is None:
        return
    for k, item in enumerate(required):
        if "code" not in item:
            continue
        levels = certificate_levels(item["code"])
        if levels is None:
            invalid(
                f"{field}.{k}.code", _("unknown certificates code: %(code)s", code=item["code"])
            )
        if item[level_key] not in levels:
            invalid(
                f"{field}.{k}.{level_key}",
                _(
                    "%(code)s is awarded at %(levels)s only",
                    code=item["code"],
                    levels=", ".join(levels),
                ),
            )
    codes = [item["code"] for item in required if "code" in item]
    if len(set(codes)) != len(codes):
        invalid(field, "each certificate may appear once")


def labels(vocabulary: str) -> dict[str, str]:
    """{code: Chinese label} of a vocabulary (cached for the request)."""
    cache = g.setdefault("_taxonomy_labels", {})
    if vocabulary not in cache:
        cache[vocabulary] = dict(
            db.session.execute(
                sa.select(TaxonomyItem.code, TaxonomyItem.name_zh).where(
                    TaxonomyItem.vocabulary == vocabulary
                )
            ).all()
        )
    return cache[vocabulary]


def label(vocabulary: str, code: str) -> str:
    """The Chinese label of a code (the code itself when unknown)."""
    return labels(vocabulary).get(code, code)


def rename(actor, vocabulary: str, code: str, data: dict) -> TaxonomyItem:
    """Change an item's labels (codes never change)."""
    require_vocabulary(vocabulary)
    if not CODE_PATTERN.fullmatch(code):
        not_found("taxonomy item")  # no item can have such a code; keep it from the database
    item = db.session.scalar(
        sa.select(TaxonomyItem).where(
            TaxonomyItem.vocabulary == vocabulary, TaxonomyItem.code == code
        )
    )
    if item is None:
        not_found("taxonomy item")
    changes = changed_fields(item, data)
    if changes:
        audit(actor=actor, obj=item, action="rename", changes=changes)
    return item
