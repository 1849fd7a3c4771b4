"""Verification codes of issued letters: random, unguessable, easy to type, with a check symbol.

A code is 15 random symbols of Crockford's base32 alphabet (75 bits) plus one check symbol computed with
Damm's algorithm over the field GF(32) (x ∘ y = α·x + y, a totally anti-symmetric quasigroup), printed in
four groups of four (``7QX2-M9KD-4RTA-JH3P``). The check symbol catches every single mistyped symbol and
every swap of two different neighbours (Luhn mod 32 misses some swaps), so a typo is reported as such
instead of as "not found". Reading is forgiving the way Crockford intends: case, spaces
and hyphens do not matter, ``I``/``L`` read as ``1`` and ``O`` as ``0``.
"""

from __future__ import annotations

import secrets
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 15
LENGTH = RANDOM_LENGTH + 1
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_READS_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None, "\u00a0": None})


class CodeState(StrEnum):
    WELL_FORMED = "well-formed"  # right length and alphabet, check symbol matches
    MISTYPED = "mistyped"  # right length and alphabet, check symbol does not match
    MALFORMED = "malformed"  # wrong length or a symbol outside the alphabet


def _times_alpha(value: int) -> int:
    """Multiplies `value` by the generator α of GF(32) = GF(2)[x] / (x⁵ + x² + 1)."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _interim(symbols: str) -> int:
    interim = 0
    for symbol in symbols:
        interim = _times_alpha(interim) ^ _VALUE[symbol]
    return interim


def check_symbol(body: str) -> str:
    """Returns the check symbol of `body` (symbols of ALPHABET): the one that brings the interim to 0."""
    return ALPHABET[_times_alpha(_interim(body))]


def new_code() -> str:
    """Returns a fresh code (16 symbols, no separators) from the operating system's random source."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_symbol(body)


def normalise(typed: str) -> str:
    """Returns `typed` as a code would be stored: upper case, no separators, I/L → 1, O → 0."""
    return (typed or "").upper().translate(_READS_AS)[:64]


def code_state(code: str) -> CodeState:
    """Tells whether a normalised `code` could be a code at all, and whether its check symbol fits."""
    if len(code) != LENGTH or any(symbol not in _VALUE for symbol in code):
        return CodeState.MALFORMED
    if _interim(code) != 0:
        return CodeState.MISTYPED
    return CodeState.WELL_FORMED


def grouped(code: str) -> str:
    """Returns `code` in four groups of four symbols."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
