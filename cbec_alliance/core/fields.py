"""marshmallow fields shared across domains."""

from __future__ import annotations

from typing import Any, overload

import marshmallow as ma
from flask_babel import gettext as _

from cbec_alliance.core.i18n import N_
from cbec_alliance.core.timeutil import bounded_utc, iso_z


class UtcDateTime(ma.fields.DateTime):
    """ISO 8601 in UTC with `Z`; naive input is taken as UTC.

    Input must fall between 1900 and 2999 in UTC (core/timeutil.py): a time whose UTC form
    leaves datetime's range (9999-12-31T23:00-14:00) is a 422 naming the field, not a 500.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return iso_z(value)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:
            return bounded_utc(parsed)
        except ValueError as exc:  # bounded_utc's only complaint: out of range
            raise ma.ValidationError(
                _(
                    "Must be between %(earliest)s and %(latest)s.",
                    earliest="1900-01-01T00:00:00Z",
                    latest="2999-12-31T23:59:59Z",
                )
            ) from exc


class FullMatch(ma.validate.Regexp):
    """Regexp that must match the whole value (`$` alone lets a trailing newline through)."""

    @overload
    def __call__(self, value: str) -> str: ...

    @overload
    def __call__(self, value: bytes) -> bytes: ...

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


# How taxonomy codes are written (coordinators can add none other): the spec documents it as a
# `pattern`, and the services check each code against its vocabulary.
TAXONOMY_CODE_RE = r"^[a-z0-9][a-z0-9-]{0,59}$"
_CODE_FORMAT = FullMatch(
    TAXONOMY_CODE_RE, error=N_("not a taxonomy code (lower-case letters, digits and hyphens)")
)


def taxonomy_code(max_len: int = 60, **kw) -> ma.fields.String:
    """A taxonomy code field (`e-commerce`): its form is checked and documented as a pattern."""
    return ma.fields.String(validate=[_CODE_FORMAT, ma.validate.Length(max=max_len)], **kw)


def text(max_len: int, *, required: bool = False, min_len: int = 0, **kw) -> ma.fields.String:
    """A string field with length limits (any Unicode is kept byte-for-byte)."""
    return ma.fields.String(
        required=required, validate=ma.validate.Length(min=min_len, max=max_len), **kw
    )


class StrictBoolean(ma.fields.Boolean):
    """JSON `true` or `false` only (not 0, 1, "yes" or "true")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
