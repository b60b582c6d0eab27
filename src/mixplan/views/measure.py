"""How each objective is measured: the one computation every view of the dashboard reads.

Owned by `progress`, which hands it the results rows indexed by means and by
month; no I/O, no formatting. The rules are those of docs/format.md, "How an
objective is measured":

- The window runs from the objective's `from` (else the plan's start) to its
  deadline; a results row or a `measured` figure counts when its month
  overlaps the window.
- Three figures are worked out, each over the window: *measured* (the
  business's own figures), *attributed* (the rows of the means serving the
  objective) and *all actions* (every row of the plan). The actual is the
  measured figure when there is one, else the attributed one, or the all
  actions one under `scope: all`.
- A total adds up; a level is the baseline plus what the window added (or the
  latest measured figure); a rate is the ratio of the window's sums, never an
  average of monthly rates (or the latest measured figure, which is the rate
  from the window's start to that month's end).
- Expected to date: a total, the target times the elapsed share; a level,
  the baseline moved toward the target by that share, never below the
  baseline; a rate, the target.
- Status: ahead / on track / behind for totals and levels (a level compares
  what it gained with the gain expected), better / on target / worse for
  rates, with the tolerance band of `progress.TOLERANCE`.
- Progress (what a bar fills): a total, actual ÷ target; a level, the share
  of the way from baseline to target; a rate, the share of the improvement
  asked for, from baseline to target, held between 0 and 100 % (without a
  baseline: actual ÷ target, or target ÷ actual when lower is better). Never
  below 0.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..plan import vocab
from ..plan.model import Objective
from . import metrics

# A metric's sums over some rows: (sum, None) for a count, (numerator, denominator) for a computed metric.
Parts = tuple[Decimal | None, Decimal | None]
NO_PARTS: Parts = (None, None)

# ahead / on track / behind for counts, totals and levels; better / on target / worse for computed metrics.
Status = Literal["ahead", "on_track", "behind", "better", "on_target", "worse", "no_data"]

# Status words of a rate (and of every computed metric): the time elapsed does not enter into it.
RATE_WORDS: dict[str, Status] = {"ahead": "better", "on_track": "on_target", "behind": "worse", "no_data": "no_data"}


def worded(metric: str, status: Status) -> Status:
    """The status word that fits the metric: better / on target / worse for a computed metric."""
    return RATE_WORDS[status] if metric in vocab.COMPUTED_METRICS else status


def parts(metric: str, rows: Iterable[dict]) -> Parts:
    """The sums a metric is made of, over the rows that hold every count it needs."""
    if metric in vocab.RAW_COUNTS:
        return metrics.total(metric, rows), None
    return metrics.ratio_parts(metric, rows)


def add(left: Parts, right: Parts) -> Parts:
    return tuple(  # type: ignore[return-value]
        b if a is None else a if b is None else a + b for a, b in zip(left, right)
    )


def holds(metric: str, found: Parts) -> bool:
    """Whether some row gave the metric's counts."""
    return found[0] is not None and (metric in vocab.RAW_COUNTS or found[1] is not None)


def value_of(metric: str, found: Parts) -> Decimal | None:
    if metric in vocab.RAW_COUNTS:
        return found[0]
    return metrics.ratio(*found)


@dataclass(frozen=True)
class Contribution:
    """A means whose results rows in the window hold the objective's metric, with what they give alone."""

    means: str
    value: Decimal | None  # a count or an amount: what it added; a rate: its own rate


@dataclass(frozen=True)
class Figures:
    """An objective's three figures over its window, and which one is its actual."""

    measure: str  # total | level | rate
    source: str  # measured | attributed | all: where the actual comes from
    measured: Decimal | None
    attributed: Decimal | None
    all_actions: Decimal | None  # the whole plan's figure of the metric over the window
    contributions: list[Contribution]  # the means behind the attributed figure (every means' under scope: all)
    attributed_parts: Parts
    all_parts: Parts

    @property
    def actual(self) -> Decimal | None:
        return {"measured": self.measured, "attributed": self.attributed, "all": self.all_actions}[self.source]


