"""Stage 3, check (the rules): the coherence rules a valid-looking plan must also pass.

Each rule is one small function attached with `@rule` to its id, declared
with its name, severity, summary and fix in rule_ids.py, and yields the
problems it sees as (data path, message). `check(plan)` runs them all. The
ids raised while loading and modelling are in RULES too, without a check.
The hundreds digit of an id is its family; 6xx the plan's other chapters
(journey, team, risks, next steps) and the forecast before launch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from .. import rule_ids
from ..errors import Severity
from ..language import current, grouped, plural, say
from ..loading.reader import DataPath, collector_paused
from ..plan import vocab
from ..plan.model import Period, Plan, ScheduledMeans
from ..present.amounts import said_amount
from ..rule_ids import DeclaredRule
from ..views import calendar
from .location import nth_item
from .structure import suggest

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
class Rule(DeclaredRule):
    """A declared rule (rule_ids.py) and, for a coherence rule, the check that finds it."""

    run: Callable[[Plan], Iterable[tuple[DataPath, str] | tuple[DataPath, str, bool]]] | None = None


# Every declared rule, in declaration order; the loader's and the models' have no check here.
RULES: dict[str, Rule] = {rule_id: Rule(**asdict(declared)) for rule_id, declared in rule_ids.DECLARED.items()}


def rule(rule_id: str):
    """Attach a check to the declared rule `rule_id`: it yields (data path, message) or (..., at key)."""

    def decorate(function):
        declared = RULES[rule_id]
        if declared.run is not None or not declared.ignorable:
            raise ValueError(f"rule {rule_id} already has a check, or is not one the rules find")
        RULES[rule_id] = replace(declared, run=function)
        return function

    return decorate


def unknown_rule_message(rule_id: str) -> str | None:
    """Why `rule_id` cannot be ignored, or None when it can."""
    known = RULES.get(rule_id)
    if known is None:
        return say(f"{rule_ids.LINT_UNKNOWN_RULE}.unknown", rule=rule_id, hint=suggest(rule_id, RULES))
    if not known.ignorable:
        return say(f"{rule_ids.LINT_UNKNOWN_RULE}.not_ignorable", rule=rule_id, name=known.name)
    return None


# What several rules of one check() share, such as the plan's forecast; gone when the check ends,
# so nothing holds on to a plan, and each thread or task checking a plan has its own.
_shared: ContextVar[dict[str, Any] | None] = ContextVar("mixplan_check_shared", default=None)


def check(plan: Plan) -> list[Issue]:
    """Run every coherence rule over a modelled plan."""
    issues: list[Issue] = []
    scope = _shared.set({})
    # The rules build indexes of every id and month: no cycles, so no collection needed.
    try:
        with collector_paused():
            for registered in RULES.values():
                if registered.run is None:
                    continue
                for found in registered.run(plan):
                    path, message, *rest = found
                    issues.append(Issue(registered.id, registered.severity, path, message, bool(rest and rest[0])))
    finally:
        _shared.reset(scope)
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


@rule(rule_ids.DUPLICATE_ID)
def duplicate_ids(plan: Plan):
    for section, items in _id_lists(plan):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                yield (
                    _section_path(section) + (index, "id"),
                    say(f"{rule_ids.DUPLICATE_ID}.duplicate", id=item.id, first=nth_item(section, seen[item.id])),
                )
            else:
                seen[item.id] = index


def _unknown(kind: str, used: str, known: Mapping[str, object]) -> str:
    """`kind`: objective, target, means or segment, each worded in full in the catalogues."""
    listed = (
        say(f"{rule_ids.UNKNOWN_ID}.none")
        if not known
        else ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    )
    return say(f"{rule_ids.UNKNOWN_ID}.{kind}", used=used, hint=suggest(used, known), listed=listed)


@rule(rule_ids.UNKNOWN_ID)
def unknown_ids(plan: Plan):
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


@rule(rule_ids.P_MISSING)
def means_without_p(plan: Plan):
    for index, item in enumerate(plan.means):
        if item.mix_p is None:
            yield (
                ("means", index, "channel"),
                say(f"{rule_ids.P_MISSING}.no_p"),
            )


@rule(rule_ids.LINT_UNKNOWN_RULE)
def lint_unknown_rules(plan: Plan):
    if plan.lint is None:
        return
    for index, rule_id in enumerate(plan.lint.ignore):
        problem = unknown_rule_message(rule_id)
        if problem:
            yield ("lint", "ignore", index), problem


# --- 2xx: budget ----------------------------------------------------------------


@rule(rule_ids.BUDGET_OVER)
def budget_over(plan: Plan):
    budget = plan.budget
    means = sum((m.cost for m in plan.means), Decimal(0))
    lines = sum((line.cost for line in budget.lines), Decimal(0))
    planned = means + lines + budget.reserve
    if planned > budget.total:
        cur = plan.plan.currency
        yield (
            ("budget", "total"),
            say(
                f"{rule_ids.BUDGET_OVER}.over",
                planned=said_amount(planned, cur),
                means=said_amount(means, cur),
                lines=said_amount(lines, cur),
                reserve=said_amount(budget.reserve, cur),
                total=said_amount(budget.total, cur),
                over=said_amount(planned - budget.total, cur),
            ),
        )


@rule(rule_ids.BUDGET_UNALLOCATED)
def budget_unallocated(plan: Plan):
    budget = plan.budget
    if budget.total <= 0:
        return
    planned = sum((m.cost for m in plan.means), Decimal(0)) + sum((x.cost for x in budget.lines), Decimal(0))
    left = budget.total - planned - budget.reserve
    if left > budget.total * UNALLOCATED_WARNING_SHARE:
        share = (left / budget.total * 100).quantize(Decimal("1"))
        yield (
            ("budget", "total"),
            say(f"{rule_ids.BUDGET_UNALLOCATED}.unallocated", left=said_amount(left, plan.plan.currency), share=share),
        )


@rule(rule_ids.MEANS_OVERSPENT)
def means_overspent(plan: Plan):
    spent: dict[str, Decimal] = {}
    for row in plan.results:
        if row.spend is not None:
            spent[row.means] = spent.get(row.means, Decimal(0)) + row.spend
    for index, item in enumerate(plan.means):
        actual = spent.get(item.id)
        if actual is not None and actual > item.cost:
            cur = plan.plan.currency
            yield (
                ("means", index, "cost"),
                say(
                    f"{rule_ids.MEANS_OVERSPENT}.overspent",
                    id=item.id,
                    spent=said_amount(actual, cur),
                    over=said_amount(actual - item.cost, cur),
                    cost=said_amount(item.cost, cur),
                ),
            )


# --- 3xx: schedule and dates ------------------------------------------------------


@rule(rule_ids.MEANS_UNSCHEDULED)
def means_unscheduled(plan: Plan):
    scheduled = {entry.means for entry in plan.scheduled}
    for index, item in enumerate(plan.means):
        if item.id not in scheduled:
            yield (
                ("means", index, "id"),
                say(f"{rule_ids.MEANS_UNSCHEDULED}.unscheduled", id=item.id),
            )


def _within(period: Period) -> str:
    return say("period.outside", start=period.start.isoformat(), end=period.end.isoformat())


@rule(rule_ids.DATE_OUTSIDE_PERIOD)
def dates_outside_period(plan: Plan):
    period = plan.plan.period
    if period.end < period.start:
        return  # reported by MP303; every date would look wrong
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans):
            for name in ("start", "end"):
                day = getattr(entry, name)
                if not period.start <= day <= period.end:
                    yield (
                        ("schedule", index, name),
                        say(f"{rule_ids.DATE_OUTSIDE_PERIOD}.{name}", day=day.isoformat(), within=_within(period)),
                    )
        elif not period.start <= entry.date <= period.end:
            yield (
                ("schedule", index, "date"),
                say(f"{rule_ids.DATE_OUTSIDE_PERIOD}.milestone", day=entry.date.isoformat(), within=_within(period)),
            )


@rule(rule_ids.END_BEFORE_START)
def end_before_start(plan: Plan):
    period = plan.plan.period
    if period.end < period.start:
        yield (
            ("plan", "period", "end"),
            say(f"{rule_ids.END_BEFORE_START}.plan", end=period.end.isoformat(), start=period.start.isoformat()),
        )
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans) and entry.end < entry.start:
            yield (
                ("schedule", index, "end"),
                say(
                    f"{rule_ids.END_BEFORE_START}.means",
                    means=entry.means,
                    end=entry.end.isoformat(),
                    start=entry.start.isoformat(),
                ),
            )


def _first_starts(plan: Plan) -> dict[str, tuple[int, ScheduledMeans]]:
    """The earliest flight of each scheduled means, with its index in `schedule`."""
    first: dict[str, tuple[int, ScheduledMeans]] = {}
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans):
            known = first.get(entry.means)
            if known is None or entry.start < known[1].start:
                first[entry.means] = (index, entry)
    return first


SAME_START_MINIMUM = 3


@rule(rule_ids.SCHEDULE_SAME_START)
def schedule_same_start(plan: Plan):
    first = _first_starts(plan)
    starts = {entry.start for _, entry in first.values()}
    if len(first) >= SAME_START_MINIMUM and len(starts) == 1:
        index = min(index for index, _ in first.values())
        yield (
            ("schedule", index, "start"),
            say(f"{rule_ids.SCHEDULE_SAME_START}.same_start", count=len(first), day=starts.pop().isoformat()),
        )


@rule(rule_ids.MEANS_AFTER_DEADLINE)
def means_after_deadline(plan: Plan):
    deadlines = {objective.id: objective.deadline for objective in plan.objectives}
    first = _first_starts(plan)
    for item in plan.means:
        if item.id not in first:
            continue
        served = [deadlines[used] for used in item.objectives if used in deadlines]
        index, entry = first[item.id]
        if served and entry.start > max(served):
            yield (
                ("schedule", index, "start"),
                say(
                    f"{rule_ids.MEANS_AFTER_DEADLINE}.late",
                    id=item.id,
                    start=entry.start.isoformat(),
                    latest=max(served).isoformat(),
                ),
            )


# --- 4xx: objectives, targets and KPIs --------------------------------------------


@rule(rule_ids.DEADLINE_OUTSIDE_PERIOD)
def deadline_outside_period(plan: Plan):
    period = plan.plan.period
    if period.end < period.start:
        return
    for index, objective in enumerate(plan.objectives):
        if not period.start <= objective.deadline <= period.end:
            yield (
                ("objectives", index, "deadline"),
                say(
                    f"{rule_ids.DEADLINE_OUTSIDE_PERIOD}.deadline",
                    day=objective.deadline.isoformat(),
                    within=_within(period),
                ),
            )


def _listed_by_no_means(plan: Plan, section: Literal["objectives", "targets"], says: Callable[[str], str]):
    """Each objective (or target) whose id no means lists under the same key: it is planned for nothing."""
    listed = {used for item in plan.means for used in getattr(item, section)}
    for index, entry in enumerate(getattr(plan, section)):
        if entry.id not in listed:
            yield (section, index, "id"), says(entry.id)


@rule(rule_ids.OBJECTIVE_UNSERVED)
def objective_unserved(plan: Plan):
    return _listed_by_no_means(
        plan,
        "objectives",
        lambda unused: say(f"{rule_ids.OBJECTIVE_UNSERVED}.unserved", id=unused),
    )


@rule(rule_ids.OBJECTIVE_NO_BASELINE)
def objective_without_baseline(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        if objective.baseline is None:
            yield (
                ("objectives", index, "id"),
                say(
                    f"{rule_ids.OBJECTIVE_NO_BASELINE}.no_baseline",
                    id=objective.id,
                    metric=_metric_words(objective.metric),
                ),
            )


def _target_sites(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        yield ("objectives", index, "target"), objective.metric, objective.target
    for index, item in enumerate(plan.means):
        for position, kpi in enumerate(item.kpis):
            yield ("means", index, "kpis", position, "target"), kpi.metric, kpi.target


@rule(rule_ids.RATE_OUT_OF_RANGE)
def rate_out_of_range(plan: Plan):

    def advice(metric: str, target: Decimal) -> str:
        if target > 1:
            return say(
                f"{rule_ids.RATE_OUT_OF_RANGE}.above_one",
                metric=_metric_words(metric),
                target=target,
                fraction=target / 100,
            )
        return say(f"{rule_ids.RATE_OUT_OF_RANGE}.negative", metric=_metric_words(metric))

    for path, metric, target in _target_sites(plan):
        if metric in vocab.RATES and not 0 <= target <= 1:
            yield path, advice(metric, target)


@rule(rule_ids.TARGET_UNREACHED)
def target_unreached(plan: Plan):
    return _listed_by_no_means(
        plan,
        "targets",
        lambda unused: say(f"{rule_ids.TARGET_UNREACHED}.unreached", id=unused),
    )


@rule(rule_ids.MESSAGE_VARIANT_MISSING)
def message_variant_missing(plan: Plan):
    # Variants keyed by an unknown id are MP106's business, not evidence of a pattern.
    known = {target.id for target in plan.targets}
    variants = [key for key in plan.message.by_target if key in known]
    if not variants:
        return
    for index, target in enumerate(plan.targets):
        if target.id not in variants:
            yield (
                ("targets", index, "id"),
                say(f"{rule_ids.MESSAGE_VARIANT_MISSING}.no_variant", id=target.id, count=len(variants)),
            )


@rule(rule_ids.TARGET_NEGATIVE)
def target_negative(plan: Plan):
    for path, metric, target in _target_sites(plan):
        if target < 0 and metric != "roi" and metric not in vocab.RATES:
            yield (
                path,
                say(f"{rule_ids.TARGET_NEGATIVE}.negative", metric=_metric_words(metric), target=target),
            )


@rule(rule_ids.OBJECTIVE_NO_PROGRESS)
def objective_no_progress(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        baseline, target, metric = objective.baseline, objective.target, objective.metric
        if baseline is None or metric in vocab.NO_DIRECTION:
            continue
        lower_wins = metric in vocab.LOWER_IS_BETTER
        if target == baseline:
            yield (
                ("objectives", index, "target"),
                say(f"{rule_ids.OBJECTIVE_NO_PROGRESS}.same", id=objective.id, target=target),
            )
        elif (target > baseline) if lower_wins else (target < baseline):
            yield (
                ("objectives", index, "target"),
                say(
                    f"{rule_ids.OBJECTIVE_NO_PROGRESS}.lower_is_better"
                    if lower_wins
                    else f"{rule_ids.OBJECTIVE_NO_PROGRESS}.higher_is_better",
                    id=objective.id,
                    target=target,
                    baseline=baseline,
                    metric=_metric_words(metric),
                ),
            )


@rule(rule_ids.MEASURE_MISMATCH)
def measure_mismatch(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        if objective.measure is None:
            continue
        computed = objective.metric in vocab.COMPUTED_METRICS
        if computed and objective.measure != "rate":
            yield (
                ("objectives", index, "measure"),
                say(
                    f"{rule_ids.MEASURE_MISMATCH}.computed_{objective.measure}", metric=_metric_words(objective.metric)
                ),
            )
        elif not computed and objective.measure == "rate":
            yield (
                ("objectives", index, "measure"),
                say(f"{rule_ids.MEASURE_MISMATCH}.count", metric=_metric_words(objective.metric)),
            )


@rule(rule_ids.WINDOW_OUTSIDE_PERIOD)
def window_outside_period(plan: Plan):
    period = plan.plan.period
    if period.end < period.start:
        return
    for index, objective in enumerate(plan.objectives):
        start = objective.window_start
        if start is None:
            continue
        if not period.start <= start <= period.end:
            yield (
                ("objectives", index, "from"),
                say(f"{rule_ids.WINDOW_OUTSIDE_PERIOD}.outside", day=start.isoformat(), within=_within(period)),
            )
        elif start > objective.deadline:
            yield (
                ("objectives", index, "from"),
                say(
                    f"{rule_ids.WINDOW_OUTSIDE_PERIOD}.after_deadline",
                    id=objective.id,
                    start=start.isoformat(),
                    deadline=objective.deadline.isoformat(),
                ),
            )


# --- 5xx: results ------------------------------------------------------------------


@rule(rule_ids.RESULTS_OUTSIDE_PERIOD)
def results_outside_period(plan: Plan):
    period = plan.plan.period
    first_month = period.start.replace(day=1)
    for index, row in enumerate(plan.results):
        if not first_month <= row.month <= period.end:
            yield (
                ("results", index, "month"),
                say(f"{rule_ids.RESULTS_OUTSIDE_PERIOD}.outside", month=f"{row.month:%Y-%m}", within=_within(period)),
            )


def _months_running(plan: Plan) -> dict[str, set[int]]:
    """For each scheduled means, the months (see `calendar.month_number`) in which one of its flights runs."""
    running: dict[str, set[int]] = {}
    for means, runs in calendar.flights(plan).items():
        well_formed = [run for run in runs if run.end >= run.start]  # one ending before it starts is MP303's
        if well_formed:
            running[means] = {month for run in well_formed for month in calendar.month_numbers(run)}
    return running


@rule(rule_ids.RESULTS_NOT_RUNNING)
def results_not_running(plan: Plan):
    running = _months_running(plan)
    period = plan.plan.period
    for index, row in enumerate(plan.results):
        if not period.start.replace(day=1) <= row.month <= period.end:
            continue  # MP501 says so already
        months = running.get(row.means)
        if months is not None and calendar.month_number(row.month) not in months:
            yield (
                ("results", index, "month"),
                say(f"{rule_ids.RESULTS_NOT_RUNNING}.not_running", means=row.means, month=f"{row.month:%Y-%m}"),
            )


@rule(rule_ids.RESULTS_DUPLICATE_ROW)
def results_duplicate_row(plan: Plan):
    seen: dict[tuple[str, object], int] = {}
    for index, row in enumerate(plan.results):
        key = (row.means, row.month)
        if key in seen:
            yield (
                ("results", index, "month"),
                say(
                    f"{rule_ids.RESULTS_DUPLICATE_ROW}.duplicate",
                    first=nth_item("results", seen[key]),
                    means=row.means,
                    month=f"{row.month:%Y-%m}",
                ),
            )
        else:
            seen[key] = index


def _measured_in_window(plan: Plan, objective) -> list:
    first = (objective.window_start or plan.plan.period.start).replace(day=1)
    return [figure for figure in objective.measured if first <= figure.month <= objective.deadline]


@rule(rule_ids.ATTRIBUTED_ABOVE_MEASURED)
def attributed_above_measured(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        kind, metric = objective.measure_kind, objective.metric
        measured = _measured_in_window(plan, objective)
        if not measured or kind == "rate" or metric in vocab.COMPUTED_METRICS:
            continue
        serving = {item.id for item in plan.means if objective.id in item.objectives}
        if kind == "total":
            months = {figure.month for figure in measured}
            seen = sum((figure.value for figure in measured), Decimal(0))
            rows = [r for r in plan.results if r.means in serving and r.month in months]
        else:  # a level: what the means added up to the latest measured month, on top of the baseline
            latest = max(measured, key=lambda figure: figure.month)
            seen = latest.value
            first = (objective.window_start or plan.plan.period.start).replace(day=1)
            rows = [r for r in plan.results if r.means in serving and first <= r.month <= latest.month]
        values = [getattr(row, metric) for row in rows if getattr(row, metric) is not None]
        if not values:
            continue
        claimed = sum(values, Decimal(0)) + ((objective.baseline or Decimal(0)) if kind == "level" else Decimal(0))
        if claimed > seen:
            count = len({row.means for row in rows if getattr(row, metric) is not None})
            yield (
                ("objectives", index, "measured"),
                say(
                    f"{rule_ids.ATTRIBUTED_ABOVE_MEASURED}.above",
                    actions=plural(count, f"{rule_ids.ATTRIBUTED_ABOVE_MEASURED}.actions"),
                    id=objective.id,
                    claimed=grouped(claimed),
                    metric=_metric_words(metric),
                    seen=grouped(seen),
                ),
            )


@rule(rule_ids.OBJECTIVE_UNMEASURED)
def objective_unmeasured(plan: Plan):
    if not plan.results:
        return
    from ..views import metrics

    rows = [metrics.counts_of(row) for row in plan.results]
    for index, objective in enumerate(plan.objectives):
        if objective.measured:
            continue
        if not any(metrics.compute(objective.metric, counts) is not None for counts in rows):
            yield (
                ("objectives", index, "metric"),
                say(
                    f"{rule_ids.OBJECTIVE_UNMEASURED}.unmeasured",
                    metric=_metric_words(objective.metric),
                    key=objective.metric,
                    id=objective.id,
                ),
            )


@rule(rule_ids.MEASURED_OUTSIDE_WINDOW)
def measured_outside_window(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        start = objective.window_start or plan.plan.period.start
        for position, figure in enumerate(objective.measured):
            if not start.replace(day=1) <= figure.month <= objective.deadline:
                yield (
                    ("objectives", index, "measured", position, "month"),
                    say(
                        f"{rule_ids.MEASURED_OUTSIDE_WINDOW}.outside_window",
                        month=f"{figure.month:%Y-%m}",
                        id=objective.id,
                        start=start.isoformat(),
                        deadline=objective.deadline.isoformat(),
                    ),
                )


@rule(rule_ids.MEASURED_DUPLICATE_MONTH)
def measured_duplicate_month(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        seen: dict[object, int] = {}
        for position, figure in enumerate(objective.measured):
            if figure.month in seen:
                yield (
                    ("objectives", index, "measured", position, "month"),
                    say(
                        f"{rule_ids.MEASURED_DUPLICATE_MONTH}.duplicate",
                        first=nth_item("measured", seen[figure.month]),
                        month=f"{figure.month:%Y-%m}",
                    ),
                )
            else:
                seen[figure.month] = position


# --- 6xx: the plan's other chapters: journey and team ----------------------------------


@rule(rule_ids.JOURNEY_STAGE_EMPTY)
def journey_stage_empty(plan: Plan):
    # Most plans place no means on a stage: they pay nothing for the journey's module.
    if not any(item.stage is not None for item in plan.means):
        return
    for index, objective in enumerate(plan.objectives):
        needed = vocab.STAGE_OF_METRIC.get(objective.metric)
        serving = [item for item in plan.means if objective.id in item.objectives]
        if needed is None or not serving or any(item.stage == needed for item in serving):
            continue
        placed = [
            say(f"{rule_ids.JOURNEY_STAGE_EMPTY}.on_stage", id=item.id, stage=item.stage)
            if item.stage
            else say(f"{rule_ids.JOURNEY_STAGE_EMPTY}.on_no_stage", id=item.id)
            for item in serving
        ]
        more = say(f"{rule_ids.JOURNEY_STAGE_EMPTY}.more", count=len(placed) - 6) if len(placed) > 6 else ""
        yield (
            ("objectives", index, "metric"),
            say(
                f"{rule_ids.JOURNEY_STAGE_EMPTY}.stage_empty",
                id=objective.id,
                metric=_metric_words(objective.metric),
                needed=needed,
                shown=", ".join(placed[:6]) + more,
            ),
        )


@rule(rule_ids.MEANS_WITHOUT_RESPONSIBLE)
def means_without_responsible(plan: Plan):
    named = sum(1 for item in plan.means if item.responsible is not None)
    if not named:
        return
    for index, item in enumerate(plan.means):
        if item.responsible is None:
            hint = say(f"{rule_ids.MEANS_WITHOUT_RESPONSIBLE}.owner", owner=item.owner) if item.owner else ""
            yield (
                ("means", index, "id"),
                plural(named, f"{rule_ids.MEANS_WITHOUT_RESPONSIBLE}.no_responsible", id=item.id, hint=hint),
            )


# --- 6xx: the plan's other chapters (risks, next steps) --------------------------------


@rule(rule_ids.RISK_UNMITIGATED)
def risk_unmitigated(plan: Plan):
    for index, item in enumerate(plan.risks):
        if item.impact == "high" and item.mitigation is None:
            yield (
                ("risks", index, "impact"),
                say(f"{rule_ids.RISK_UNMITIGATED}.unmitigated", risk=item.risk),
            )


@rule(rule_ids.NEXT_STEP_OUTSIDE_PERIOD)
def next_step_outside_period(plan: Plan):
    period = plan.plan.period
    if period.end < period.start:
        return  # reported by MP303; every date would look wrong
    for index, item in enumerate(plan.next_steps):
        if item.date < period.start:
            days = (period.start - item.date).days
            when = say(f"{rule_ids.NEXT_STEP_OUTSIDE_PERIOD}.before", days=_days(days), start=period.start.isoformat())
            advice = say(f"{rule_ids.NEXT_STEP_OUTSIDE_PERIOD}.advice_before", rule=rule_ids.NEXT_STEP_OUTSIDE_PERIOD)
        elif item.date > period.end:
            days = (item.date - period.end).days
            when = say(f"{rule_ids.NEXT_STEP_OUTSIDE_PERIOD}.after", days=_days(days), end=period.end.isoformat())
            advice = say(f"{rule_ids.NEXT_STEP_OUTSIDE_PERIOD}.advice_after")
        else:
            continue
        yield (
            ("next_steps", index, "date"),
            say(
                f"{rule_ids.NEXT_STEP_OUTSIDE_PERIOD}.outside",
                step=item.step,
                date=item.date.isoformat(),
                when=when,
                advice=advice,
            ),
        )


def _days(count: int) -> str:
    return plural(count, f"{rule_ids.NEXT_STEP_OUTSIDE_PERIOD}.days", shown=grouped(count))


# --- 6xx: the forecast before launch --------------------------------------------------


def _forecast_of(plan: Plan):
    """The plan's forecast, worked out once per check() for MP621 and MP622 (a rule run alone works its own)."""
    from ..views import forecast

    shared = _shared.get()
    if shared is None:
        return forecast.forecast(plan)
    if "forecast" not in shared:
        shared["forecast"] = forecast.forecast(plan)
    return shared["forecast"]


