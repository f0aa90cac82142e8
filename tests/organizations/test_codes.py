"""Unit and property tests for the identifier checks in cbec_alliance/organizations/codes.py."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from cbec_alliance.organizations.codes import (
    USCC_ALPHABET,
    school_code_error,
    uscc_check_char,
    uscc_error,
)

# GB 32100-2015, restated here independently of the module under test.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def reference_check(body: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def test_alphabet_and_weights_match_the_standard():
    assert USCC_ALPHABET == ALPHABET
    assert len(set(ALPHABET)) == 31
    assert not set("IOSVZ") & set(ALPHABET)
    # Weights are 3**i mod 31.
    assert tuple(pow(3, i, 31) for i in range(17)) == WEIGHTS


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "91110000600037341L",
    ],
)
def test_known_codes_are_valid(code):
    assert uscc_error(code) is None
    assert uscc_check_char(code[:17]) == code[17]


def test_known_example_check_character():
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert uscc_error("91350100M000100Y44") == "check character does not match"


def test_codes_with_a_letter_first_are_accepted():
    # Registration authorities A, N and Y put a letter first; stdnum's validate() refuses them,
    # so uscc_error uses its check character only.
    body = "N2440101MA5CXY123"
    code = body + reference_check(body)
    assert uscc_error(code) is None
    assert not stdnum_uscc.is_valid(code)


# The first text strategy in a fresh checkout builds Hypothesis's character map (over a
# second, counted as slow generation), whichever test comes first.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
    st.one_of(st.none(), st.sampled_from(ALPHABET)),
)
def test_agrees_with_stdnum_where_the_first_eight_are_digits(head, middle, last):
    # None: the right check character, so valid and invalid codes are drawn alike.
    body = head + middle
    code = body + (reference_check(body) if last is None else last)
    assert (uscc_error(code) is None) == stdnum_uscc.is_valid(code)


def test_check_is_zero_when_sum_divides_31():
    # All zeros sum to 0 -> 31 - 0 = 31, which counts as 0.
    assert uscc_check_char("0" * 17) == "0"
    assert uscc_error("0" * 18) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "18 characters"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y433", "18 characters"),
        ("91350100I000100Y43", "not allowed: I"),
        ("91350100m000100Y43", "not allowed: m"),
        ("9135O1S0V000Z00Y43", "not allowed: OSVZ"),
        ("9135０100M000100Y43", "not allowed"),
    ],
)
def test_error_messages(code, fragment):
    error = uscc_error(code)
    assert error is not None
    assert fragment in error


@given(bodies)
def test_body_plus_its_check_char_is_valid(body):
    check = uscc_check_char(body)
    assert check in ALPHABET
    assert check == reference_check(body)
    assert uscc_error(body + check) is None


@given(bodies, st.data())
def test_any_other_check_char_is_invalid(body, data):
    right = uscc_check_char(body)
    wrong = data.draw(st.sampled_from([c for c in ALPHABET if c != right]))
    assert uscc_error(body + wrong) == "check character does not match"


@given(bodies, st.integers(min_value=0, max_value=17), st.data())
def test_every_single_substitution_is_detected(body, position, data):
    code = body + uscc_check_char(body)
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert uscc_error(changed) is not None


@given(bodies, st.integers(min_value=0, max_value=17), st.characters())
def test_characters_outside_the_alphabet_are_rejected(body, position, ch):
    code = body + uscc_check_char(body)
    changed = code[:position] + ch + code[position + 1 :]
    if ch in ALPHABET:
        return
    error = uscc_error(changed)
    assert error is not None


@given(st.text(max_size=30).filter(lambda s: len(s) != 18))
def test_wrong_length_is_always_invalid(code):
    assert uscc_error(code) == "must be 18 characters"


@pytest.mark.parametrize("code", ["4144010559", "0000000000", "1234567890"])
def test_school_code_valid(code):
    assert school_code_error(code) is None


@pytest.mark.parametrize(
    "code",
    [
        "",
        "123456789",
        "12345678901",
        "12345678A0",
        "１２３４５６７８９０",
        "١٢٣٤٥٦٧٨٩٠",
        "12345 789 ",
    ],
)
def test_school_code_invalid(code):
    assert school_code_error(code) == "must be 10 digits"


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_any_ten_ascii_digits_are_a_school_code(code):
    assert school_code_error(code) is None
