"""Planned versus actual: spend, KPI targets and their status, from the plan's results.

Pure functions over the models; no I/O, no formatting.

The status rule (documented in docs/format.md, "Progress and status"):

- *As of* is the last day of the latest month that has a results row or a
  measured figure.
- A target is due over a span: an objective's is its window (see
  `measure`, which works out each objective's figures, expected value and
  status), a means KPI's the means' schedule (first start to last end; the
  plan's period when it is not scheduled).
- The elapsed share is the part of that span, in days, up to *as of*.
- What is expected by then: for a raw count (it adds up), the target times
  the elapsed share; for a computed metric (a level), the baseline moved
  linearly toward the target by the elapsed share, or the target itself
  when there is no baseline.
- The status compares the actual value with the expected one, with a
  tolerance band of 10 % of the expected value: better than the band is
  *ahead*, worse is *behind*, inside it (edges included) is *on track*;
  "better" is higher, or lower for costs and bounces. *No data* when the
  actual value is undefined or the span has not started by *as of*.

The forecast against actual takes the funnel forecast (views/forecast.py),
month by month, over the months each means has results for, with the same
status rule and the forecast's base as the expected value.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..plan import vocab
from ..plan.model import Means, Objective, Plan
from . import calendar, measure, metrics
from . import forecast as forecasting
from .calendar import Span, month_end, planned_by_month, spread_cost
from .forecast import Range, Row

__all__ = ["Span", "month_end", "planned_by_month", "spread_cost"]  # kept where they were first imported from

TOLERANCE = Decimal("0.10")
Status = measure.Status
STATUSES: tuple[Status, ...] = ("ahead", "on_track", "behind", "better", "on_target", "worse", "no_data")
SHORT_OF_TARGET = frozenset({"behind", "worse"})

# What the dashboard shows of every means, P and month besides spend.
HEADLINE_METRICS = ("revenue", "new_customers", "conversions", "roi", "cac")
FORECAST_METRICS = ("conversions", "roi", "cac")


def elapsed_share(span: Span, as_of: _dt.date | None) -> Decimal | None:
    """The part of `span` (in days, both ends included) that has passed by `as_of`."""
    if as_of is None:
        return None
    if as_of < span.start:
        return Decimal(0)
    if as_of >= span.end:
        return Decimal(1)
    return Decimal((as_of - span.start).days + 1) / Decimal(span.days)


def expected_value(metric: str, target: Decimal, baseline: Decimal | None, share: Decimal | None) -> Decimal | None:
    if share is None:
        return None
    if metrics.info(metric).additive:
        return target * share
    if baseline is None:
        return target
    return baseline + (target - baseline) * share


def status_of(metric: str, expected: Decimal | None, actual: Decimal | None, tolerance: Decimal = TOLERANCE) -> Status:
    if expected is None or actual is None:
        return "no_data"
    band = abs(expected) * tolerance
    gain = actual - expected if metrics.info(metric).higher_is_better else expected - actual
    if gain > band:
        return "ahead"
    if gain < -band:
        return "behind"
    return "on_track"


def attainment(metric: str, target: Decimal, actual: Decimal | None) -> Decimal | None:
    """How much of the target is reached, 1 meaning all of it: what a progress bar fills."""
    if actual is None:
        return None
    if metrics.info(metric).higher_is_better:
        return metrics.ratio(actual, target) if target > 0 else None
    return metrics.ratio(target, actual) if actual > 0 else None


@dataclass(frozen=True)
class KpiProgress:
    metric: str
    target: Decimal
    baseline: Decimal | None
    span: Span
    elapsed: Decimal | None
    expected: Decimal | None
    actual: Decimal | None
    status: Status

    @property
    def variance(self) -> Decimal | None:
        """Actual minus expected to date."""
        return None if self.actual is None or self.expected is None else self.actual - self.expected

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.metric, self.target, self.actual)


def kpi_progress(
    metric: str, target: Decimal, baseline: Decimal | None, span: Span, rows: list[dict], as_of: _dt.date | None
) -> KpiProgress:
    share = elapsed_share(span, as_of)
    if not rows:
        actual = None
    else:  # one month of results, the usual case, has nothing to add up
        actual = metrics.compute(metric, rows[0]) if len(rows) == 1 else metrics.total(metric, rows)
    expected = expected_value(metric, target, baseline, share)
    started = share is not None and share > 0
    status = measure.worded(metric, status_of(metric, expected, actual) if started else "no_data")
    return KpiProgress(metric, target, baseline, span, share, expected, actual, status)


@dataclass(frozen=True)
class Spend:
    planned: Decimal
    planned_to_date: Decimal
    actual: Decimal | None

    @property
    def variance(self) -> Decimal | None:
        """Actual minus planned to date: above zero is overspending."""
        return None if self.actual is None else self.actual - self.planned_to_date

    @property
    def consumed(self) -> Decimal | None:
        """The share of the planned spend already spent."""
        return None if self.actual is None else metrics.ratio(self.actual, self.planned)


@dataclass(frozen=True)
class ForecastCheck:
    """A forecast metric against what was measured (docs/format.md, "Progress and status": forecast against actual).

    `forecast` is the base over the whole run (for a month, over that month);
    `to_date`, `low` and `high` the base and its range over the months compared.
    """

    metric: str
    forecast: Decimal | None
    to_date: Decimal | None
    actual: Decimal | None
    status: Status
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True)
class MonthForecast:
    """One month in which a means has results: its forecast for that month against them."""

    month: _dt.date
    checks: list[ForecastCheck]


class MeansProgress:
    """One means: its span, KPIs and forecast; spend and headline values on first use.

    The deliverable reads only the KPIs of each means, the terminal dashboard
    reads everything: over tens of thousands of means, figures nobody reads
    are not worth working out.
    """

    def __init__(
        self,
        means: Means,
        p: str | None,
        span: Span,
        kpis: list[KpiProgress],
        forecast: list[ForecastCheck],
        runs: Sequence[Span],
        rows: list[dict],
        as_of: _dt.date | None,
        step: Decimal = calendar.CENT,
        forecast_months: Sequence[MonthForecast] = (),
    ) -> None:
        self.means = means
        self.p = p
        self.span = span
        self.kpis = kpis
        self.forecast = forecast  # its forecast to date against its results
        self.forecast_months = list(forecast_months)
        self.rows = rows  # the counts of its results rows
        # The months are spread again when asked for: kept for every means, they
        # would weigh more than the rest of the progress of a big plan.
        self._runs, self._as_of, self._step = runs, as_of, step

    @functools.cached_property
    def spend(self) -> Spend:
        return _spend(spread_cost(self.means.cost, self._runs, self._step, self.means.phasing), self.rows, self._as_of)

    @functools.cached_property
    def values(self) -> dict[str, Decimal | None]:
        return _values(self.rows)

    @property
    def behind(self) -> bool:
        return any(k.status in SHORT_OF_TARGET for k in self.kpis)

    @property
    def forecast_rows(self) -> int:
        """How many forecast checks it has, to date and month by month: the rows of its block in a table."""
        return len(self.forecast) + sum(len(row.checks) for row in self.forecast_months)

    @property
    def has_results(self) -> bool:
        return self.spend.actual is not None or any(v is not None for v in self.values.values())


@dataclass(frozen=True)
class ObjectiveProgress:
    """An objective as the dashboard shows it (docs/format.md, "How an objective is measured").

    `kpi` holds the target, expected, actual and status; `figures` where the
    actual comes from, the other figures beside it and the means behind them.
    """

    objective: Objective
    kpi: KpiProgress
    means: list[str]  # every means serving it, with results or not
    figures: measure.Figures
    share: Decimal | None  # how far it has come, 1 meaning the target is reached

    @property
    def window(self) -> Span:
        return self.kpi.span


@dataclass(frozen=True)
class GroupProgress:
    """A P, or the whole plan: spend and headline metrics."""

    key: str
    spend: Spend
    values: dict[str, Decimal | None]


@dataclass(frozen=True)
class MonthProgress:
    month: _dt.date
    planned: Decimal
    actual: Decimal | None
    values: dict[str, Decimal | None]

    @property
    def variance(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.planned


@dataclass(frozen=True)
class Progress:
    as_of: _dt.date | None
    budget: Decimal
    overall: GroupProgress
    by_p: list[GroupProgress]
    objectives: list[ObjectiveProgress]
    means: list[MeansProgress]
    months: list[MonthProgress]
    forecast: list[ForecastCheck] = field(default_factory=list)

    @property
    def has_results(self) -> bool:
        return self.as_of is not None

    @property
    def has_forecast(self) -> bool:
        return bool(self.forecast)

    @property
    def behind(self) -> list[MeansProgress]:
        return [m for m in self.means if m.behind]


# --- building it ------------------------------------------------------------------------


def _values(rows: list[dict]) -> dict[str, Decimal | None]:
    if not rows:
        return dict.fromkeys(HEADLINE_METRICS)
    if len(rows) == 1:  # the common case of a means with one month of results: no sums to make
        return {metric: metrics.compute(metric, rows[0]) for metric in HEADLINE_METRICS}
    return {metric: metrics.total(metric, rows) for metric in HEADLINE_METRICS}


def _spend(planned: dict[_dt.date, Decimal], rows: list[dict], as_of: _dt.date | None) -> Spend:
    total = sum(planned.values(), Decimal(0))
    to_date = sum((v for m, v in planned.items() if as_of is not None and m <= as_of), Decimal(0))
    return Spend(total, to_date, metrics.total("spend", rows) if rows else None)


def _merge(maps: Iterable[dict[_dt.date, Decimal]]) -> dict[_dt.date, Decimal]:
    merged: dict[_dt.date, Decimal] = {}
    for mapping in maps:
        for month, amount in mapping.items():
            merged[month] = merged.get(month, Decimal(0)) + amount
    return merged


def _forecast_check(
    metric: str, whole: Range | None, compared: Range | None, actual_rows: list[dict], measured: bool
) -> ForecastCheck:
    """The forecast over the months compared against the results rows; `measured`: whether anything is yet."""
    actual = metrics.total(metric, actual_rows) if actual_rows else None
    expected = None if compared is None else compared.base
    status = measure.worded(metric, status_of(metric, expected, actual) if measured else "no_data")
    return ForecastCheck(
        metric,
        None if whole is None else whole.base,
        expected,
        actual,
        status,
        None if compared is None else compared.low,
        None if compared is None else compared.high,
    )


def _forecast_check_of(
    metric: str, whole_rows: list[Row], compared_rows: list[Row], actual_rows: list[dict], measured: bool
) -> ForecastCheck | None:
    """A forecast against actual: the whole run, and the months compared; None when it does not reach the metric."""
    whole = forecasting.value(metric, whole_rows)
    if whole is None:
        return None
    compared = forecasting.value(metric, compared_rows) if compared_rows else None
    return _forecast_check(metric, whole, compared, actual_rows, measured)


def _measured_rows(own: forecasting.MeansForecast, measured_months: Iterable[_dt.date]) -> list[Row]:
    """The forecast of the months a means has results for: what its results are compared with to date."""
    return [own.months[month] for month in sorted(set(measured_months)) if month in own.months]


def _months_forecast(item: forecasting.MeansForecast, dated: list[tuple[_dt.date, dict]]) -> list[MonthForecast]:
    """Each month in which the means has results: that month's forecast against them."""
    by_month: dict[_dt.date, list[dict]] = {}
    for month, counts in dated:
        by_month.setdefault(month, []).append(counts)
    reached = [metric for metric in FORECAST_METRICS if item.value(metric) is not None]
    months = []
    for month in sorted(by_month):
        checks = []
        for metric in reached:
            planned = item.month_value(month, metric)
            checks.append(_forecast_check(metric, planned, planned, by_month[month], True))
        months.append(MonthForecast(month, checks))
    return months