def _forecast_figure(metric: str, value: Decimal, currency: str) -> str:
    unit = vocab.METRIC_UNIT[metric]
    if unit == "money":
        return said_amount(value.quantize(calendar.CENT), currency)
    if unit == "percent":
        return f"{grouped((value * 100).quantize(Decimal('0.1')))} %"
    if unit == "multiple":
        return f"{grouped(value.quantize(Decimal('0.01')))}x"
    return grouped(value.quantize(Decimal(1)))


def _metric_words(metric: str) -> str:
    """A metric as a sentence names it: its label in French (inscriptions), its id in words in English (signups)."""
    if current() != "fr":
        return metric.replace("_", " ")
    from ..present.labels import labels

    label = str(labels("fr")["metrics"].get(metric, metric))
    # Lowered for mid-sentence, except an acronym such as CTR.
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _channel_words(channel: str) -> str:
    """A channel as a sentence names it: its label in the message's language (TV, « Publicité sur les réseaux sociaux »)."""
    from ..present.labels import labels

    return str(labels(current())["channels"].get(channel, channel))


@rule(rule_ids.FORECAST_SHORT)
def forecast_short(plan: Plan):
    if not plan.has_forecast_input:
        return
    currency = plan.plan.currency
    for index, found in enumerate(_forecast_of(plan).objectives):
        # A means that forecasts nothing for the metric would make any total look short: MP622 speaks of it.
        if not found.short or found.value is None or len(found.reaching) < len(found.serving):
            continue
        words = _metric_words(found.metric)

        def shown(value: Decimal, metric: str = found.metric) -> str:
            return _forecast_figure(metric, value, currency)

        asks = (
            say(
                f"{rule_ids.FORECAST_SHORT}.asks_count",
                target=shown(found.target),
                words=words,
                deadline=found.deadline.isoformat(),
            )
            if found.measure != "rate"
            else say(f"{rule_ids.FORECAST_SHORT}.asks_rate", target=shown(found.target), words=words)
        )
        span = (
            ""
            if found.value.is_exact
            else say(f"{rule_ids.FORECAST_SHORT}.span", low=shown(found.value.low), high=shown(found.value.high))
        )
        yield (
            ("objectives", index, "target"),
            say(
                f"{rule_ids.FORECAST_SHORT}.short",
                id=found.objective,
                asks=asks,
                base=shown(found.value.base),
                span=span,
            ),
        )


