"""Stage 3, check (the rules): the coherence rules a valid-looking plan must also pass.

Each rule is one small function registered with `@rule`, returning the
problems it sees as (data path, message). `check(plan)` runs them all. Rule
ids are permanent; the hundreds digit is the family: 1xx structure and
references, 2xx budget, 3xx schedule, 4xx objectives, targets and KPIs,
5xx results. Ids 100-109 are raised while loading and modelling (syntax,
unknown key, wrong value, missing key, duplicate key, unsupported YAML,
means without objective or target) and are registered here for the docs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from . import vocab
from .diagnostics import suggest
from .errors import Severity
from .loader import DataPath
from .model import Period, Plan, ScheduledMeans

UNALLOCATED_WARNING_SHARE = Decimal("0.10")


@dataclass(frozen=True)
class Issue:
    """A rule's finding before it is placed at a line and column."""

    rule: str
    severity: Severity
    path: DataPath
    message: str
    at_key: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    run: Callable[[Plan], Iterable[tuple[DataPath, str] | tuple[DataPath, str, bool]]] | None = None


RULES: dict[str, Rule] = {}


def _register(rule_id: str, name: str, severity: Severity, summary: str, run=None) -> Rule:
    if rule_id in RULES:
        raise ValueError(f"rule id {rule_id} registered twice")
    RULES[rule_id] = Rule(rule_id, name, severity, summary, run)
    return RULES[rule_id]


def rule(rule_id: str, name: str, severity: Severity):
    """Register a check; its docstring's first line is the rule's summary."""

    def decorate(function):
        summary = (function.__doc__ or name).strip().splitlines()[0]
        _register(rule_id, name, severity, summary, function)
        return function

    return decorate


# Raised by the loader and the models; listed so that `rules` and the docs see them.
_register("MP100", "yaml-syntax", "error", "The file is not valid YAML, or holds no plan.")
_register("MP101", "unknown-key", "error", "A key that the format does not define (often a typo).")
_register("MP102", "invalid-value", "error", "A value of the wrong type or outside its allowed values.")
_register("MP103", "missing-key", "error", "A required key is missing.")
_register("MP104", "duplicate-key", "error", "The same key twice in one mapping; YAML would silently keep only one.")
_register("MP108", "unsupported-yaml", "error", "YAML features a plan does not need: tags, alias bombs, deep nesting.")
_register("MP109", "means-unlinked", "error", "A means with no objective or no target.")


def check(plan: Plan) -> list[Issue]:
    """Run every coherence rule over a modelled plan."""
    issues: list[Issue] = []
    for registered in RULES.values():
        if registered.run is None:
            continue
        for found in registered.run(plan):
            path, message, *rest = found
            issues.append(Issue(registered.id, registered.severity, path, message, bool(rest and rest[0])))
    return issues


# --- 1xx: ids and references --------------------------------------------------


def _id_lists(plan: Plan) -> Iterator[tuple[str, list]]:
    yield "objectives", plan.objectives
    yield "targets", plan.targets
    yield "means", plan.means
    if plan.context is not None:
        yield "segments", plan.context.segments


def _section_path(section: str) -> DataPath:
    return ("context", "segments") if section == "segments" else (section,)


@rule("MP105", "duplicate-id", "error")
def duplicate_ids(plan: Plan):
    """Two items of one list share an id, so references to it are ambiguous."""
    for section, items in _id_lists(plan):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                yield (
                    _section_path(section) + (index, "id"),
                    f"id '{item.id}' is already used by {section}[{seen[item.id]}]; ids must be unique in their list",
                )
            else:
                seen[item.id] = index


def _unknown(kind: str, used: str, known: dict[str, object]) -> str:
    listed = "none defined" if not known else ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return f"no {kind} has the id '{used}'{suggest(used, known)}; known {kind} ids: {listed}"


