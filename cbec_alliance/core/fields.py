"""marshmallow fields shared across domains."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.timeutil import as_utc, iso_z


class UtcDateTime(ma.fields.DateTime):
    """ISO 8601 in UTC with `Z`; naive input is taken as UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso_z(value)

    def _deserialize(self, value, attr, data, **kwargs):
        return as_utc(super()._deserialize(value, attr, data, **kwargs))


class FullMatch(ma.validate.Regexp):
    """Regexp that must match the whole value (`$` alone lets a trailing newline through)."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


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
