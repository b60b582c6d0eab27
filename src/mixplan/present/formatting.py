"""Locale-aware money, dates, percentages and metric values (Babel), as the deliverable shows them."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from ..plan import vocab
from .amounts import UNIT_COSTS, unit_cost_keeps_cents

# --- formatting ------------------------------------------------------------------


@dataclass(frozen=True)
class _MoneyShape:
    prefix: str
    suffix: str
    negative_prefix: str
    negative_suffix: str
    group: str
    decimal: str
    digits: int

    PROBES = ("0", "0.005", "0.015", "-0.004", "7", "-12.345", "999.995", "1000", "-1234567.891", "98765432.1")

    @classmethod
    def read(cls, babel_format: Callable[[Decimal], str]) -> _MoneyShape | None:
        try:
            positive = cls._split(babel_format(Decimal("1234567.891")))
            negative = cls._split(babel_format(Decimal("-1234567.891")))
        except ValueError:
            return None
        prefix, number, suffix = positive
        negative_prefix, negative_number, negative_suffix = negative
        if number != negative_number or len(number) < 9 or not number[0].isdigit():
            return None
        group = number[1]
        integer_end = len(number)
        decimal, digits = "", 0
        tail = re.search(r"(\D)(\d+)$", number)
        if tail and number.count(tail.group(1)) == 1 and tail.group(1) != group:
            decimal, digits = tail.group(1), len(tail.group(2))
            integer_end = tail.start()
        if number[:integer_end].replace(group, "") not in ("1234567", "1234568"):  # 68: no decimals, rounded
            return None
        shape = cls(prefix, suffix, negative_prefix, negative_suffix, group, decimal, digits)
        if any(shape.format(Decimal(p)) != babel_format(Decimal(p)) for p in cls.PROBES):
            return None
        return shape

    @staticmethod
    def _split(text: str) -> tuple[str, str, str]:
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if not digits:
            raise ValueError(text)
        return text[: digits[0]], text[digits[0] : digits[-1] + 1], text[digits[-1] + 1 :]

    def format(self, amount: Decimal) -> str:
        rounded = amount.quantize(Decimal(1).scaleb(-self.digits))  # half-even, as Babel rounds
        whole, _, fraction = f"{abs(rounded):f}".partition(".")
        text = f"{int(whole):,}".replace(",", self.group)
        if self.digits:
            text += self.decimal + fraction
        if rounded.is_signed():
            return self.negative_prefix + text + self.negative_suffix
        return self.prefix + text + self.suffix


@dataclass(frozen=True)
class Formatter:
    """Locale-aware formatting of the values a deliverable shows.

    A plan repeats the same few hundred days and many amounts in every
    table, and each Babel call re-reads locale data; so each formatted value
    is remembered for the life of the formatter (one rendering).
    """

    locale: str
    currency: str
    # Whole units when the plan's own amounts are whole (amounts.writes_cents):
    # "60 000 €" rather than "60 000,00 €". Decided once per plan, never per amount,
    # so that a column of amounts lines up.
    whole_units: bool = False
    _seen: dict[str, dict[Any, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @functools.cached_property
    def _locale(self) -> Locale:
        # Parsed once: Babel would parse the identifier again on every call.
        return Locale.parse(self.locale)

    def _remembered(self, kind: str, value: Any, make: Callable[[Any], str]) -> str:
        if value is None:
            return "—"
        # Only amounts and days are remembered: 1 == True == Decimal(1) would
        # share a key, and other types are rare.
        if type(value) is not Decimal and type(value) is not _dt.date:
            return make(value)
        seen = self._seen.get(kind)
        if seen is None:
            seen = self._seen[kind] = {}
        text = seen.get(value)
        if text is None:
            text = seen[value] = make(value)
        return text

    def money(self, amount: Decimal | None) -> str:
        if self.whole_units:
            return self._remembered("money_whole", amount, self._whole_money)
        return self._remembered("money", amount, self._money)

    def unit_cost(self, amount: Decimal | None) -> str:
        """Money got by division (a CAC, a cost per click): its cents kept while they still matter.

        In a plan of whole amounts, a cost per click of 0,42 € or a CAC of
        13,42 € would read as 0 € or 13 €; under 100 units the cents stay,
        from 100 up the amount is whole like the rest of the plan.
        """
        if amount is not None and self.whole_units and not unit_cost_keeps_cents(Decimal(amount)):
            return self.money(amount)
        return self._remembered("money", amount, self._money)

    def _money(self, amount: Decimal) -> str:
        fast = self._money_shape
        if fast is not None and type(amount) in (Decimal, int):
            return fast(Decimal(amount))
        return format_currency(amount, self.currency, locale=self._locale)

    def _whole_money(self, amount: Decimal) -> str:
        rounded = Decimal(amount).quantize(Decimal(1))  # half-even, as Babel rounds cents
        if rounded == 0:
            rounded = abs(rounded)  # -0.40 € is 0 €, not -0 €
        fast = self._whole_money_shape
        if fast is not None:
            return fast(rounded)
        return self._babel_whole(rounded)

    def _babel_whole(self, amount: Decimal) -> str:
        pattern = self._locale.currency_formats["standard"].pattern
        whole_pattern = re.sub(r"\.0+", "", pattern.split(";")[0])
        return format_currency(amount, self.currency, format=whole_pattern, locale=self._locale, currency_digits=False)

    @functools.cached_property
    def _whole_money_shape(self) -> Callable[[Decimal], str] | None:
        shape = _MoneyShape.read(self._babel_whole)
        return shape.format if shape is not None else None

    @functools.cached_property
    def _money_shape(self) -> Callable[[Decimal], str] | None:
        """Amounts laid out as Babel lays them out, without Babel's cost per amount.

        A plan of 10,000 means shows as many distinct amounts, and Babel's
        pattern engine costs ~20 µs each. The layout (symbol, separators,
        digits, sign) is read off Babel's own output once, then checked
        against Babel on sample amounts; any difference and Babel does
        every amount itself.
        """
        shape = _MoneyShape.read(lambda value: format_currency(value, self.currency, locale=self._locale))
        return shape.format if shape is not None else None

    def date(self, day: _dt.date | None) -> str:
        return self._remembered("date", day, self._date)

    def _date(self, day: _dt.date) -> str:
        text = format_date(day, format="long", locale=self._locale)
        if day.day == 1 and self.locale.startswith("fr"):
            text = "1er" + text[1:]  # French writes the first of the month as an ordinal
        return text

    def short_date(self, day: _dt.date | None) -> str:
        """A date for dense tables: 8 Feb 2027 style, per locale."""
        return self._remembered("short_date", day, self._short_date)

    def _short_date(self, day: _dt.date) -> str:
        text = format_date(day, format="medium", locale=self._locale)
        if day.day == 1 and self.locale.startswith("fr"):
            text = "1er" + text[1:]  # 1er oct. 2027, as in the long form
        return text

    def day_month(self, day: _dt.date | None) -> str:
        """A day without its year, for a chart whose axis shows the year: "Jan 4", "4 janv."."""
        return self._remembered("day_month", day, self._day_month)

    def _day_month(self, day: _dt.date) -> str:
        from babel.dates import format_skeleton

        text = format_skeleton("MMMd", day, locale=self._locale)
        if day.day == 1 and self.locale.startswith("fr"):
            text = "1er" + text[1:]  # French writes the first of the month as an ordinal
        return text

    def percent(self, share: Decimal | None) -> str:
        return self._remembered("percent", share, self._percent)

    def _percent(self, share: Decimal) -> str:
        # One decimal at most, in the locale's own pattern (French puts a space before %).
        rounded = Decimal(share).quantize(Decimal("0.001")).normalize()
        return format_percent(rounded, locale=self._locale, decimal_quantization=False)

    def number(self, value: Decimal | int | None) -> str:
        return self._remembered("number", value, self._number)

    def _number(self, value: Decimal | int) -> str:
        return format_decimal(value, format="#,##0.##", locale=self._locale)

    def metric(self, metric: str, value: Decimal | None) -> str:
        """A metric's value in its unit: money, percent, multiple or count."""
        if value is None:
            return "—"
        unit = vocab.METRIC_UNIT.get(metric, "count")
        if unit == "money":
            return self.unit_cost(value) if metric in UNIT_COSTS else self.money(value)
        if unit == "percent":
            return self.percent(value)
        if unit == "multiple":
            return self.number(value) + "\u00d7"
        return self.number(value)
