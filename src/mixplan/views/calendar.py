"""The plan's calendar: each means' flights, spans, the months they touch, and a cost spread over them by its phasing.

The one module that turns a schedule into days and months. Every date range
is a `Span`, both ends included. A means may run in several flights (January
to March, then September to October): `flights` keeps them as written, sorted
and never merged, and `whole_span` is the first day to the last, gaps
included. Pure functions over the models; no I/O, no formatting.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the standard library at run time: the charts import the month grid from here
    from ..plan.model import Plan

UNIT = Decimal(1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Span:
    """A range of days, `start` and `end` both included."""

    start: _dt.date
    end: _dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period(plan: Plan) -> Span:
    return Span(plan.plan.period.start, plan.plan.period.end)


def flights(plan: Plan) -> dict[str, tuple[Span, ...]]:
    """Each scheduled means' flights in date order, as written: two flights are never merged into one."""
    found: dict[str, list[Span]] = {}
    for entry in plan.scheduled:
        found.setdefault(entry.means, []).append(Span(entry.start, entry.end))
    # Most means run once: a one-flight list has nothing to sort.
    return {
        means: (runs[0],) if len(runs) == 1 else tuple(sorted(runs, key=_span_order)) for means, runs in found.items()
    }


def _span_order(span: Span) -> tuple[_dt.date, _dt.date]:
    return span.start, span.end


def whole_span(runs: Sequence[Span]) -> Span:
    """From the first day of the first flight to the last day of the last one, gaps included."""
    if len(runs) == 1:
        return runs[0]
    return Span(min(r.start for r in runs), max(r.end for r in runs))


def spans(plan: Plan) -> dict[str, Span]:
    """Each scheduled means' whole span; a means that is not scheduled has none."""
    return {means: whole_span(runs) for means, runs in flights(plan).items()}


def overlap(span: Span, other: Span) -> int:
    """How many days the two spans have in common."""
    return _days_within(span, other.start, other.end)


def _days_within(span: Span, start: _dt.date, end: _dt.date) -> int:
    return max(0, (min(span.end, end) - max(span.start, start)).days + 1)


# --- months ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def month_end(month: _dt.date) -> _dt.date:
    # Cached: a large plan asks for the same few dozen month ends hundreds of thousands of times.
    return month.replace(day=_calendar.monthrange(month.year, month.month)[1])


def _next_month(day: _dt.date) -> _dt.date:
    return _dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


@functools.lru_cache(maxsize=4096)
def months(start: _dt.date, end: _dt.date) -> tuple[_dt.date, ...]:
    """The first day of every month that [start, end] touches, in order."""
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = _next_month(month)
    return tuple(found)


def month_starts(start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """Where a timeline's month grid is drawn: `start` itself, then the first day of every month begun by `end`."""
    days = [start]
    day = _next_month(start)
    while day <= end:
        days.append(day)
        day = _next_month(day)
    return days


def month_number(day: _dt.date) -> int:
    """The month of `day` counted from year 0, so that consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def month_numbers(span: Span) -> range:
    """The numbers (see `month_number`) of the months the span touches."""
    return range(month_number(span.start), month_number(span.end) + 1)


# --- a cost over the months -------------------------------------------------------------------


def quantum(plan: Plan) -> Decimal:
    """The step the plan's budget is written in: whole units when every amount of it is whole, else cents.

    The budget's amounts (total, reserve, other costs, each means' cost) are
    the ones spread over the months; a plan written in whole euros gets whole
    euros each month, never 2,060.43.
    """
    budget = plan.budget
    amounts = [budget.total, budget.reserve, *(line.cost for line in budget.lines), *(m.cost for m in plan.means)]
    return UNIT if all(amount == amount.to_integral_value() for amount in amounts) else CENT


def spread_cost(
    cost: Decimal, runs: Sequence[Span], step: Decimal = CENT, phasing: str | Mapping[_dt.date, Decimal] = "even"
) -> dict[_dt.date, Decimal]:
    """A cost spread over the months of its runs by `phasing`, in whole steps that add up to the cost exactly.

    Each month has a weight: `even`, the days the runs have in it; `front`,
    n, n − 1, ..., 1 for the n months the runs touch, in order, whatever
    their days (the money goes out early: a deposit, a launch burst);
    `back`, 1, 2, ..., n (paid at the end: a balance, a closing push). A
    mapping of months is the amounts as written, not spread and not checked
    here (rule MP623 checks that they add up to the cost).

    Each month gets its weighted share rounded down to `step`, then the
    steps left over go one each to the months with the largest remainders
    (the earlier month first on a tie): no month is more than one step from
    its exact share. A cost written more finely than `step` is spread to its
    own last digit, so that it still adds up. A month no run touches gets
    nothing, not even a zero.
    """
    if isinstance(phasing, Mapping):
        return dict(sorted(phasing.items()))
    if len(runs) == 1:
        run = runs[0]
        touched = months(run.start, run.end)
        if len(touched) == 1:  # the common case: one flight inside one month
            return {touched[0]: cost}
    exponent = cost.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:
        step = min(step, Decimal(1).scaleb(exponent))
    units = int(cost / step)
    days_in: dict[_dt.date, int] = {}
    for run in sorted(runs, key=_span_order) if len(runs) > 1 else runs:
        for month in months(run.start, run.end):
            days_in[month] = days_in.get(month, 0) + _days_within(run, month, month_end(month))
    if phasing == "even":
        weights = days_in
    else:
        ordered = sorted(days_in)
        count = len(ordered)
        weights = {month: count - rank if phasing == "front" else rank + 1 for rank, month in enumerate(ordered)}
    whole_weight = sum(weights.values())
    shares = {month: divmod(units * weight, whole_weight) for month, weight in weights.items()}
    left = units - sum(whole for whole, _ in shares.values())
    # Sorted by remainder only: the sort is stable, so on a tie the earlier month comes first.
    rounded_up = {month for month, _ in sorted(shares.items(), key=lambda item: -item[1][1])[:left]}
    return {month: (whole + (month in rounded_up)) * step for month, (whole, _) in shares.items()}


def planned_by_month(plan: Plan) -> dict[str, dict[_dt.date, Decimal]]:
    """Each means' cost spread over the days it runs (the plan's period when unscheduled), to the plan's quantum."""
    whole_period = (period(plan),)
    runs_of = flights(plan)
    step = quantum(plan)
    return {
        item.id: spread_cost(item.cost, runs_of.get(item.id) or whole_period, step, item.phasing) for item in plan.means
    }