@rule(rule_ids.FORECAST_UNREACHABLE)
def forecast_unreachable(plan: Plan):
    if not plan.assumptions and not any(item.funnel for item in plan.means):
        return
    from ..views import forecast

    metric_of = {objective.id: objective.metric for objective in plan.objectives}
    by_means = _forecast_of(plan).means
    for index, item in enumerate(plan.means):
        if not plan.assumptions and not item.funnel:
            continue
        typed = _typed_counts_of(item)
        for position, used in enumerate(item.objectives):
            metric = metric_of.get(used)
            if metric is None or by_means[item.id].value(metric) is not None:
                continue
            missing = forecast.missing_for(metric, by_means[item.id].rates, typed)
            # None: it spends nothing, so it forecasts nothing; a count no rate leads to lacks no assumption.
            if missing is None or not missing.startswith("an assumption"):
                continue
            rate = missing.removeprefix("an assumption for ")
            # One rate name, or the only choice missing_for offers between two ways to count clicks.
            needed = (
                say(f"{rule_ids.FORECAST_UNREACHABLE}.assumption", rate=rate)
                if rate.isidentifier()
                else say(f"{rule_ids.FORECAST_UNREACHABLE}.cpc_or_cpm_and_ctr")
            )
            yield (
                ("means", index, "objectives", position),
                say(
                    f"{rule_ids.FORECAST_UNREACHABLE}.unreachable",
                    id=item.id,
                    used=used,
                    metric=_metric_words(metric),
                    needed=needed,
                ),
            )


