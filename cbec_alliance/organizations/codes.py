"""Identifier checks: the unified social credit code (GB 32100-2015) and the school code."""

from __future__ import annotations

from flask_babel import gettext as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    check = 31 - total % 31
    return USCC_ALPHABET[0 if check == 31 else check]


def uscc_error(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return _("must be 18 characters")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return _(
            "characters not allowed: %(bad)s (I, O, S, V, Z and lower case are never used)",
            bad="".join(bad),
        )
    if uscc_check_char(code[:17]) != code[17]:
        return _("check character does not match")
    return None


def school_code_error(code: str) -> str | None:
    """Why `code` is not a 10-digit school code, or None when it is."""
    if len(code) != 10 or not code.isascii() or not code.isdigit():
        return _("must be 10 digits")
    return None
