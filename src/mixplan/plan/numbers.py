"""How big and how precise a number in a plan may be: the one rule for the loader and the models.

Python's Decimal keeps any exponent it is given: `1.0e-999999999` is 18
characters in a plan but a billion digits once printed, and `1.0e+99999999`
never finishes turning into a whole number. The loader refuses numbers no
plan needs (more than 30 digits, beyond 10^18, or finer than 10^-30) before
any arithmetic; the amount, number and share fields then keep 6 decimals at
most, which leaves the arithmetic done on them (cents, sums over every
means, ratios) well inside Decimal's 28 digits.

This module imports nothing heavy: the loader and the field types share it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..language import grouped, say
from ..rule_ids import INVALID_VALUE

MAX_DIGITS = 30
# Counts go up to 10^15 and amounts to 10^12: the loader's bound is far above both.
MAX_WHOLE_DIGITS = 19
_WHOLE_LIMIT = 10**MAX_WHOLE_DIGITS
MAX_LOADED_DECIMALS = 30
MAX_DECIMALS = 6
# A number written with more characters than this is not a number a plan needs.
MAX_NUMBER_TEXT = 80
# The largest amount a plan may hold (fields.MONEY_CEILING), as the refusal of a far larger number states it.
_AMOUNT_CEILING = 10**12


def _shape(value: Decimal) -> tuple[int, int, int]:
    """(significant digits, digits before the point, digits after it), trailing zeros after the point dropped."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    significant = len(digits)
    while significant > 1 and digits[significant - 1] == 0 and exponent < 0:
        significant -= 1
        exponent += 1
    if digits == (0,):
        return 1, 1, max(0, -exponent)
    return significant, max(0, significant + exponent), max(0, -exponent)


def too_many_decimals(shown: str, decimals: int) -> str:
    return say(f"{INVALID_VALUE}.too_many_decimals", shown=shown, decimals=decimals)


def loaded_number_problem(text: str, value: Decimal | int) -> str | None:
    """Why a number read from a plan is refused before any arithmetic, or None when it is fine."""
    if len(text) > MAX_NUMBER_TEXT:
        return say(f"{INVALID_VALUE}.number_too_long", shown=text[:37])
    if isinstance(value, int):
        if -_WHOLE_LIMIT < value < _WHOLE_LIMIT:
            return None
    elif len(text) <= MAX_WHOLE_DIGITS and "e" not in text and "E" not in text:
        return None  # too few characters to break any bound: the common case, decided without arithmetic
    shown = text if len(text) <= 40 else text[:37] + "..."
    if isinstance(value, float):
        return None  # .inf and .nan: the models say "not a finite number"
    if isinstance(value, int):
        return _too_large(shown)
    if not value.is_finite():
        return None  # the models say "not a finite number"
    digits, whole, decimals = _shape(value)
    if whole > MAX_WHOLE_DIGITS:
        return _too_large(shown)
    if digits > MAX_DIGITS:
        return say(f"{INVALID_VALUE}.too_many_digits", shown=shown, digits=MAX_DIGITS)
    if decimals > MAX_LOADED_DECIMALS:
        return too_many_decimals(shown, MAX_DECIMALS)
    return None


def _too_large(shown: str) -> str:
    return say(f"{INVALID_VALUE}.too_large", shown=shown, ceiling=grouped(_AMOUNT_CEILING))


def decimals_problem(value: object) -> str | None:
    """Why an amount, number or share has too many decimals to be used, or None (ints always pass)."""
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except (InvalidOperation, ValueError):
            return None  # the model explains what a number looks like
        shown = value.strip()
    elif isinstance(value, Decimal):
        number, shown = value, str(value)
    else:
        return None
    if not number.is_finite():
        return None
    if _shape(number)[2] > MAX_DECIMALS:
        return too_many_decimals(shown if len(shown) <= 40 else shown[:37] + "...", MAX_DECIMALS)
    return None


# YAML 1.1 reads `0777` as 511, `1:20` as 80 and `1_000` as 1000. A number whose
# text is not how Python would print it keeps the text it was written as:
# `str()` gives it back, so a text field (which takes numbers as text) keeps the
# characters written, while a number field reads the value as before.


class WrittenInt(int):
    source: str  # set by as_written; int subclasses cannot have slots

    def __str__(self) -> str:
        return self.source


class WrittenDecimal(Decimal):
    __slots__ = ("source",)
    source: str

    def __str__(self) -> str:
        return self.source


class WrittenFloat(float):
    __slots__ = ("source",)
    source: str

    def __str__(self) -> str:
        return self.source


_WRITTEN = {int: WrittenInt, Decimal: WrittenDecimal, float: WrittenFloat}


def as_written(value: int | Decimal | float, text: str) -> int | Decimal | float:
    """`value`, remembering `text` when `str(value)` would not give it back."""
    if str(value) == text:
        return value
    written = _WRITTEN[type(value)](value)
    written.source = text
    return written


# Numbers as people write them in a document rather than in a plan: `35 %`,
# `1 234,56 €`, `1.234,56`. They are never read as numbers (a plan means one
# thing by `1.234`); these only find the plain form a message can suggest.
_PERCENTAGE = re.compile(r"\s*([+-]?\d+(?:[.,]\d+)?)\s*%\s*")
_CURRENCY = re.compile(r"[€$£¥]|\b(?:EUR|USD|GBP|CHF|CAD|JPY|euros?|dollars?)\b", re.IGNORECASE)
_WRITTEN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")
_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+")


def percentage_as_fraction(text: str) -> tuple[str, str] | None:
    """(the number before the %, as written; the same as a fraction of 1) for `35 %`, else None."""
    match = _PERCENTAGE.fullmatch(text)
    if match is None:
        return None
    written = match.group(1)
    fraction = (Decimal(written.replace(",", ".")) / 100).normalize()
    return written, f"{fraction:f}"


def plain_number_forms(text: str) -> tuple[str, str | None] | None:
    """The plain number a person most likely meant by `1 234,56 €`, and another reading when one separator is ambiguous.

    None when `text` does not look like a number written with spaces, separators or a currency.
    """
    bare = "".join(_CURRENCY.sub("", text).split()).replace("'", "").replace("\u2019", "")
    if bare == text.strip() and ("," not in bare) and bare.count(".") < 2:
        return None  # nothing a person adds to a number: the text is not one
    if _WRITTEN_NUMBER.fullmatch(bare) is None:
        return None
    sign = bare[0] if bare[0] in "+-" else ""
    digits = bare.lstrip("+-")
    separators = [char for char in digits if char in ".,"]
    if not separators:
        return sign + digits, None
    last = separators[-1]
    whole, _, decimals = digits.rpartition(last)
    if len(set(separators)) == 2:
        if separators.count(last) > 1 or not _GROUPS.fullmatch(whole):
            return None
        return sign + re.sub(r"[.,]", "", whole) + "." + decimals, None
    if len(separators) > 1:
        return (sign + digits.replace(last, ""), None) if _GROUPS.fullmatch(digits) else None
    if len(decimals) == 3:
        # `1,234` or `1.234`: thousands most likely in an amount, but decimals in some languages.
        return sign + whole + decimals, sign + whole + "." + decimals
    return sign + whole + "." + decimals, None