def _typed_counts_of(item) -> list[str]:
    from ..views import metrics

    return [] if item.forecast is None else list(metrics.counts_of(item.forecast))


@rule(rule_ids.PHASING_NOT_COST)
def phasing_not_cost(plan: Plan):
    currency = plan.plan.currency
    for index, item in enumerate(plan.means):
        if isinstance(item.phasing, str):
            continue
        written = sum(item.phasing.values(), Decimal(0))
        if written != item.cost:
            yield (
                ("means", index, "phasing"),
                say(
                    f"{rule_ids.PHASING_NOT_COST}.{'short' if written < item.cost else 'over'}",
                    id=item.id,
                    written=said_amount(written, currency),
                    gap=said_amount(abs(item.cost - written), currency),
                    cost=said_amount(item.cost, currency),
                ),
            )


@rule(rule_ids.ASSUMPTION_UNUSED)
def assumption_unused(plan: Plan):
    if not plan.assumptions:
        return
    from ..views import forecast

    used = {
        rate.assumption
        for item in plan.means
        for rate in forecast.rates_of(item, plan.assumptions).values()
        if rate.assumption
    }
    channels = {item.channel for item in plan.means}
    for index, assumption in enumerate(plan.assumptions):
        if assumption.id in used:
            continue
        if assumption.channel is not None and assumption.channel not in channels:
            why = say(f"{rule_ids.ASSUMPTION_UNUSED}.no_channel", channel=_channel_words(assumption.channel))
        else:
            why = say(f"{rule_ids.ASSUMPTION_UNUSED}.taken_elsewhere", metric=_metric_words(assumption.metric))
        yield ("assumptions", index, "id"), say(f"{rule_ids.ASSUMPTION_UNUSED}.unused", id=assumption.id, why=why)


@rule(rule_ids.RATE_ASSUMPTION_OUT_OF_RANGE)
def rate_assumption_out_of_range(plan: Plan):
    for index, assumption in enumerate(plan.assumptions):
        if assumption.metric not in vocab.RATES:
            continue
        for name in ("value", "low", "high"):
            number = getattr(assumption, name)
            if number is not None and number > 1:
                yield (
                    ("assumptions", index, name),
                    say(
                        f"{rule_ids.RATE_ASSUMPTION_OUT_OF_RANGE}.over_one",
                        metric=_metric_words(assumption.metric),
                        number=number,
                        fraction=number / 100,
                    ),
                )
    for index, item in enumerate(plan.means):
        for metric, number in item.funnel.items():
            if metric in vocab.RATES and number > 1:
                yield (
                    ("means", index, "funnel", metric),
                    say(
                        f"{rule_ids.RATE_ASSUMPTION_OUT_OF_RANGE}.over_one",
                        metric=_metric_words(metric),
                        number=number,
                        fraction=number / 100,
                    ),
                )