def _attach_forecast(
    found: forecasting.Forecast, means: list[MeansProgress], results: _Results, as_of: _dt.date | None
) -> None:
    """Each means' forecast against its results, to date and month by month."""
    for item in means:
        own = found.means[item.means.id]
        dated = results.dated_of_means.get(item.means.id, [])
        compared = _measured_rows(own, (month for month, _ in dated))
        found_checks = (
            _forecast_check_of(metric, own.rows, compared, item.rows, as_of is not None) for metric in FORECAST_METRICS
        )
        item.forecast = [check for check in found_checks if check is not None]
        if item.forecast:
            item.forecast_months = _months_forecast(own, dated)


@dataclass(frozen=True)
class _Results:
    """The counts of the results rows, indexed the three ways the dashboard reads them."""

    of_means: dict[str, list[dict]]
    in_month: dict[_dt.date, list[dict]]
    dated_of_means: dict[str, list[tuple[_dt.date, dict]]]


def _indexed_results(plan: Plan) -> _Results:
    of_means: dict[str, list[dict]] = {m.id: [] for m in plan.means}
    in_month: dict[_dt.date, list[dict]] = {}
    dated_of_means: dict[str, list[tuple[_dt.date, dict]]] = {}
    for row in plan.results:
        counts = metrics.counts_of(row)
        of_means.setdefault(row.means, []).append(counts)
        in_month.setdefault(row.month, []).append(counts)
        dated_of_means.setdefault(row.means, []).append((row.month, counts))
    return _Results(of_means, in_month, dated_of_means)