@rule("MP106", "unknown-id", "error")
def unknown_ids(plan: Plan):
    """A reference to an id that no item of the referenced list has."""
    objectives = {o.id: o for o in plan.objectives}
    targets = {t.id: t for t in plan.targets}
    means = {m.id: m for m in plan.means}
    segments = {s.id: s for s in plan.context.segments} if plan.context else {}
    for index, item in enumerate(plan.means):
        for position, used in enumerate(item.objectives):
            if used not in objectives:
                yield ("means", index, "objectives", position), _unknown("objective", used, objectives)
        for position, used in enumerate(item.targets):
            if used not in targets:
                yield ("means", index, "targets", position), _unknown("target", used, targets)
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans) and entry.means not in means:
            yield ("schedule", index, "means"), _unknown("means", entry.means, means)
    for index, row in enumerate(plan.results):
        if row.means not in means:
            yield ("results", index, "means"), _unknown("means", row.means, means)
    for key in plan.message.by_target:
        if key not in targets:
            yield ("message", "by_target", key), _unknown("target", key, targets), True
    for index, target in enumerate(plan.targets):
        if target.segment is not None and target.segment not in segments:
            yield ("targets", index, "segment"), _unknown("segment", target.segment, segments)


@rule("MP107", "p-missing", "error")
def means_without_p(plan: Plan):
    """A means on channel `other` must say which P it belongs to with `p:`."""
    for index, item in enumerate(plan.means):
        if item.mix_p is None:
            yield ("means", index, "channel"), (
                "a means on channel 'other' has no default P: add p: product, price, place or promotion"
            )


# --- 2xx: budget ----------------------------------------------------------------


def plain_amount(value: Decimal, currency: str) -> str:
    """An amount for messages, without Babel (kept off the validate path): 12,000 EUR."""
    return f"{value:,.2f} {currency}".replace(".00 ", " ")


@rule("MP201", "budget-over", "error")
def budget_over(plan: Plan):
    """Means, budget lines and reserve together cost more than budget.total."""
    budget = plan.budget
    means = sum((m.cost for m in plan.means), Decimal(0))
    lines = sum((line.cost for line in budget.lines), Decimal(0))
    planned = means + lines + budget.reserve
    if planned > budget.total:
        cur = plan.plan.currency
        yield ("budget", "total"), (
            f"planned spending {plain_amount(planned, cur)} (means {plain_amount(means, cur)} + lines {plain_amount(lines, cur)} "
            f"+ reserve {plain_amount(budget.reserve, cur)}) exceeds the budget of {plain_amount(budget.total, cur)} "
            f"by {plain_amount(planned - budget.total, cur)}: cut costs or raise budget.total"
        )


@rule("MP202", "budget-unallocated", "warning")
def budget_unallocated(plan: Plan):
    """More than 10 % of the budget is assigned to nothing."""
    budget = plan.budget
    if budget.total <= 0:
        return
    planned = sum((m.cost for m in plan.means), Decimal(0)) + sum((x.cost for x in budget.lines), Decimal(0))
    left = budget.total - planned - budget.reserve
    if left > budget.total * UNALLOCATED_WARNING_SHARE:
        share = (left / budget.total * 100).quantize(Decimal("1"))
        yield ("budget", "total"), (
            f"{plain_amount(left, plan.plan.currency)} ({share} %) of the budget is not allocated to any means, "
            "line or reserve: assign it, or lower budget.total"
        )


# --- 3xx: schedule and dates ------------------------------------------------------


@rule("MP301", "means-unscheduled", "warning")
def means_unscheduled(plan: Plan):
    """A means that never appears in the schedule."""
    scheduled = {entry.means for entry in plan.scheduled}
    for index, item in enumerate(plan.means):
        if item.id not in scheduled:
            yield ("means", index, "id"), (
                f"means '{item.id}' is never scheduled: add {{means: {item.id}, start: ..., end: ...}} to schedule"
            )


def _within(period: Period) -> str:
    return f"outside the plan's period ({period.start.isoformat()} to {period.end.isoformat()})"


