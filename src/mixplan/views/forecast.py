"""The forecast before launch: each means' funnel month by month, and each objective's forecast over its window.

Pure functions over the models, in Decimal; no I/O, no formatting. The
formulas are those of docs/format.md, "Forecast before launch":

- A means' spend per month is its cost spread by its phasing
  (`calendar.planned_by_month`).
- Its rates come, for each funnel rate, from the first of: its own `funnel`,
  an assumption on its channel, a plan-wide assumption.
- impressions = 1000 × spend ÷ cpm; clicks = spend ÷ cpc, else impressions ×
  ctr (and impressions = clicks ÷ ctr when only cpc is known); conversions =
  clicks × conversion_rate; leads = spend ÷ cpl; new_customers = conversions ×
  new_customer_share; revenue = conversions × average_order_value. Each step
  is taken only when its inputs exist: otherwise the count is undefined, never
  0. A count typed by hand in the means' `forecast` replaces the step that
  would compute it (spread over the months as the cost is) and the later
  steps build on it.
- Every figure is a `Range`: the base from each rate's `value`, and a low and
  a high from the rates' `low` and `high`. Every step is monotone (products
  of non-negative numbers, quotients by positive ones), so the low and high
  of a step are worked out from the low and high of its inputs, and
  low ≤ base ≤ high holds at every step by construction. For a cost per
  result (CAC, CPL) the low is the cheaper end.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..plan import vocab
from ..plan.model import Assumption, Means, Objective, Plan
from . import calendar, metrics

THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class Range:
    """A forecast figure: its base, and the low and high the assumptions' ranges give."""

    low: Decimal
    base: Decimal
    high: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> Range:
        return cls(value, value, value)

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.base + other.base, self.high + other.high)

    def times(self, rate: Range) -> Range:
        """Both non-negative: the product grows with each factor."""
        return Range(self.low * rate.low, self.base * rate.base, self.high * rate.high)

    def over(self, divisor: Range) -> Range | None:
        """The quotient by a positive divisor; undefined when the divisor may be 0."""
        if divisor.low <= 0:
            return None
        # The numerator may be negative (a margin): its sign decides which end of the divisor gives which end.
        return Range(
            min(self.low / divisor.low, self.low / divisor.high),
            self.base / divisor.base,
            max(self.high / divisor.low, self.high / divisor.high),
        )

    def scaled(self, factor: Decimal) -> Range:
        return Range(self.low * factor, self.base * factor, self.high * factor)

    @property
    def is_exact(self) -> bool:
        return self.low == self.base == self.high


Row = dict[str, Range]


@dataclass(frozen=True)
class Rate:
    """A rate a means' forecast uses, and where it comes from."""

    metric: str
    value: Range
    source: str  # funnel | assumption
    assumption: str | None = None  # the assumption's id when it comes from one


def _assumption_range(assumption: Assumption) -> Range:
    low = assumption.low if assumption.low is not None else assumption.value
    high = assumption.high if assumption.high is not None else assumption.value
    return Range(low, assumption.value, high)


def rates_of(means: Means, assumptions: Iterable[Assumption]) -> dict[str, Rate]:
    """The means' rates: its own funnel first, then its channel's assumptions, then the plan-wide ones."""
    found: dict[str, Rate] = {
        metric: Rate(metric, Range.exact(value), "funnel") for metric, value in means.funnel.items()
    }
    plan_wide: dict[str, Rate] = {}
    for assumption in assumptions:
        if assumption.channel == means.channel:
            found.setdefault(
                assumption.metric, Rate(assumption.metric, _assumption_range(assumption), "assumption", assumption.id)
            )
        elif assumption.channel is None:
            plan_wide.setdefault(
                assumption.metric, Rate(assumption.metric, _assumption_range(assumption), "assumption", assumption.id)
            )
    for metric, rate in plan_wide.items():
        found.setdefault(metric, rate)
    return found


def funnel_row(spend: Decimal, rates: Mapping[str, Rate], typed: Mapping[str, Decimal] | None = None) -> Row:
    """One month of a means: the counts its spend and rates give, each where its inputs exist.

    `typed` holds the month's share of the counts typed by hand, which replace the steps that would compute them.
    """
    typed = typed or {}
    row: Row = {}

    def take(count: str, computed: Range | None) -> None:
        if count in typed:
            row[count] = Range.exact(typed[count])
        elif computed is not None:
            row[count] = computed

    def rate(metric: str) -> Range | None:
        found = rates.get(metric)
        return None if found is None else found.value

    take("spend", Range.exact(spend))
    cost = row["spend"]
    cpm, cpc, ctr = rate("cpm"), rate("cpc"), rate("ctr")
    take("impressions", None if cpm is None else cost.scaled(THOUSAND).over(cpm))
    impressions = row.get("impressions")
    if cpc is not None:
        take("clicks", cost.over(cpc))
    elif impressions is not None and ctr is not None:
        take("clicks", impressions.times(ctr))
    else:
        take("clicks", None)
    clicks = row.get("clicks")
    if "impressions" not in row and clicks is not None and ctr is not None:
        take("impressions", clicks.over(ctr))
    conversion_rate = rate("conversion_rate")
    take("conversions", None if clicks is None or conversion_rate is None else clicks.times(conversion_rate))
    cpl = rate("cpl")
    take("leads", None if cpl is None else cost.over(cpl))
    conversions = row.get("conversions")
    share, basket = rate("new_customer_share"), rate("average_order_value")
    take("new_customers", None if conversions is None or share is None else conversions.times(share))
    take("revenue", None if conversions is None or basket is None else conversions.times(basket))
    # Counts no rate leads to (sessions, reach, sales, sign-ups...) come from the hand-typed forecast alone.
    for count, value in typed.items():
        row.setdefault(count, Range.exact(value))
    return row


