"""The metrics of plan format 1: each computed metric from raw counts, in Decimal.

Pure functions over counts; no I/O except reading the label catalogues for
the metrics' names. A metric is undefined (None, shown "—") when a count it
needs is missing or its denominator is zero: never 0, never an error.

A computed metric over several rows (a means over months, an objective over
its means) is the ratio of sums, taken over the rows that hold every count
the formula needs, so a row without impressions does not dilute a CTR.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ..plan import vocab

Unit = Literal["money", "ratio", "count"]
Counts = Mapping[str, Any]
Value = Decimal | None

# Costs and bounces are better low; every other metric is better high. Spend
# has no direction as an objective (rule MP408), but when progress is judged,
# spending less than planned counts as the better side.
_LOWER_IS_BETTER = vocab.LOWER_IS_BETTER | vocab.NO_DIRECTION


@dataclass(frozen=True)
class MetricInfo:
    key: str
    unit: Unit
    higher_is_better: bool

    @property
    def computed(self) -> bool:
        return self.key in vocab.COMPUTED_METRICS

    @property
    def additive(self) -> bool:
        """Raw counts add up over months and means; ratios do not."""
        return self.key in vocab.RAW_COUNTS

    def name(self, language: str) -> str:
        return _catalogue_names(language)[self.key]


def _unit(key: str) -> Unit:
    if vocab.METRIC_UNIT[key] == "money":
        return "money"
    return "count" if key in vocab.PLAIN_COUNTS else "ratio"


METRIC_INFO: dict[str, MetricInfo] = {
    key: MetricInfo(key, _unit(key), key not in _LOWER_IS_BETTER) for key in vocab.METRICS
}


def info(metric: str) -> MetricInfo:
    return METRIC_INFO[metric]


@functools.cache
def _catalogue_names(language: str) -> dict[str, str]:
    import yaml

    from ..assets import templates_dir

    if language not in vocab.LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    with (templates_dir() / "labels" / f"{language}.yaml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle)["metrics"])


# --- formulas -------------------------------------------------------------------------


def _count(counts: Counts, key: str) -> Value:
    value = counts.get(key)
    return None if value is None else Decimal(value)


def _first(*keys: str) -> Callable[[Counts], Value]:
    """The first of several counts that is present (sessions, else clicks)."""

    def pick(counts: Counts) -> Value:
        for key in keys:
            value = _count(counts, key)
            if value is not None:
                return value
        return None

    return pick


def _just(key: str) -> Callable[[Counts], Value]:
    return lambda counts: _count(counts, key)


def _margin(counts: Counts) -> Value:
    revenue, spend = _count(counts, "revenue"), _count(counts, "spend")
    return None if revenue is None or spend is None else revenue - spend


def _thousand_times_spend(counts: Counts) -> Value:
    spend = _count(counts, "spend")
    return None if spend is None else 1000 * spend


@dataclass(frozen=True)
class Formula:
    numerator: Callable[[Counts], Value]
    denominator: Callable[[Counts], Value]


FORMULAS: dict[str, Formula] = {
    "roi": Formula(_margin, _just("spend")),
    "roas": Formula(_just("revenue"), _just("spend")),
    "cac": Formula(_just("spend"), _just("new_customers")),
    "cpl": Formula(_just("spend"), _just("leads")),
    "cpc": Formula(_just("spend"), _just("clicks")),
    "cpm": Formula(_thousand_times_spend, _just("impressions")),
    "ctr": Formula(_just("clicks"), _just("impressions")),
    "conversion_rate": Formula(_just("conversions"), _first("sessions", "clicks")),
    "bounce_rate": Formula(_just("bounces"), _just("sessions")),
    "engagement_rate": Formula(_just("engagements"), _first("reach", "impressions")),
    "average_order_value": Formula(_just("revenue"), _just("conversions")),
    "new_customer_share": Formula(_just("new_customers"), _just("conversions")),
}


def ratio(numerator: Value, denominator: Value) -> Value:
    """numerator / denominator, undefined when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def counts_of(row: Any) -> dict[str, Any]:
    """The raw counts of a results row (or forecast, or mapping) that are present."""
    if isinstance(row, Mapping):
        return {key: row[key] for key in vocab.RAW_COUNTS if row.get(key) is not None}
    return {key: getattr(row, key) for key in vocab.RAW_COUNTS if getattr(row, key, None) is not None}


def compute(metric: str, counts: Counts) -> Value:
    """One metric from one set of counts (a row, or totals)."""
    if metric in vocab.RAW_COUNTS:
        return _count(counts, metric)
    formula = FORMULAS[metric]
    return ratio(formula.numerator(counts), formula.denominator(counts))


_RAW_COUNTS = frozenset(vocab.RAW_COUNTS)


def total(metric: str, rows: Iterable[Counts]) -> Value:
    """A metric over several rows: the sum of a count, or the ratio of sums.

    A count is missing (None) when no row holds it. A computed metric uses
    only the rows that hold both its numerator and its denominator.
    """
    if metric in _RAW_COUNTS:
        found = False
        summed = Decimal(0)
        for row in rows:
            value = row.get(metric)
            if value is not None:
                summed += value
                found = True
        return summed if found else None
    return ratio(*ratio_parts(metric, rows))


def ratio_parts(metric: str, rows: Iterable[Counts]) -> tuple[Decimal | None, Decimal | None]:
    """A computed metric's numerator and denominator summed over the rows that hold both (None where none does)."""
    formula = FORMULAS[metric]
    numerator = denominator = None
    for row in rows:
        top, bottom = formula.numerator(row), formula.denominator(row)
        if top is None or bottom is None:
            continue
        numerator = top if numerator is None else numerator + top
        denominator = bottom if denominator is None else denominator + bottom
    return numerator, denominator


def summed(rows: Iterable[Counts]) -> dict[str, Decimal]:
    """Every raw count summed over rows; counts no row holds are left out."""
    sums: dict[str, Decimal] = {}
    for row in rows:
        for key in vocab.RAW_COUNTS:
            if row.get(key) is not None:
                sums[key] = sums.get(key, Decimal(0)) + Decimal(row[key])
    return sums
