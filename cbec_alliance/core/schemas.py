"""Base schemas: text that PostgreSQL accepts, pagination arguments and list envelopes."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import ValidationError

from cbec_alliance.core.i18n import N_

_BAD_TEXT = N_("contains a character that cannot be stored (NUL or an unpaired surrogate)")


def _bad_text(value: str) -> bool:
    if "\x00" in value:
        return True
    # Lone surrogates come from JSON "\ud800" escapes and cannot be encoded as UTF-8.
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def _scan(data, path: str, errors: dict) -> None:
    if isinstance(data, str):
        if _bad_text(data):
            errors[path or "_schema"] = [_BAD_TEXT]
    elif isinstance(data, dict):
        for key, value in data.items():
            key_s = str(key)
            if _bad_text(key_s):
                # Blame the object holding the key: the key itself cannot go into a response.
                errors[path or "_schema"] = [_BAD_TEXT]
                continue
            _scan(value, f"{path}.{key_s}" if path else key_s, errors)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _scan(value, f"{path}.{i}" if path else str(i), errors)


def _scan_multidict(data, errors: dict) -> None:
    # Query strings and forms: `?q=a&q=b` is one parameter, so errors name `q`, not `q.1`.
    for key, values in data.to_dict(flat=False).items():
        if _bad_text(key) or any(isinstance(v, str) and _bad_text(v) for v in values):
            errors["_schema" if _bad_text(key) else key] = [_BAD_TEXT]


# The range of an integer column; numbers outside it would fail in the database instead.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# Floats and decimals: beyond 10**15 a double no longer holds every whole number (2**53 is
# about 9e15), no quantity of this API comes near it, and a huge value breaks the exact
# decimal a field may turn it into (`credits: 1e308` quantized to 0.1).
NUMBER_LIMIT = 10**15
_NUMBER_MESSAGE = N_("Must be a finite number from -10^15 to 10^15.")


def _bound_real(field: ma.fields.Number) -> None:
    # The check must run between the conversion and what a subclass does with the number
    # (Credits quantizes it before any validator runs), so it wraps the conversion itself.
    convert = field._validated

    def _validated(value):
        number = convert(value)
        finite = number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)
        if not finite or abs(number) > NUMBER_LIMIT:
            raise ValidationError(_NUMBER_MESSAGE)
        return number

    # One field instance's conversion is wrapped, and the field marked as done.
    field._validated = _validated  # type: ignore[method-assign]
    field.cbec_bounded = True  # type: ignore[attr-defined]


def _bound_numbers(field: ma.fields.Field) -> None:
    """Integers get the column range unless they set a Range; floats and decimals a bound."""
    for inner in (
        getattr(field, "inner", None),  # List(Integer())
        getattr(field, "value_field", None),  # Dict(values=Float())
        *getattr(field, "tuple_fields", ()),
    ):
        if inner is not None:
            _bound_numbers(inner)
    if isinstance(field, ma.fields.Integer):
        # A Range open at one end (`Range(min=1)`) still needs the column's bound at the
        # other: 2**63 in a query string reached SQLite as an OverflowError (a 500).
        closed = any(
            isinstance(v, ma.validate.Range) and v.min is not None and v.max is not None
            for v in field.validators
        )
        if not closed:
            field.validators = [*field.validators, ma.validate.Range(min=INT32_MIN, max=INT32_MAX)]
    elif isinstance(field, ma.fields.Number) and not getattr(field, "cbec_bounded", False):
        _bound_real(field)


class BaseSchema(ma.Schema):
    """Every input schema: unknown fields are errors and unstorable text gives 422."""

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        """Bound every number (422, not 500): integers to the column range, others to 1e15."""
        _bound_numbers(field_obj)

    @ma.pre_load(pass_collection=True)
    def _reject_unstorable_text(self, data: Any, **_kwargs: Any) -> Any:
        errors: dict = {}
        # webargs hands query strings as a MultiDict proxy.
        if hasattr(data, "to_dict"):
            _scan_multidict(data, errors)
        else:
            _scan(data, "", errors)
        if errors:
            raise ValidationError(errors)
        return data


def require(*names: str):
    """A `validates_schema` hook for a class body: 422 naming each of `names` missing.

    For create schemas that share their fields with a patch schema (where all are optional).
    """

    @ma.validates_schema(skip_on_field_errors=False, pass_original=True)
    def _required(self, data, original, **_kw):
        given = original if isinstance(original, dict) else {}
        missing = {f: ["Missing data for required field."] for f in names if f not in given}
        if missing:
            raise ma.ValidationError(missing)

    _required.cbec_required = names  # the OpenAPI spec lists them as required (core/api.py)
    return _required


class OutSchema(ma.Schema):
    """Output schemas: dump only; no input rules apply."""


class PageArgs(BaseSchema):
    """`?page=1&per_page=20` (at most 100)."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


_envelopes: dict[str, type[ma.Schema]] = {}


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The list envelope `{items, total, page, per_page}` for `item_schema`."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    if name not in _envelopes:
        _envelopes[name] = type(
            name,
            (OutSchema,),
            {
                "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
                "total": ma.fields.Integer(required=True),
                "page": ma.fields.Integer(required=True),
                "per_page": ma.fields.Integer(required=True),
            },
        )
    return _envelopes[name]
