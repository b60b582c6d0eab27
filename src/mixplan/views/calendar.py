"""The plan's calendar: each means' flights, spans, the months they touch, and a cost spread over them.

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
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the standard library at run time: the charts import the month grid from here
    from ..plan.model import Plan

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


def spread_cost(cost: Decimal, runs: Sequence[Span]) -> dict[_dt.date, Decimal]:
    """A cost spread evenly over the days of its runs, by month, to the cent."""
    if len(runs) == 1:
        run = runs[0]
        touched = months(run.start, run.end)
        if len(touched) == 1:  # the common case: one flight inside one month
            return {touched[0]: cost.quantize(CENT)}
    days = sum(run.days for run in runs)
    by_month: dict[_dt.date, Decimal] = {}
    # Rounding the running total, not each month, keeps the months summing to the cost exactly.
    elapsed, allotted = 0, Decimal(0)
    for run in sorted(runs, key=_span_order) if len(runs) > 1 else runs:
        for month in months(run.start, run.end):
            elapsed += _days_within(run, month, month_end(month))
            running = (cost * elapsed / days).quantize(CENT)
            share = running - allotted
            known = by_month.get(month)  # two flights may share a month
            by_month[month] = share if known is None else known + share
            allotted = running
    return by_month


def planned_by_month(plan: Plan) -> dict[str, dict[_dt.date, Decimal]]:
    """Each means' cost spread evenly over the days it runs (the plan's period when unscheduled)."""
    whole_period = (period(plan),)
    runs_of = flights(plan)
    return {item.id: spread_cost(item.cost, runs_of.get(item.id) or whole_period) for item in plan.means}