def figures(
    objective: Objective,
    start: _dt.date,
    serving: list[str],
    rows_of: dict[str, list[tuple[_dt.date, dict]]],
    month_parts: dict[_dt.date, Parts],
) -> Figures:
    """The objective's figures, from the rows of each means (with their months) and the plan's sums per month."""
    metric, measure = objective.metric, objective.measure_kind
    first, last = start.replace(day=1), objective.deadline

    def means_parts(ids: Iterable[str]) -> tuple[Parts, list[Contribution]]:
        total, found = NO_PARTS, []
        for means in ids:
            own = parts(metric, (counts for month, counts in rows_of.get(means, ()) if first <= month <= last))
            if holds(metric, own):
                found.append(Contribution(means, value_of(metric, own)))
                total = add(total, own)
        return total, found

    attributed_parts, contributions = means_parts(dict.fromkeys(serving))
    all_parts = NO_PARTS
    for month, found in month_parts.items():
        if first <= month <= last:
            all_parts = add(all_parts, found)
    if objective.scope == "all":
        _, contributions = means_parts(rows_of)

    base = objective.baseline or Decimal(0)

    def figure(found: Parts) -> Decimal | None:
        if not holds(metric, found):
            return None
        value = value_of(metric, found)
        return base + value if measure == "level" and value is not None else value

    in_window = sorted((m for m in objective.measured if first <= m.month <= last), key=lambda m: m.month)
    if not in_window:
        measured = None
    elif measure == "total":
        measured = sum((m.value for m in in_window), Decimal(0))
    else:  # a level, or a rate from the window's start: the latest figure holds the others
        measured = in_window[-1].value
    if measured is not None:
        source = "measured"
    else:
        source = "all" if objective.scope == "all" else "attributed"
    return Figures(
        measure,
        source,
        measured,
        figure(attributed_parts),
        figure(all_parts),
        contributions,
        attributed_parts,
        all_parts,
    )


def expected(measure: str, target: Decimal, baseline: Decimal | None, share: Decimal | None) -> Decimal | None:
    if share is None:
        return None
    if measure == "total":
        return target * share
    if measure == "rate":
        return target
    base = baseline or Decimal(0)
    return max(base + (target - base) * share, base)


def status(
    metric: str,
    measure: str,
    expected_value: Decimal | None,
    actual: Decimal | None,
    baseline: Decimal | None,
    tolerance: Decimal,
) -> Status:
    if expected_value is None or actual is None:
        return "no_data"
    if measure == "level":
        # A level is judged on what it gained: a band around a large stock would hide any shortfall.
        base = baseline or Decimal(0)
        expected_value, actual = expected_value - base, actual - base
    band = abs(expected_value) * tolerance
    gain = actual - expected_value if metrics.info(metric).higher_is_better else expected_value - actual
    word: Status = "ahead" if gain > band else "behind" if gain < -band else "on_track"
    return RATE_WORDS[word] if measure == "rate" else word


def progress_share(
    metric: str, measure: str, target: Decimal, baseline: Decimal | None, actual: Decimal | None
) -> Decimal | None:
    """How far the objective has come, 1 meaning the target is reached."""
    if actual is None:
        return None
    if measure == "total":
        share = metrics.ratio(actual, target) if target > 0 else None
        return None if share is None else max(share, Decimal(0))
    if baseline is not None and target != baseline:
        share = (actual - baseline) / (target - baseline)
    elif measure == "level":
        share = metrics.ratio(actual, target) if target > 0 else None
    elif metrics.info(metric).higher_is_better:
        share = metrics.ratio(actual, target) if target > 0 else None
    else:
        share = metrics.ratio(target, actual) if actual > 0 else None
    if share is None:
        return None
    share = max(share, Decimal(0))
    return min(share, Decimal(1)) if measure == "rate" else share
