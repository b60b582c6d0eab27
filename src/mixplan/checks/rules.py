"""Stage 3, check (the rules): the coherence rules a valid-looking plan must also pass.

Each rule is one small function registered with `@rule`, returning the
problems it sees as (data path, message). `check(plan)` runs them all. Rule
ids are permanent; the hundreds digit is the family: 1xx structure and
references, 2xx budget, 3xx schedule, 4xx objectives, targets and KPIs,
5xx results, 6xx the plan's other chapters (risks, next steps). Ids
100-109 are raised while loading and modelling (syntax, unknown key, wrong
value, missing key, duplicate key, unsupported YAML, means without
objective or target) and are registered here for the docs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Severity
from ..loading.reader import DataPath, collector_paused
from ..plan import vocab
from ..plan.model import Period, Plan, ScheduledMeans
from ..present.amounts import plain_amount
from ..views import calendar
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
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    fix: str
    run: Callable[[Plan], Iterable[tuple[DataPath, str] | tuple[DataPath, str, bool]]] | None = None
    # Only rules checked on a modelled plan can be silenced: the others stop the plan from being read.
    ignorable: bool = False


RULES: dict[str, Rule] = {}


def _register(
    rule_id: str, name: str, severity: Severity, summary: str, fix: str, run=None, *, ignorable=False
) -> Rule:
    if rule_id in RULES:
        raise ValueError(f"rule id {rule_id} registered twice")
    RULES[rule_id] = Rule(rule_id, name, severity, summary, fix, run, ignorable or run is not None)
    return RULES[rule_id]


def _docstring_parts(function) -> tuple[str, str]:
    text = " ".join((function.__doc__ or "").split())
    summary, _, fix = text.partition(" Fix: ")
    return summary.strip(), fix.strip()


def rule(rule_id: str, name: str, severity: Severity):
    """Register a check; its docstring says what it finds, then `Fix:` and how to fix it."""

    def decorate(function):
        summary, fix = _docstring_parts(function)
        if not summary or not fix:
            raise ValueError(f"rule {rule_id} needs a docstring with a summary and a 'Fix:' paragraph")
        _register(rule_id, name, severity, summary, fix, function)
        return function

    return decorate


# Raised by the loader and the models; listed so that `rules` and the docs see them.
_register(
    "MP001",
    "unreadable-file",
    "error",
    "The file cannot be read: missing, a directory, no permission, too large, or not UTF-8 text.",
    "Check the path, the file's permissions and its encoding (save it as UTF-8).",
)
_register(
    "MP100",
    "yaml-syntax",
    "error",
    "The file is not valid YAML, or contains no plan (empty or only comments).",
    "Correct the syntax at the position given (indent with spaces, not tabs; close quotes and brackets), "
    "or start from `mixplan init`.",
)
_register(
    "MP101",
    "unknown-key",
    "error",
    "A key the format does not define for that mapping, usually a typo.",
    "Rename it to the suggested key, or remove it.",
)
_register(
    "MP102",
    "invalid-value",
    "error",
    "A value of the wrong type, outside its range, or not in its closed list (including a `mixplan:` other than 1).",
    "Write the value as its type requires: plain number, `YYYY-MM-DD`, slug, one of the listed words.",
)
_register(
    "MP103",
    "missing-key",
    "error",
    "A required key is absent.",
    "Add the key named in the message to the mapping shown.",
)
_register(
    "MP104",
    "duplicate-key",
    "error",
    "One mapping holds the same key twice; YAML would silently keep only one of the values.",
    "Merge the two entries or rename one of them.",
)
_register(
    "MP108",
    "unsupported-yaml",
    "error",
    "YAML a plan never needs: explicit tags, nesting over 64 levels, aliases that blow up in size.",
    "Write plain text, numbers, dates, lists and mappings; remove tags and nested aliases.",
)
_register(
    "MP109",
    "means-unlinked",
    "error",
    "A means has an empty `objectives` or `targets` list.",
    "List at least one objective id and one target id for it.",
)
# Raised by api.validate, which knows the plan's folder (loading/logo.py decides).
LOGO_UNUSABLE = "MP112"
_register(
    LOGO_UNUSABLE,
    "logo-unusable",
    "error",
    "`plan.logo` names no file in the plan's folder, or one that cannot be embedded: outside the folder (an "
    "absolute path, `..`, a link leading out), not a regular file, over 512 KB, not a PNG, JPEG or SVG by its "
    "content, or an SVG with scripts, event handlers, entities or links to other files.",
    "Put a PNG, JPEG or plain SVG logo of at most 512 KB in the plan's folder and name it from there "
    "(`logo: brand/logo.svg`), or remove `plan.logo`.",
)


def unknown_rule_message(rule_id: str) -> str | None:
    """Why `rule_id` cannot be ignored, or None when it can."""
    known = RULES.get(rule_id)
    if known is None:
        return f"there is no rule {rule_id}{suggest(rule_id, RULES)}; `mixplan rules` lists them"
    if not known.ignorable:
        return f"{rule_id} {known.name} cannot be ignored: a plan with that problem cannot be read; fix it instead"
    return None


def check(plan: Plan) -> list[Issue]:
    """Run every coherence rule over a modelled plan."""
    issues: list[Issue] = []
    # The rules build indexes of every id and month: no cycles, so no collection needed.
    with collector_paused():
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
    """Two items of one list share an id, so references to it are ambiguous.

    Fix: Give one of them a different id and update the references.
    """
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


def _unknown(kind: str, used: str, known: Mapping[str, object]) -> str:
    listed = "none defined" if not known else ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return f"no {kind} has the id '{used}'{suggest(used, known)}; known {kind} ids: {listed}"


@rule("MP106", "unknown-id", "error")
def unknown_ids(plan: Plan):
    """A reference to an id that no item of the referenced list has.

    Fix: Correct the spelling (the message lists the known ids) or add the missing item.
    """
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
    """A means on channel `other` must say which P it belongs to with `p:`.

    Fix: Add `p: product`, `price`, `place` or `promotion`, or pick a named channel.
    """
    for index, item in enumerate(plan.means):
        if item.mix_p is None:
            yield (
                ("means", index, "channel"),
                ("a means on channel 'other' has no default P: add p: product, price, place or promotion"),
            )


@rule("MP110", "lint-unknown-rule", "error")
def lint_unknown_rules(plan: Plan):
    """`lint.ignore` names a rule that does not exist, or one that cannot be silenced (MP001-MP104, MP108, MP109, MP112
    stop the plan from being read, so they are always reported).

    Fix: Correct the id (`mixplan rules` lists them), or remove it from `lint.ignore`.
    """
    if plan.lint is None:
        return
    for index, rule_id in enumerate(plan.lint.ignore):
        problem = unknown_rule_message(rule_id)
        if problem:
            yield ("lint", "ignore", index), problem


_register(
    "MP111",
    "lint-ignore-unused",
    "warning",
    "A rule listed in `lint.ignore` (or given to `--ignore`) that would not have fired anyway.",
    "Remove it from the list, so that the rule can warn you again when it matters.",
    ignorable=True,
)
# Found by the loader (mixplan.loading.yaml_traps), kept for free-text fields by checks/text_traps.py.
_register(
    "MP113",
    "text-cut-by-comment",
    "warning",
    "A text cut short by a `#` right after a space (`name: Offer #1`): YAML reads the rest of the line as a comment.",
    'Put the whole text in double quotes: `name: "Offer #1"`.',
    ignorable=True,
)
_register(
    "MP114",
    "list-reads-as-sentence",
    "warning",
    "A list in brackets whose item starts with a word that continues a sentence (`[fast, cheap, and reliable]`): "
    "the commas cut what may have been one text.",
    'For one text, put it in quotes: `["fast, cheap, and reliable"]`; for a list, remove the linking word.',
    ignorable=True,
)


# --- 2xx: budget ----------------------------------------------------------------


@rule("MP201", "budget-over", "error")
def budget_over(plan: Plan):
    """Means, budget lines and reserve together cost more than budget.total.

    Fix: Cut costs, lower the reserve, or raise `budget.total`.
    """
    budget = plan.budget
    means = sum((m.cost for m in plan.means), Decimal(0))
    lines = sum((line.cost for line in budget.lines), Decimal(0))
    planned = means + lines + budget.reserve
    if planned > budget.total:
        cur = plan.plan.currency
        yield (
            ("budget", "total"),
            (
                f"planned spending {plain_amount(planned, cur)} (means {plain_amount(means, cur)} + lines {plain_amount(lines, cur)} "
                f"+ reserve {plain_amount(budget.reserve, cur)}) exceeds the budget of {plain_amount(budget.total, cur)} "
                f"by {plain_amount(planned - budget.total, cur)}: cut costs or raise budget.total"
            ),
        )


@rule("MP202", "budget-unallocated", "warning")
def budget_unallocated(plan: Plan):
    """More than 10 % of the budget is assigned to nothing.

    Fix: Assign the money, move it into the reserve, or lower `budget.total`.
    """
    budget = plan.budget
    if budget.total <= 0:
        return
    planned = sum((m.cost for m in plan.means), Decimal(0)) + sum((x.cost for x in budget.lines), Decimal(0))
    left = budget.total - planned - budget.reserve
    if left > budget.total * UNALLOCATED_WARNING_SHARE:
        share = (left / budget.total * 100).quantize(Decimal("1"))
        yield (
            ("budget", "total"),
            (
                f"{plain_amount(left, plan.plan.currency)} ({share} %) of the budget is not allocated to any means, "
                "line or reserve: assign it, or lower budget.total"
            ),
        )


@rule("MP203", "means-overspent", "warning")
def means_overspent(plan: Plan):
    """The spend recorded in `results` for a means exceeds the cost planned for it.

    Fix: Check the results rows, or raise the means' `cost` (and `budget.total`) to what it really costs.
    """
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
                (
                    f"'{item.id}' has spent {plain_amount(actual, cur)} according to results, "
                    f"{plain_amount(actual - item.cost, cur)} over its planned cost of {plain_amount(item.cost, cur)}"
                ),
            )


# --- 3xx: schedule and dates ------------------------------------------------------


@rule("MP301", "means-unscheduled", "warning")
def means_unscheduled(plan: Plan):
    """A means that never appears in the schedule.

    Fix: Add `{means: ID, start: ..., end: ...}` to `schedule`.
    """
    scheduled = {entry.means for entry in plan.scheduled}
    for index, item in enumerate(plan.means):
        if item.id not in scheduled:
            yield (
                ("means", index, "id"),
                (f"means '{item.id}' is never scheduled: add {{means: {item.id}, start: ..., end: ...}} to schedule"),
            )


def _within(period: Period) -> str:
    return f"outside the plan's period ({period.start.isoformat()} to {period.end.isoformat()})"


@rule("MP302", "date-outside-period", "error")
def dates_outside_period(plan: Plan):
    """A schedule date that falls outside plan.period.

    Fix: Move the date inside the period, or widen the period.
    """
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
            yield ("schedule", index, "date"), (f"milestone date {entry.date.isoformat()} is {_within(period)}")


@rule("MP303", "end-before-start", "error")
def end_before_start(plan: Plan):
    """A period or a scheduled means that ends before it starts.

    Fix: Swap or correct `start` and `end`.
    """
    period = plan.plan.period
    if period.end < period.start:
        yield (
            ("plan", "period", "end"),
            (f"the plan ends ({period.end.isoformat()}) before it starts ({period.start.isoformat()})"),
        )
    for index, entry in enumerate(plan.schedule):
        if isinstance(entry, ScheduledMeans) and entry.end < entry.start:
            yield (
                ("schedule", index, "end"),
                (f"'{entry.means}' ends ({entry.end.isoformat()}) before it starts ({entry.start.isoformat()})"),
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


@rule("MP304", "schedule-same-start", "warning")
def schedule_same_start(plan: Plan):
    """Every scheduled means starts on the same day: the effort and the spending all land at once, and
    nothing is left to learn from the first actions.

    Fix: Stagger the starts: launch the foundations first (site, SEO, offer), then the campaigns that use them.
    """
    first = _first_starts(plan)
    starts = {entry.start for _, entry in first.values()}
    if len(first) >= SAME_START_MINIMUM and len(starts) == 1:
        index = min(index for index, _ in first.values())
        yield (
            ("schedule", index, "start"),
            (
                f"all {len(first)} scheduled means start on {starts.pop().isoformat()}: stagger them so that "
                "the work and the spending spread over the period"
            ),
        )


@rule("MP305", "means-after-deadline", "warning")
def means_after_deadline(plan: Plan):
    """A means starts only after the deadlines of every objective it serves, so it cannot help reach any of them.

    Fix: Start it earlier, link it to an objective with a later deadline, or move the deadline.
    """
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
                (
                    f"'{item.id}' starts on {entry.start.isoformat()}, after the deadline of every objective it serves "
                    f"(the latest is {max(served).isoformat()}): start it earlier or link it to a later objective"
                ),
            )


# --- 4xx: objectives, targets and KPIs --------------------------------------------


@rule("MP401", "deadline-outside-period", "error")
def deadline_outside_period(plan: Plan):
    """An objective whose deadline falls outside plan.period.

    Fix: Set a deadline inside the period, or widen the period.
    """
    period = plan.plan.period
    if period.end < period.start:
        return
    for index, objective in enumerate(plan.objectives):
        if not period.start <= objective.deadline <= period.end:
            yield ("objectives", index, "deadline"), (f"deadline {objective.deadline.isoformat()} is {_within(period)}")


@rule("MP402", "objective-unserved", "warning")
def objective_unserved(plan: Plan):
    """An objective that no means serves: nothing in the plan works towards it.

    Fix: Add its id to the `objectives` of a means, or drop the objective.
    """
    served = {used for item in plan.means for used in item.objectives}
    for index, objective in enumerate(plan.objectives):
        if objective.id not in served:
            yield (
                ("objectives", index, "id"),
                (f"no means serves objective '{objective.id}': add it to the objectives of a means, or drop it"),
            )


@rule("MP403", "objective-no-baseline", "warning")
def objective_without_baseline(plan: Plan):
    """An objective without a baseline, so progress cannot be judged.

    Fix: Add `baseline:` with today's value of the metric.
    """
    for index, objective in enumerate(plan.objectives):
        if objective.baseline is None:
            yield (
                ("objectives", index, "id"),
                (
                    f"objective '{objective.id}' has no baseline: give today's value of {objective.metric} "
                    "so the progress it asks for is clear"
                ),
            )


def _target_sites(plan: Plan):
    for index, objective in enumerate(plan.objectives):
        yield ("objectives", index, "target"), objective.metric, objective.target
    for index, item in enumerate(plan.means):
        for position, kpi in enumerate(item.kpis):
            yield ("means", index, "kpis", position, "target"), kpi.metric, kpi.target


@rule("MP404", "rate-out-of-range", "warning")
def rate_out_of_range(plan: Plan):
    """A target for a rate (ctr, conversion, bounce, engagement) outside 0-1.

    Fix: Write the rate as a fraction: `0.02`, not `2`, for 2 %.
    """

    def advice(metric: str, target: Decimal) -> str:
        return (
            f"a {metric} target of {target} is outside 0-1: rates are fractions, so write {target / 100} for {target} %"
            if target > 1
            else f"a {metric} target cannot be negative"
        )

    for path, metric, target in _target_sites(plan):
        if metric in vocab.RATES and not 0 <= target <= 1:
            yield path, advice(metric, target)


@rule("MP405", "target-unreached", "warning")
def target_unreached(plan: Plan):
    """A target audience that no means reaches.

    Fix: Add its id to the `targets` of a means, or drop the target.
    """
    reached = {used for item in plan.means for used in item.targets}
    for index, target in enumerate(plan.targets):
        if target.id not in reached:
            yield (
                ("targets", index, "id"),
                (f"no means reaches target '{target.id}': add it to the targets of a means, or drop it"),
            )


@rule("MP406", "message-variant-missing", "warning")
def message_variant_missing(plan: Plan):
    """`message.by_target` adapts the message for some targets but not for this one.

    Fix: Add a variant for it under `message.by_target`, or drop the variants if one message fits all.
    """
    # Variants keyed by an unknown id are MP106's business, not evidence of a pattern.
    known = {target.id for target in plan.targets}
    variants = [key for key in plan.message.by_target if key in known]
    if not variants:
        return
    for index, target in enumerate(plan.targets):
        if target.id not in variants:
            yield (
                ("targets", index, "id"),
                (
                    f"target '{target.id}' has no message variant while {len(variants)} other target(s) have one: "
                    f"add message.by_target.{target.id}"
                ),
            )


@rule("MP407", "target-negative", "error")
def target_negative(plan: Plan):
    """An objective or KPI target below zero for a metric that cannot be negative (a count, an amount, a cost
    per result, ROAS).

    Fix: Write the number to reach as a positive value; to ask for a decrease, set a baseline above the target.
    """
    for path, metric, target in _target_sites(plan):
        if target < 0 and metric != "roi" and metric not in vocab.RATES:
            yield (
                path,
                (
                    f"a {metric} target of {target} is negative, and {metric} is never below zero: "
                    "write the value to reach as a positive number"
                ),
            )


@rule("MP408", "objective-no-progress", "warning")
def objective_no_progress(plan: Plan):
    """An objective whose target asks for no progress over its baseline, or for a step backwards (a lower
    count, a higher cost per result).

    Fix: Set a target better than the baseline, or correct the baseline.
    """
    for index, objective in enumerate(plan.objectives):
        baseline, target, metric = objective.baseline, objective.target, objective.metric
        if baseline is None or metric in vocab.NO_DIRECTION:
            continue
        lower_wins = metric in vocab.LOWER_IS_BETTER
        if target == baseline:
            yield (
                ("objectives", index, "target"),
                (f"objective '{objective.id}' targets {target}, its baseline: it asks for no progress"),
            )
        elif (target > baseline) if lower_wins else (target < baseline):
            better = "lower" if lower_wins else "higher"
            yield (
                ("objectives", index, "target"),
                (
                    f"objective '{objective.id}' targets {target} against a baseline of {baseline}, a step backwards "
                    f"since for {metric} {better} is better: check the target and the baseline"
                ),
            )


@rule("MP409", "measure-mismatch", "error")
def measure_mismatch(plan: Plan):
    """An objective's `measure` does not fit its metric: a computed metric (ROI, CAC, a rate...) is a rate, never
    a total or a level; a count or an amount is a total or a level, never a rate.

    Fix: Write `measure: rate` for a computed metric, `total` or `level` for a count, or leave `measure` out.
    """
    for index, objective in enumerate(plan.objectives):
        if objective.measure is None:
            continue
        computed = objective.metric in vocab.COMPUTED_METRICS
        if computed and objective.measure != "rate":
            yield (
                ("objectives", index, "measure"),
                (
                    f"{objective.metric} is worked out from other counts, so it cannot be a {objective.measure}: "
                    "write measure: rate, or leave measure out"
                ),
            )
        elif not computed and objective.measure == "rate":
            yield (
                ("objectives", index, "measure"),
                (
                    f"{objective.metric} is a count, not a rate: write measure: total (added up over the window) "
                    "or level (the count reached by the deadline)"
                ),
            )


@rule("MP410", "window-outside-period", "error")
def window_outside_period(plan: Plan):
    """An objective's `from` (the start of its window) outside plan.period, or after its deadline.

    Fix: Set `from` inside the period and on or before the deadline, or leave it out to start at the period's start.
    """
    period = plan.plan.period
    if period.end < period.start:
        return
    for index, objective in enumerate(plan.objectives):
        start = objective.window_start
        if start is None:
            continue
        if not period.start <= start <= period.end:
            yield ("objectives", index, "from"), f"from {start.isoformat()} is {_within(period)}"
        elif start > objective.deadline:
            yield (
                ("objectives", index, "from"),
                (
                    f"objective '{objective.id}' starts counting on {start.isoformat()}, after its deadline "
                    f"{objective.deadline.isoformat()}: move from before the deadline"
                ),
            )


# --- 5xx: results ------------------------------------------------------------------


@rule("MP501", "results-outside-period", "warning")
def results_outside_period(plan: Plan):
    """A results month outside plan.period.

    Fix: Correct the month, or move the row to the plan that covers it.
    """
    period = plan.plan.period
    first_month = period.start.replace(day=1)
    for index, row in enumerate(plan.results):
        if not first_month <= row.month <= period.end:
            yield ("results", index, "month"), (f"month {row.month:%Y-%m} is {_within(period)}")


def _months_running(plan: Plan) -> dict[str, set[int]]:
    """For each scheduled means, the months (see `calendar.month_number`) in which one of its flights runs."""
    running: dict[str, set[int]] = {}
    for means, runs in calendar.flights(plan).items():
        well_formed = [run for run in runs if run.end >= run.start]  # one ending before it starts is MP303's
        if well_formed:
            running[means] = {month for run in well_formed for month in calendar.month_numbers(run)}
    return running


@rule("MP502", "results-not-running", "warning")
def results_not_running(plan: Plan):
    """A `results` row for a month in which the schedule does not run that means.

    Fix: Check the month and the means of the row, or add the flight that ran to `schedule`.
    """
    running = _months_running(plan)
    period = plan.plan.period
    for index, row in enumerate(plan.results):
        if not period.start.replace(day=1) <= row.month <= period.end:
            continue  # MP501 says so already
        months = running.get(row.means)
        if months is not None and calendar.month_number(row.month) not in months:
            yield (
                ("results", index, "month"),
                (f"results for '{row.means}' in {row.month:%Y-%m}, a month in which the schedule does not run it"),
            )


@rule("MP503", "results-duplicate-row", "error")
def results_duplicate_row(plan: Plan):
    """Two `results` rows for the same means and month: totals would count that month twice.

    Fix: Merge the two rows into one, adding up their figures.
    """
    seen: dict[tuple[str, object], int] = {}
    for index, row in enumerate(plan.results):
        key = (row.means, row.month)
        if key in seen:
            yield (
                ("results", index, "month"),
                (f"results[{seen[key]}] already holds '{row.means}' for {row.month:%Y-%m}: merge the two rows"),
            )
        else:
            seen[key] = index


def _measured_in_window(plan: Plan, objective) -> list:
    first = (objective.window_start or plan.plan.period.start).replace(day=1)
    return [figure for figure in objective.measured if first <= figure.month <= objective.deadline]


@rule("MP504", "attributed-above-measured", "warning")
def attributed_above_measured(plan: Plan):
    """The results of the means serving an objective add up to more than the business measured over the same
    months: the actions claim more than happened (a sale counted by two actions, or by an action and the till).

    Fix: Check the results rows of those means (is one sale counted twice?) and the `measured` figures.
    """
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
            actions = "the action" if count == 1 else f"the {count} actions"
            yield (
                ("objectives", index, "measured"),
                (
                    f"{actions} serving '{objective.id}' account for {claimed:,} of {metric}, more than the {seen:,} "
                    "the business measured over the same months: check those results rows (a result counted twice?) "
                    "and the measured figures"
                ),
            )


@rule("MP505", "objective-unmeasured", "warning")
def objective_unmeasured(plan: Plan):
    """The plan has results, but no results row holds the counts an objective's metric needs and the objective has
    no `measured` figures: its progress cannot be shown.

    Fix: Add the metric's counts to the results rows, or the business's own figures under the objective's `measured`.
    """
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
                (
                    f"no results row holds {objective.metric}, and objective '{objective.id}' has no measured figures: "
                    f"add {objective.metric} to the results rows, or the business's figures under measured"
                ),
            )


@rule("MP506", "measured-outside-window", "error")
def measured_outside_window(plan: Plan):
    """A `measured` month outside the objective's window (from `from`, or the plan's start, to the deadline): the
    figure would count for nothing, yet the file seems to say it does.

    Fix: Correct the month, move `from` or the deadline, or remove the figure.
    """
    for index, objective in enumerate(plan.objectives):
        start = objective.window_start or plan.plan.period.start
        for position, figure in enumerate(objective.measured):
            if not start.replace(day=1) <= figure.month <= objective.deadline:
                yield (
                    ("objectives", index, "measured", position, "month"),
                    (
                        f"month {figure.month:%Y-%m} is outside the window of '{objective.id}' "
                        f"({start.isoformat()} to {objective.deadline.isoformat()}): correct the month or the window"
                    ),
                )


@rule("MP507", "measured-duplicate-month", "error")
def measured_duplicate_month(plan: Plan):
    """Two `measured` figures for the same month of one objective: a total would count the month twice.

    Fix: Keep one figure for the month (add them up if they are two parts of it).
    """
    for index, objective in enumerate(plan.objectives):
        seen: dict[object, int] = {}
        for position, figure in enumerate(objective.measured):
            if figure.month in seen:
                yield (
                    ("objectives", index, "measured", position, "month"),
                    (f"measured[{seen[figure.month]}] already holds {figure.month:%Y-%m}: keep one figure per month"),
                )
            else:
                seen[figure.month] = position


# --- 6xx: the plan's other chapters (risks, next steps) --------------------------------


@rule("MP611", "risk-unmitigated", "warning")
def risk_unmitigated(plan: Plan):
    """A risk of high impact with no `mitigation`: the client reads that the plan could be badly hurt and that
    nothing is planned against it.

    Fix: Say what you will do to prevent it or soften the blow in `mitigation` (a fallback, a reserve, a date
    to decide by).
    """
    for index, item in enumerate(plan.risks):
        if item.impact == "high" and item.mitigation is None:
            yield (
                ("risks", index, "impact"),
                (
                    f"the risk '{item.risk}' has a high impact but no mitigation: add a mitigation: what you will do to "
                    "prevent it or soften the blow"
                ),
            )


@rule("MP612", "next-step-outside-period", "warning")
def next_step_outside_period(plan: Plan):
    """A next step dated before the plan's period starts or after it ends: either its date is mistyped, or it is
    work to do before the launch (or after the plan), which the deliverable would show as part of the plan.

    Fix: Correct the date. For preparation due before the start, keep it and add MP612 to `lint.ignore`; for work
    after the end, move it to the next plan.
    """
    period = plan.plan.period
    if period.end < period.start:
        return  # reported by MP303; every date would look wrong
    for index, item in enumerate(plan.next_steps):
        if item.date < period.start:
            days = (period.start - item.date).days
            when = f"{_days(days)} before the plan starts on {period.start.isoformat()}"
            advice = (
                "correct the date, or, if it is preparation due before the start, keep it and add MP612 to lint.ignore"
            )
        elif item.date > period.end:
            days = (item.date - period.end).days
            when = f"{_days(days)} after the plan ends on {period.end.isoformat()}"
            advice = "correct the date, or move the step to the next plan"
        else:
            continue
        yield (
            ("next_steps", index, "date"),
            f"the next step '{item.step}' is dated {item.date.isoformat()}, {when}: {advice}",
        )


def _days(count: int) -> str:
    return f"{count:,} day{'s' if count != 1 else ''}"