def _scenario(rows: Iterable[Row], end: str) -> list[dict[str, Decimal]]:
    return [{count: getattr(value, end) for count, value in row.items()} for row in rows]


def value(metric: str, rows: list[Row]) -> Range | None:
    """A metric over several rows: a count summed, a computed metric the ratio of the sums (as `metrics.total`)."""
    if metric in vocab.RAW_COUNTS:
        held = [row[metric] for row in rows if metric in row]
        if not held:
            return None
        total = held[0]
        for more in held[1:]:
            total = total + more
        return total
    ends = [metrics.ratio_parts(metric, _scenario(rows, end)) for end in ("low", "base", "high")]
    if any(top is None or bottom is None for top, bottom in ends):
        return None
    # Each numerator and denominator grows with the counts, so the low rows give the low sums.
    numerator = Range(*(top for top, _ in ends))  # type: ignore[arg-type]
    denominator = Range(*(bottom for _, bottom in ends))  # type: ignore[arg-type]
    return numerator.over(denominator)


@dataclass(frozen=True)
class MeansForecast:
    means: str
    rates: dict[str, Rate]
    months: dict[_dt.date, Row]  # every month the means spends in, in order

    @property
    def rows(self) -> list[Row]:
        return list(self.months.values())

    def value(self, metric: str) -> Range | None:
        """The metric over the means' whole run."""
        return value(metric, self.rows)

    def month_value(self, month: _dt.date, metric: str) -> Range | None:
        row = self.months.get(month)
        return None if row is None else value(metric, [row])


@dataclass(frozen=True)
class ObjectiveForecast:
    objective: str
    metric: str
    measure: str  # total | level | rate
    target: Decimal
    start: _dt.date
    deadline: _dt.date
    serving: list[str]  # the means counted: those serving it (every means under scope: all)
    reaching: list[str]  # of those, the ones whose forecast gives the metric
    value: Range | None  # over the window; a level includes the baseline

    @property
    def short(self) -> bool:
        """Whether the base forecast misses the target."""
        if self.value is None or self.metric in vocab.NO_DIRECTION:
            return False
        if metrics.info(self.metric).higher_is_better:
            return self.value.base < self.target
        return self.value.base > self.target


@dataclass(frozen=True)
class Forecast:
    means: dict[str, MeansForecast]
    objectives: list[ObjectiveForecast]
    months: list[_dt.date]  # every month some means spends in, in order
    budget_by_month: dict[_dt.date, dict[str, Decimal]]  # month → P (or other) → planned spend, before any result
    used_assumptions: set[str] = field(default_factory=set)

    @property
    def has_funnel(self) -> bool:
        """Whether any means forecasts more than its spend."""
        return any(any(set(row) - {"spend"} for row in item.rows) for item in self.means.values())

    def month_total(self, month: _dt.date, metric: str) -> Range | None:
        return value(metric, [item.months[month] for item in self.means.values() if month in item.months])

    def total(self, metric: str) -> Range | None:
        return value(metric, [row for item in self.means.values() for row in item.rows])


def _typed_counts(means: Means) -> dict[str, Decimal]:
    if means.forecast is None:
        return {}
    return {count: Decimal(amount) for count, amount in metrics.counts_of(means.forecast).items()}


def _month_shares(spread: Mapping[_dt.date, Decimal], cost: Decimal) -> dict[_dt.date, Decimal]:
    """Each month's share of the means' run: its share of the cost, or of the months when it costs nothing."""
    if cost > 0 and sum(spread.values(), Decimal(0)) == cost:
        return {month: amount / cost for month, amount in spread.items()}
    if not spread:
        return {}
    return {month: Decimal(1) / len(spread) for month in spread}


def means_forecast(
    means: Means, spread: Mapping[_dt.date, Decimal], assumptions: Iterable[Assumption]
) -> MeansForecast:
    rates = rates_of(means, assumptions)
    typed = _typed_counts(means)
    shares = _month_shares(spread, means.cost)
    months = {
        month: funnel_row(amount, rates, {count: total * shares[month] for count, total in typed.items()})
        for month, amount in spread.items()
    }
    return MeansForecast(means.id, rates, months)