def _as_of(plan: Plan) -> _dt.date | None:
    """The last day of the latest month measured, in results or in an objective's measured figures."""
    latest = max((r.month for r in plan.results), default=None)
    for objective in plan.objectives:
        for figure in objective.measured:
            latest = figure.month if latest is None or figure.month > latest else latest
    return month_end(latest) if latest is not None else None


@dataclass(frozen=True)
class _MeansPass:
    """What one pass over the means gathers: each means' progress, and what the Ps and objectives need."""

    means: list[MeansProgress]
    planned_of_p: dict[str | None, dict[_dt.date, Decimal]]
    rows_of_p: dict[str | None, list[dict]]
    serving_of: dict[str, list[str]]  # objective id -> the means serving it


def _means_pass(plan: Plan, period: Span, rows_of: dict[str, list[dict]], as_of: _dt.date | None) -> _MeansPass:
    # One pass over the means gathers everything indexed by P and by objective:
    # with a hundred thousand means, each further pass costs a walk through memory.
    flights = calendar.flights(plan)
    whole_period = (period,)
    step = calendar.quantum(plan)
    means_progress: list[MeansProgress] = []
    planned_of_p: dict[str | None, dict[_dt.date, Decimal]] = {}
    rows_of_p: dict[str | None, list[dict]] = {}
    serving_of: dict[str, list[str]] = {}
    for item in plan.means:
        p = item.mix_p
        runs = flights.get(item.id) or whole_period
        planned_months = planned_of_p.get(p)
        if planned_months is None:
            planned_months = planned_of_p[p] = {}
            rows_of_p[p] = []
        for month, amount in spread_cost(item.cost, runs, step, item.phasing).items():
            planned_months[month] = planned_months.get(month, Decimal(0)) + amount
        span = calendar.whole_span(runs)
        rows = rows_of[item.id]
        rows_of_p[p] += rows
        for used in dict.fromkeys(item.objectives):
            serving_of.setdefault(used, []).append(item.id)
        kpis = [kpi_progress(k.metric, k.target, None, span, rows, as_of) for k in item.kpis]
        means_progress.append(MeansProgress(item, p, span, kpis, [], runs, rows, as_of, step))
    return _MeansPass(means_progress, planned_of_p, rows_of_p, serving_of)


