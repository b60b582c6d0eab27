"""The plan at a glance: what a client must know of the plan, on one page after the cover.

Pure: every figure is taken from the views the rest of the deliverable reads
(the budget split is `mix_view`'s own slices, costs and shares), so the
glance can never disagree with the budget section. Formatting is the
templates' business.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from ..plan.model import Means, Milestone, NextStep, Objective, Plan
from .forecast import Forecast
from .mix import MixView, Slice

# What fits one printed page beside the budget and the objectives; the rest is counted ("and 3 more").
TOP_MEANS = 3
MOST_OBJECTIVES = 6
MOST_MILESTONES = 5


@dataclass(frozen=True)
class TopMeans:
    means: Means
    p: str  # its P, or "other" when it has none
    cost: Decimal
    share: Decimal | None  # of budget.total, as the mix view computes it


@dataclass(frozen=True)
class KeyDate:
    day: _dt.date
    kind: str  # start | milestone | next_step | end
    text: str | None = None  # the milestone, or the step
    owner: str | None = None  # the step's owner


@dataclass(frozen=True)
class Glance:
    summary: str | None
    total: Decimal
    by_p: tuple[Slice, ...]  # the mix view's slices, as the mix and budget sections show them
    lines_cost: Decimal
    reserve: Decimal
    remaining: Decimal
    top_means: tuple[TopMeans, ...]  # the biggest first; on equal costs, in the plan's order
    objectives: tuple[Objective, ...]
    more_objectives: int  # objectives left out for room
    start: _dt.date
    end: _dt.date
    milestones: tuple[Milestone, ...]  # the first ones, by date
    more_milestones: int
    first_step: NextStep | None  # the earliest next step
    # The expected return on investment and cost per new customer of the whole plan: the base of the
    # forecast before launch, as the Forecast chapter shows it. None where the forecast cannot work it out.
    expected_roi: Decimal | None = None
    expected_cac: Decimal | None = None

    @property
    def key_dates(self) -> tuple[KeyDate, ...]:
        """The period's first and last days, the first milestones and the first next step, in date order."""
        dates = [KeyDate(self.start, "start"), *(KeyDate(m.date, "milestone", m.milestone) for m in self.milestones)]
        if self.first_step is not None:
            dates.append(KeyDate(self.first_step.date, "next_step", self.first_step.step, self.first_step.owner))
        dates.append(KeyDate(self.end, "end"))
        # On one day: the start first, the end last (a step or milestone that day happens within the plan).
        order = {"start": 0, "next_step": 1, "milestone": 2, "end": 3}
        return tuple(sorted(dates, key=lambda d: (d.day, order[d.kind])))

    @property
    def has_forecast(self) -> bool:
        return self.expected_roi is not None or self.expected_cac is not None


def glance(plan: Plan, mix: MixView, outlook: Forecast | None = None) -> Glance:
    """The plan at a glance, from the plan and the views the rest of the deliverable uses (`outlook`: its forecast)."""
    # sorted() is stable: on equal costs, the means written first comes first.
    biggest = sorted(plan.means, key=lambda m: -m.cost)[:TOP_MEANS]
    milestones = sorted(plan.milestones, key=lambda m: (m.date, m.milestone))
    steps = next_steps_in_order(plan)
    return Glance(
        summary=plan.summary,
        total=mix.total,
        by_p=mix.by_p,
        lines_cost=mix.lines_cost,
        reserve=mix.reserve,
        remaining=mix.remaining,
        top_means=tuple(TopMeans(m, m.mix_p or "other", m.cost, mix.share(m.cost)) for m in biggest),
        objectives=tuple(plan.objectives[:MOST_OBJECTIVES]),
        more_objectives=max(0, len(plan.objectives) - MOST_OBJECTIVES),
        start=plan.plan.period.start,
        end=plan.plan.period.end,
        milestones=tuple(milestones[:MOST_MILESTONES]),
        more_milestones=max(0, len(milestones) - MOST_MILESTONES),
        first_step=steps[0] if steps else None,
        expected_roi=_expected(outlook, "roi"),
        expected_cac=_expected(outlook, "cac"),
    )


def _expected(outlook: Forecast | None, metric: str) -> Decimal | None:
    found = outlook.total(metric) if outlook is not None else None
    return found.base if found is not None else None


def next_steps_in_order(plan: Plan) -> tuple[NextStep, ...]:
    """The next steps by date; steps of one day in the order written."""
    return tuple(sorted(plan.next_steps, key=lambda step: step.date))
