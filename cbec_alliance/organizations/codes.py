"""Identifier checks: the unified social credit code (GB 32100-2015) and the school code."""

from __future__ import annotations

from flask_babel import gettext as _
from stdnum.cn import uscc

# The standard's 31 characters (the digits and the capitals but I, O, S, V, Z); kept here for
# the error that names the characters a code may not contain.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    return uscc.calc_check_digit(first17)


def uscc_error(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return _("must be 18 characters")
    # Checked on the code as given: stdnum would first upper-case it and drop spaces and dashes,
    # and a stored code must be exactly the registered one.
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return _(
            "characters not allowed: %(bad)s (I, O, S, V, Z and lower case are never used)",
            bad="".join(bad),
        )
    # stdnum's check character, not its validate(): that also wants digits in the first
    # eight places, but registration authorities A, N and Y (GB 32100-2015 and its
    # amendments; N: rural collective economic organisations) put a letter first.
    if uscc.calc_check_digit(code[:17]) != code[17]:
        return _("check character does not match")
    return None


def school_code_error(code: str) -> str | None:
    """Why `code` is not a 10-digit school code, or None when it is."""
    if len(code) != 10 or not code.isascii() or not code.isdigit():
        return _("must be 10 digits")
    return None
