"""Money: yuan (CNY) as exact decimals with two places, stored as whole fen.

SQLite has no exact decimal: a `Numeric` column is stored as a double there, and a capacity
test such as `granted + 0.10 <= 0.30` fails when `granted` is 0.20. So an amount is kept as an
integer of fen (分, 0.01 yuan) in a BIGINT column, which both databases add and compare
exactly, and Python sees a `Decimal` with two places. A bound parameter compared with or
added to such a column goes through the same conversion, so the capacity counter
(`core.capacity.take(spec, row, Decimal("300.00"))`) works in fen without knowing it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import marshmallow as ma
import sqlalchemy as sa

CENT = Decimal("0.01")
# The largest amount accepted anywhere: 1,000,000,000,000.00 yuan, far below BIGINT in fen.
MAX_AMOUNT = Decimal(10) ** 12
ZERO = Decimal("0.00")


def to_fen(amount: Decimal) -> int:
    """Whole fen of an amount with at most two decimal places (ValueError otherwise)."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has more than two decimal places")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """The amount in yuan (two places) of `fen`."""
    return (Decimal(int(fen)) / 100).quantize(CENT)


def text(amount: Decimal | None) -> str | None:
    """`amount` as text with two places ("1200.50"), or None."""
    return None if amount is None else str(Decimal(amount).quantize(CENT))


class Money(sa.types.TypeDecorator):
    """A Decimal amount of yuan in Python, a BIGINT of fen in the database."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> int | None:
        """Decimal (or int) yuan -> fen."""
        if value is None:
            return None
        return to_fen(Decimal(value))

    def process_result_value(self, value: Any, dialect) -> Decimal | None:
        """fen -> Decimal yuan."""
        return None if value is None else from_fen(value)

    def coerce_compared_value(self, op, value):
        """A value compared with or added to a money column is money too (bound in fen)."""
        return self


class Amount(ma.fields.Field):
    """A positive amount of yuan, at most two decimal places, up to 10^12.

    Accepts a JSON number or a decimal string ("1200.50"); returns a Decimal with two places
    and dumps as a string. A number is read as written (0.1 is 0.10, not a binary fraction).
    """

    default_error_messages = {  # noqa: RUF012 - marshmallow's own class attribute
        "invalid": "Not a valid amount: a positive number of yuan with at most two decimals.",
        "places": "At most two decimal places (fen).",
        "range": "Must be greater than 0 and at most 1000000000000.",
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        docs = {"type": "string", "pattern": r"^\d{1,13}(\.\d{1,2})?$", "example": "50000.00"}
        kwargs["metadata"] = {**docs, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)
        self.allow_zero = allow_zero

    def _serialize(self, value, attr, obj, **kwargs):
        return text(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.make_error("invalid")
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation as exc:
            raise self.make_error("invalid") from exc
        if not amount.is_finite():
            raise self.make_error("invalid")
        low_ok = amount >= 0 if self.allow_zero else amount > 0
        if not low_ok or amount > MAX_AMOUNT:
            raise self.make_error("range")
        if amount != amount.quantize(CENT):
            raise self.make_error("places")
        return amount.quantize(CENT)
