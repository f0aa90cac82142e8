"""Money: two-place decimals of yuan, whole fen in the database, and the Amount field."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.core.money import MAX_AMOUNT, Amount, from_fen, text, to_fen

fen = st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100))


@given(fen)
def test_fen_and_yuan_convert_both_ways_exactly(n):
    assert to_fen(from_fen(n)) == n
    assert from_fen(n) == Decimal(n) / 100


@given(fen, fen)
def test_sums_in_fen_are_sums_in_yuan(a, b):
    assert from_fen(a + b) == from_fen(a) + from_fen(b)


def test_a_third_decimal_place_is_refused():
    with pytest.raises(ValueError, match="two decimal places"):
        to_fen(Decimal("0.001"))
    assert text(Decimal("12.5")) == "12.50"
    assert text(None) is None


class _Form(ma.Schema):
    amount = Amount()
    fee = Amount(allow_zero=True)


@pytest.mark.parametrize(
    ("given_", "expected"),
    [("1200.5", "1200.50"), (0.1, "0.10"), (0.3, "0.30"), (7, "7.00"), ("1e3", "1000.00")],
)
def test_amounts_are_read_as_written(given_, expected):
    assert text(_Form().load({"amount": given_})["amount"]) == expected


@pytest.mark.parametrize(
    "bad", ["0", "-0.01", "0.001", "1e-3", "abc", "NaN", "Infinity", True, None, [], "1e13"]
)
def test_bad_amounts_are_refused(bad):
    with pytest.raises(ma.ValidationError) as exc:
        _Form().load({"amount": bad})
    assert "amount" in exc.value.messages


def test_zero_only_where_allowed_and_amounts_dump_as_text():
    assert _Form().load({"fee": "0"})["fee"] == Decimal("0.00")
    assert _Form().dump({"amount": Decimal("3.1"), "fee": None}) == {"amount": "3.10", "fee": None}