@rule("MP302", "date-outside-period", "error")
def dates_outside_period(plan: Plan):
    """A schedule date that falls outside plan.period."""
    period = plan.plan.period
    if period.end < period.start:
        return  # reported by MP303; every date would look wrong
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans):
            for name in ("start", "end"):
                day = getattr(entry, name)
                if not period.start <= day <= period.end:
                    yield ("schedule", index, name), f"{name} {day.isoformat()} is {_within(period)}"
        elif not period.start <= entry.date <= period.end:
            yield ("schedule", index, "date"), (
                f"milestone date {entry.date.isoformat()} is {_within(period)}"
            )


@rule("MP303", "end-before-start", "error")
def end_before_start(plan: Plan):
    """A period or a scheduled means that ends before it starts."""
    period = plan.plan.period
    if period.end < period.start:
        yield ("plan", "period", "end"), (
            f"the plan ends ({period.end.isoformat()}) before it starts ({period.start.isoformat()})"
        )
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans) and entry.end < entry.start:
            yield ("schedule", index, "end"), (
                f"'{entry.means}' ends ({entry.end.isoformat()}) before it starts ({entry.start.isoformat()})"
            )


# --- 4xx: objectives, targets and KPIs --------------------------------------------


@rule("MP401", "deadline-outside-period", "error")
def deadline_outside_period(plan: Plan):
    """An objective whose deadline falls outside plan.period."""
    period = plan.plan.period
    if period.end < period.start:
        return
    for index, objective in enumerate(plan.objectives):
        if not period.start <= objective.deadline <= period.end:
            yield ("objectives", index, "deadline"), (
                f"deadline {objective.deadline.isoformat()} is {_within(period)}"
            )


@rule("MP402", "objective-unserved", "warning")
def objective_unserved(plan: Plan):
    """An objective that no means serves: nothing in the plan works towards it."""
    served = {used for item in plan.means for used in item.objectives}
    for index, objective in enumerate(plan.objectives):
        if objective.id not in served:
            yield ("objectives", index, "id"), (
                f"no means serves objective '{objective.id}': add it to the objectives of a means, or drop it"
            )


@rule("MP403", "objective-no-baseline", "warning")
def objective_without_baseline(plan: Plan):
    """An objective without a baseline, so progress cannot be judged."""
    for index, objective in enumerate(plan.objectives):
        if objective.baseline is None:
            yield ("objectives", index, "id"), (
                f"objective '{objective.id}' has no baseline: give today's value of {objective.metric} "
                "so the progress it asks for is clear"
            )


@rule("MP404", "rate-out-of-range", "warning")
def rate_out_of_range(plan: Plan):
    """A target for a rate (ctr, conversion, bounce, engagement) outside 0-1."""

    def advice(metric: str, target: Decimal) -> str:
        return (
            f"a {metric} target of {target} is outside 0-1: rates are fractions, "
            f"so write {target / 100} for {target} %" if target > 1 else f"a {metric} target cannot be negative"
        )

    for index, objective in enumerate(plan.objectives):
        if objective.metric in vocab.RATES and not 0 <= objective.target <= 1:
            yield ("objectives", index, "target"), advice(objective.metric, objective.target)
    for index, item in enumerate(plan.means):
        for position, kpi in enumerate(item.kpis):
            if kpi.metric in vocab.RATES and not 0 <= kpi.target <= 1:
                yield ("means", index, "kpis", position, "target"), advice(kpi.metric, kpi.target)


@rule("MP405", "target-unreached", "warning")
def target_unreached(plan: Plan):
    """A target audience that no means reaches."""
    reached = {used for item in plan.means for used in item.targets}
    for index, target in enumerate(plan.targets):
        if target.id not in reached:
            yield ("targets", index, "id"), (
                f"no means reaches target '{target.id}': add it to the targets of a means, or drop it"
            )


# --- 5xx: results ------------------------------------------------------------------


@rule("MP501", "results-outside-period", "warning")
def results_outside_period(plan: Plan):
    """A results month outside plan.period."""
    period = plan.plan.period
    first_month = period.start.replace(day=1)
    for index, row in enumerate(plan.results):
        if not first_month <= row.month <= period.end:
            yield ("results", index, "month"), (
                f"month {row.month:%Y-%m} is {_within(period)}"
            )