def _objectives_progress(
    plan: Plan, period: Span, serving_of: dict[str, list[str]], results: _Results, as_of: _dt.date | None
) -> list[ObjectiveProgress]:
    objectives = []
    month_parts: dict[str, dict[_dt.date, measure.Parts]] = {}  # per metric: the whole plan's sums of each month
    for objective in plan.objectives:
        metric = objective.metric
        if metric not in month_parts:
            month_parts[metric] = {month: measure.parts(metric, rows) for month, rows in results.in_month.items()}
        start = objective.window_start or period.start
        span = Span(start, objective.deadline)
        serving = serving_of.get(objective.id, [])
        found = measure.figures(objective, start, serving, results.dated_of_means, month_parts[metric])
        kind, actual = found.measure, found.actual
        share = elapsed_share(span, as_of)
        expected = measure.expected(kind, objective.target, objective.baseline, share)
        started = share is not None and share > 0
        status = measure.status(metric, kind, expected, actual, objective.baseline, TOLERANCE) if started else "no_data"
        kpi = KpiProgress(metric, objective.target, objective.baseline, span, share, expected, actual, status)
        attained = measure.progress_share(metric, kind, objective.target, objective.baseline, actual)
        objectives.append(ObjectiveProgress(objective, kpi, serving, found, attained))
    return objectives


