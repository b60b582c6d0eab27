"""Stage 4, chapters: the plan's personas, customer journey and team, as the deliverable and the rules see them.

Pure functions over a `Plan`. The journey places each means on the stage it
says (`means[].stage`); `vocab.STAGE_OF_METRIC` says which stage an objective's
metric needs, so a rule can warn when the means serving it leave that stage
empty. The team is the RACI of the means: who does, signs off, is consulted,
is informed. The Forecast chapter and the budget by month are read off the
forecast before launch (views/forecast.py), never worked out again here.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..plan import vocab
from ..plan.model import Assumption, Means, Objective, Plan, Target
from . import metrics
from .forecast import Forecast, Range
from .mix import MixView

RACI_ROLES: tuple[str, ...] = ("responsible", "accountable", "consulted", "informed")


@dataclass(frozen=True)
class JourneyRow:
    """One stage of the journey and the means placed on it; `stage` None holds the means placed nowhere."""

    stage: str | None
    means: tuple[Means, ...]
    cost: Decimal


def uses_stages(plan: Plan) -> bool:
    return any(item.stage is not None for item in plan.means)


def journey(plan: Plan) -> list[JourneyRow]:
    """A row per stage in journey order, then the means without a stage, if any; [] when no means has a stage."""
    if not uses_stages(plan):
        return []
    placed: dict[str | None, list[Means]] = {}
    for item in plan.means:
        placed.setdefault(item.stage, []).append(item)
    rows = [
        JourneyRow(stage, tuple(placed.get(stage, ())), sum((m.cost for m in placed.get(stage, ())), Decimal(0)))
        for stage in vocab.JOURNEY_STAGES
    ]
    if None in placed:
        rows.append(JourneyRow(None, tuple(placed[None]), sum((m.cost for m in placed[None]), Decimal(0))))
    return rows


def personas(plan: Plan) -> list[Target]:
    """The targets that say something of the people behind them: needs, pains, channels or objections."""
    return [t for t in plan.targets if t.needs or t.pains or t.channels or t.objections]


def raci_roles(plan: Plan) -> tuple[str, ...]:
    """The RACI roles that at least one means names, in RACI order; () when the plan names none."""
    return tuple(role for role in RACI_ROLES if any(getattr(item, role) for item in plan.means))


# --- the Forecast chapter and the budget by month (issue 20) -------------------------------

# The figures the Forecast chapter can show, in the order of the funnel; a column shows only when some action
# forecasts it. Counts no rate leads to (sessions, reach...) come from a hand-typed forecast alone.
FORECAST_FIGURES: tuple[str, ...] = (
    "spend",
    "impressions",
    "reach",
    "clicks",
    "sessions",
    "engagements",
    "leads",
    "signups",
    "conversions",
    "sales",
    "new_customers",
    "revenue",
    "roi",
    "roas",
    "cac",
)


# Past this many figures one table is too wide to read on a page or a laptop, so the chapter's tables split
# in two: what the actions bring in (audience, traffic, sign-ups) and what that turns into (sales, return).
WIDEST_FORECAST_TABLE = 8
FORECAST_RESULTS: frozenset[str] = frozenset({"conversions", "sales", "new_customers", "revenue", "roi", "roas", "cac"})


@dataclass(frozen=True)
class ForecastLine:
    """A row of the Forecast chapter: an action, a month or the whole plan, with each figure (None: undefined)."""

    figures: dict[str, Range | None]
    means: Means | None = None
    month: _dt.date | None = None


@dataclass(frozen=True)
class ObjectiveOutlook:
    """An objective's forecast over its window against its target."""

    objective: Objective
    value: Range | None  # None when no action serving it forecasts its metric
    verdict: str  # reached | short (below a target to reach) | over (above a ceiling) | not_forecast | unjudged
    gap: Decimal | None  # how far the base forecast misses the target, in the metric's unit; None unless it does


@dataclass(frozen=True)
class AssumptionLine:
    assumption: Assumption
    used_by: tuple[Means, ...]  # the actions it applies to (its rate is theirs, not overridden), in plan order

    @property
    def range(self) -> Range:
        """Its value between its low and its high (each the value when not given)."""
        written = self.assumption
        low = written.low if written.low is not None else written.value
        high = written.high if written.high is not None else written.value
        return Range(low, written.value, high)


