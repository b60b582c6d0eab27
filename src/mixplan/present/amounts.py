"""Amounts as plain text, without Babel: messages, terminal tables, diffs and machine-readable exports.

The deliverable formats money per locale (present.formatting); everything
else that shows an amount uses these, so validate, status, diff and the
exports never load Babel and always agree on how an amount reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..language import grouped

# Metrics whose figures are amounts the plan itself sets (not costs per unit,
# which come from a division and have cents by nature).
_PLANNED_MONEY_METRICS = ("spend", "revenue")

# Money metrics that are a cost per unit (spend divided by a count): in a plan
# of whole amounts they keep their cents below UNIT_COST_CENTS_BELOW units,
# where 13.42 would otherwise read as 13.
UNIT_COSTS = frozenset({"cac", "cpl", "cpc", "cpm"})
UNIT_COST_CENTS_BELOW = 100


def unit_cost_keeps_cents(amount: Decimal) -> bool:
    """Whether a cost per unit shows its cents even in a plan of whole amounts."""
    return abs(amount) < UNIT_COST_CENTS_BELOW and amount != amount.to_integral_value()


def amount_text(value: Decimal, currency: str, cents: bool = True) -> str:
    """An amount for tables that line amounts up: 12,000.00 EUR, or 12,000 EUR in a plan of whole amounts."""
    return f"{value:,.2f} {currency}" if cents else f"{value:,.0f} {currency}"


def writes_cents(plan: Any) -> bool:
    """Whether any amount the plan sets has a fractional part, so that its deliverable shows cents.

    Decided once per plan, for every amount it shows, so that a column lines
    up: a plan budgeted in whole euros reads "60 000 €" throughout, one with
    a cost of 19.90 reads "60 000,00 €". The amounts that decide are those
    the plan sets (budget, reserve, other costs, means' costs and forecasts,
    the list price, spend and revenue targets); measured results do not, so
    that importing a month of invoices to the cent does not change how the
    budget on the cover reads.
    """
    return any(amount != amount.to_integral_value() for amount in _planned_amounts(plan))


def _planned_amounts(plan: Any) -> Iterator[Decimal]:
    budget = plan.budget
    yield budget.total
    yield budget.reserve
    yield from (line.cost for line in budget.lines)
    price = plan.mix.price if plan.mix is not None else None
    if price is not None and price.list_price is not None:
        yield price.list_price
    for objective in plan.objectives:
        if objective.metric in _PLANNED_MONEY_METRICS:
            yield objective.target
            if objective.baseline is not None:
                yield objective.baseline
    for means in plan.means:
        yield means.cost
        yield from (kpi.target for kpi in means.kpis if kpi.metric in _PLANNED_MONEY_METRICS)
        if means.forecast is not None:
            yield from (
                value
                for value in (getattr(means.forecast, metric) for metric in _PLANNED_MONEY_METRICS)
                if value is not None
            )


def plain_amount(value: Decimal, currency: str) -> str:
    """An amount for sentences, whole amounts without cents: 12,000 EUR or 12,000.50 EUR."""
    return amount_text(value, currency).replace(".00 ", " ")


def said_amount(value: Decimal, currency: str) -> str:
    """An amount in a message, written as the current language writes it: 18,500.50 EUR, or 18 500,50 EUR in French."""
    cents = value.quantize(Decimal("0.01"))
    return f"{grouped(cents if cents != cents.to_integral_value() else cents.quantize(Decimal(1)))} {currency}"


def signed_amount(value: Decimal, currency: str) -> str:
    """A change of amount, always signed: +500 EUR, -1,200.50 EUR."""
    return ("+" if value >= 0 else "-") + plain_amount(abs(value), currency)


def plain_decimal(amount: Decimal) -> str:
    """An amount any spreadsheet or script reads back: no grouping, no exponent, point as separator."""
    return format(amount, "f")