def _months_progress(
    period: Span, planned: dict[_dt.date, Decimal], rows_in: dict[_dt.date, list[dict]]
) -> list[MonthProgress]:
    months = []
    for month in calendar.months(period.start, period.end):
        rows = rows_in.get(month, [])
        spent = metrics.total("spend", rows) if rows else None
        months.append(MonthProgress(month, planned.get(month, Decimal(0)), spent, _values(rows)))
    return months


def _plan_forecast(
    found: forecasting.Forecast, means_progress: list[MeansProgress], results: _Results, as_of: _dt.date | None
) -> list[ForecastCheck]:
    """The whole plan's forecast against actual, each metric over the means whose forecast reaches it.

    To date, each means is compared over the months it has results for, as in its own table: a month it
    reports nothing for would otherwise count as behind.
    """
    checks = []
    for metric in FORECAST_METRICS:
        pairs = [(m, found.means[m.means.id]) for m in means_progress]
        reaching = [(m, own) for m, own in pairs if own.value(metric) is not None]
        compared = [
            row
            for m, own in reaching
            for row in _measured_rows(own, (month for month, _ in results.dated_of_means.get(m.means.id, [])))
        ]
        check = _forecast_check_of(
            metric,
            [row for _, own in reaching for row in own.rows],
            compared,
            [row for m, _ in reaching for row in m.rows],
            as_of is not None,
        )
        if check is not None:
            checks.append(check)
    return checks


def progress(plan: Plan, outlook: forecasting.Forecast | None = None) -> Progress:
    """Everything the dashboard shows, computed from the plan and its results (`outlook`: its forecast, if known)."""
    period = calendar.period(plan)
    as_of = _as_of(plan)
    results = _indexed_results(plan)
    means = _means_pass(plan, period, results.of_means, as_of)

    def group(key: str, rows: list[dict], planned_by_month: dict[_dt.date, Decimal]) -> GroupProgress:
        return GroupProgress(key, _spend(planned_by_month, rows, as_of), _values(rows))

    by_p = [
        group(p or "other", means.rows_of_p[p], means.planned_of_p[p])
        for p in (*vocab.PS, None)
        if p in means.planned_of_p
    ]
    forecast: list[ForecastCheck] = []
    if plan.has_forecast_input:
        found = outlook if outlook is not None else forecasting.forecast(plan)
        _attach_forecast(found, means.means, results, as_of)
        forecast = _plan_forecast(found, means.means, results, as_of)
    # Each means' months went into its P's; the plan's are the Ps' merged.
    planned_total = _merge(means.planned_of_p.values())
    return Progress(
        as_of=as_of,
        budget=plan.budget.total,
        overall=group("plan", [row for rows in means.rows_of_p.values() for row in rows], planned_total),
        by_p=by_p,
        objectives=_objectives_progress(plan, period, means.serving_of, results, as_of),
        means=means.means,
        months=_months_progress(period, planned_total, results.in_month),
        forecast=forecast,
    )