@dataclass(frozen=True)
class ForecastChapter:
    figures: tuple[str, ...]  # the columns: the figures some action forecasts, in funnel order
    means: tuple[ForecastLine, ...]  # one per action, in the plan's order
    months: tuple[ForecastLine, ...]  # one per month some action spends in, in order
    total: ForecastLine  # the whole plan
    objectives: tuple[ObjectiveOutlook, ...]
    assumptions: tuple[AssumptionLine, ...]

    @property
    def tables(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The columns of each table, keyed all, or audience and results when one table would be too wide.

        Each of the two tables opens on spend, which its figures are read against. Past eight figures
        neither is empty: spend and the seven results, or spend and the seven audience figures, make eight.
        """
        if len(self.figures) <= WIDEST_FORECAST_TABLE:
            return (("all", self.figures),)
        spend = tuple(figure for figure in self.figures if figure == "spend")
        audience = tuple(f for f in self.figures if f != "spend" and f not in FORECAST_RESULTS)
        results = tuple(f for f in self.figures if f in FORECAST_RESULTS)
        return (("audience", spend + audience), ("results", spend + results))


def _verdict(objective: Objective, value: Range | None) -> tuple[str, Decimal | None]:
    if value is None:
        return "not_forecast", None
    if objective.metric in vocab.NO_DIRECTION:
        return "unjudged", None
    gap = objective.target - value.base
    if metrics.info(objective.metric).higher_is_better:
        return ("short", gap) if gap > 0 else ("reached", None)
    return ("over", -gap) if gap < 0 else ("reached", None)


def forecast_chapter(plan: Plan, outlook: Forecast) -> ForecastChapter | None:
    """What the Forecast chapter shows; None when the plan has nothing to forecast from."""
    if not plan.has_forecast_input:
        return None
    means_lines = tuple(
        ForecastLine({figure: outlook.means[item.id].value(figure) for figure in FORECAST_FIGURES}, means=item)
        for item in plan.means
    )
    month_lines = tuple(
        ForecastLine({figure: outlook.month_total(month, figure) for figure in FORECAST_FIGURES}, month=month)
        for month in outlook.months
    )
    total = ForecastLine({figure: outlook.total(figure) for figure in FORECAST_FIGURES})
    shown = tuple(figure for figure in FORECAST_FIGURES if total.figures[figure] is not None)
    by_id = {item.id: item for item in plan.objectives}
    objectives = []
    for found in outlook.objectives:
        objective = by_id[found.objective]
        verdict, gap = _verdict(objective, found.value)
        objectives.append(ObjectiveOutlook(objective, found.value, verdict, gap))
    assumptions = tuple(
        AssumptionLine(
            assumption,
            tuple(
                item
                for item in plan.means
                if any(rate.assumption == assumption.id for rate in outlook.means[item.id].rates.values())
            ),
        )
        for assumption in plan.assumptions
    )
    return ForecastChapter(shown, means_lines, month_lines, total, tuple(objectives), assumptions)


@dataclass(frozen=True)
class BudgetMonth:
    month: _dt.date
    by_p: dict[str, Decimal]  # P (or "other") -> what its actions are planned to spend that month
    total: Decimal


@dataclass(frozen=True)
class MonthlyBudget:
    """The actions' budget month by month and by P, from their phasing: known before any result."""

    ps: tuple[str, ...]  # the columns: the Ps whose actions cost something, in the mix's order
    months: tuple[BudgetMonth, ...]
    by_p: dict[str, Decimal]  # each column's total: the P's cost in the budget section
    total: Decimal  # the actions' cost in the budget section


def monthly_budget(by_month: Mapping[_dt.date, Mapping[str, Decimal]], mix: MixView) -> MonthlyBudget:
    """The budget by month (`forecast.budget_by_month`) in the columns of the budget section's Ps."""
    ps = tuple(s.key for s in mix.by_p if s.cost)
    months = tuple(
        BudgetMonth(month, {p: by_p.get(p, Decimal(0)) for p in ps}, sum(by_p.values(), Decimal(0)))
        for month, by_p in by_month.items()
    )
    by_p = {p: sum((row.by_p[p] for row in months), Decimal(0)) for p in ps}
    return MonthlyBudget(ps, months, by_p, sum(by_p.values(), Decimal(0)))