def objective_forecast(plan: Plan, objective: Objective, by_means: Mapping[str, MeansForecast]) -> ObjectiveForecast:
    """The objective's metric forecast over its window (as views/measure.py counts it: months overlapping it)."""
    start = objective.window_start or plan.plan.period.start
    first, last = start.replace(day=1), objective.deadline
    if objective.scope == "all":
        serving = [item.id for item in plan.means]
    else:
        serving = list(dict.fromkeys(item.id for item in plan.means if objective.id in item.objectives))
    reaching, rows = [], []
    for means in serving:
        forecast = by_means.get(means)
        if forecast is None:
            continue
        in_window = [row for month, row in forecast.months.items() if first <= month <= last]
        if value(objective.metric, in_window) is not None:
            reaching.append(means)
            rows.extend(in_window)
    found = value(objective.metric, rows) if rows else None
    measure = objective.measure_kind
    if found is not None and measure == "level":
        found = found + Range.exact(objective.baseline or Decimal(0))
    return ObjectiveForecast(
        objective.id, objective.metric, measure, objective.target, start, last, serving, reaching, found
    )


def budget_by_month(
    plan: Plan, planned: Mapping[str, Mapping[_dt.date, Decimal]] | None = None
) -> dict[_dt.date, dict[str, Decimal]]:
    """Month → P → what the means are planned to spend, from their phasing (`planned`: the spread, if known)."""
    if planned is None:
        planned = calendar.planned_by_month(plan)
    budget: dict[_dt.date, dict[str, Decimal]] = {}
    for item in plan.means:
        # A means without a P (an MP107 error) is counted under "other", as the budget by P counts it.
        p = item.mix_p or "other"
        for month, amount in planned[item.id].items():
            by_p = budget.setdefault(month, dict.fromkeys(vocab.PS, Decimal(0)))
            by_p[p] = by_p.get(p, Decimal(0)) + amount
    return dict(sorted(budget.items()))


def forecast(plan: Plan) -> Forecast:
    """The plan's forecast: each means by month, each objective over its window, the budget by month and P."""
    planned = calendar.planned_by_month(plan)
    by_means = {item.id: means_forecast(item, planned[item.id], plan.assumptions) for item in plan.means}
    budget = budget_by_month(plan, planned)
    used = {rate.assumption for item in by_means.values() for rate in item.rates.values() if rate.assumption}
    return Forecast(
        by_means,
        [objective_forecast(plan, objective, by_means) for objective in plan.objectives],
        list(budget),
        budget,
        used,
    )


# --- what a means lacks to reach a metric -----------------------------------------------------

# The count each computed metric needs from the funnel (the one that is hardest to reach).
_NEEDED_COUNT = {
    "roi": "revenue",
    "roas": "revenue",
    "average_order_value": "revenue",
    "cac": "new_customers",
    "new_customer_share": "new_customers",
    "cpl": "leads",
    "cpc": "clicks",
    "cpm": "impressions",
    "ctr": "impressions",
    "conversion_rate": "conversions",
}


def missing_for(metric: str, rates: Mapping[str, object], counts: Iterable[str] = ()) -> str | None:
    """What to add so that a funnel with these rates (and hand-typed counts) reaches `metric`; None when it does."""
    have = set(counts)
    if metric in have or metric == "spend":
        return None
    if metric in vocab.COMPUTED_METRICS:
        needed = _NEEDED_COUNT.get(metric)
        if needed is None:
            return f"a hand-typed forecast of the counts {metric} is worked out from"
        if metric == "ctr":
            return missing_for("impressions", rates, have) or missing_for("clicks", rates, have)
        return missing_for(needed, rates, have)
    if metric in ("revenue", "new_customers"):
        first = missing_for("conversions", rates, have)
        if first is not None:
            return first
        rate = "average_order_value" if metric == "revenue" else "new_customer_share"
        return None if rate in rates else f"an assumption for {rate}"
    if metric == "conversions":
        first = missing_for("clicks", rates, have)
        if first is not None:
            return first
        return None if "conversion_rate" in rates else "an assumption for conversion_rate"
    if metric == "clicks":
        if "cpc" in rates or ("ctr" in rates and ("cpm" in rates or "impressions" in have)):
            return None
        return (
            "an assumption for ctr"
            if "cpm" in rates or "impressions" in have
            else "an assumption for cpc, or for cpm and ctr"
        )
    if metric == "impressions":
        if "cpm" in rates or ("ctr" in rates and ("cpc" in rates or "clicks" in have)):
            return None
        return "an assumption for ctr" if "cpc" in rates or "clicks" in have else "an assumption for cpm"
    if metric == "leads":
        return None if "cpl" in rates else "an assumption for cpl"
    return f"a hand-typed forecast of {metric}"  # no rate leads to it
