"""Every rule id of `mixplan validate`, declared once: its name, severity, what it finds and how to fix it.

The ids are permanent and never reused; the hundreds digit is the family: 0xx
the file itself, 1xx structure and references, 2xx budget, 3xx schedule and
dates, 4xx objectives, targets and KPIs, 5xx results, 6xx the plan's other chapters and
the forecast before launch. The loader, the
structure check, the coherence rules (checks/rules.py attaches a check to each
ignorable id), the ignore handling and the printed findings all name a rule
through the constants below, never by writing its id (tests/test_rule_ids.py
fails on an id written anywhere else in src/). `mixplan rules` and
docs/rules.md are generated from this table.

This module sits just above errors.py so that every stage, the loader
included, may import it; it imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Severity


@dataclass(frozen=True)
class DeclaredRule:
    id: str
    name: str
    severity: Severity
    summary: str
    fix: str
    # Only rules checked on a modelled plan can be silenced: the others stop the plan from being read.
    ignorable: bool


DECLARED: dict[str, DeclaredRule] = {}


def _declare(rule_id: str, name: str, severity: Severity, summary: str, fix: str, *, ignorable: bool = True) -> str:
    if rule_id in DECLARED:
        raise ValueError(f"rule id {rule_id} declared twice")
    DECLARED[rule_id] = DeclaredRule(rule_id, name, severity, summary, fix, ignorable)
    return rule_id


# Raised while reading and modelling the file: a plan with one of these cannot be checked further.
UNREADABLE_FILE = _declare(
    "MP001",
    "unreadable-file",
    "error",
    "The file cannot be read: missing, a directory, no permission, too large, or not UTF-8 text.",
    "Check the path, the file's permissions and its encoding (save it as UTF-8).",
    ignorable=False,
)
YAML_SYNTAX = _declare(
    "MP100",
    "yaml-syntax",
    "error",
    "The file is not valid YAML, or contains no plan (empty or only comments).",
    "Correct the syntax at the position given (indent with spaces, not tabs; close quotes and brackets), "
    "or start from `mixplan init`.",
    ignorable=False,
)
UNKNOWN_KEY = _declare(
    "MP101",
    "unknown-key",
    "error",
    "A key the format does not define for that mapping, usually a typo.",
    "Rename it to the suggested key, or remove it.",
    ignorable=False,
)
INVALID_VALUE = _declare(
    "MP102",
    "invalid-value",
    "error",
    "A value of the wrong type, outside its range, or not in its closed list (including a `mixplan:` other than 1).",
    "Write the value as its type requires: plain number, `YYYY-MM-DD`, slug, one of the listed words.",
    ignorable=False,
)
MISSING_KEY = _declare(
    "MP103",
    "missing-key",
    "error",
    "A required key is absent.",
    "Add the key named in the message to the mapping shown.",
    ignorable=False,
)
DUPLICATE_KEY = _declare(
    "MP104",
    "duplicate-key",
    "error",
    "One mapping holds the same key twice; YAML would silently keep only one of the values.",
    "Merge the two entries or rename one of them.",
    ignorable=False,
)
UNSUPPORTED_YAML = _declare(
    "MP108",
    "unsupported-yaml",
    "error",
    "YAML a plan never needs: explicit tags, nesting over 64 levels, aliases that blow up in size.",
    "Write plain text, numbers, dates, lists and mappings; remove tags and nested aliases.",
    ignorable=False,
)
MEANS_UNLINKED = _declare(
    "MP109",
    "means-unlinked",
    "error",
    "A means has an empty `objectives` or `targets` list.",
    "List at least one objective id and one target id for it.",
    ignorable=False,
)

# Found by the coherence rules on a modelled plan (checks/rules.py), and by the ignore handling (MP111).
DUPLICATE_ID = _declare(
    "MP105",
    "duplicate-id",
    "error",
    "Two items of one list share an id, so references to it are ambiguous.",
    "Give one of them a different id and update the references.",
)
UNKNOWN_ID = _declare(
    "MP106",
    "unknown-id",
    "error",
    "A reference to an id that no item of the referenced list has.",
    "Correct the spelling (the message lists the known ids) or add the missing item.",
)
P_MISSING = _declare(
    "MP107",
    "p-missing",
    "error",
    "A means on channel `other` must say which P it belongs to with `p:`.",
    "Add `p: product`, `price`, `place` or `promotion`, or pick a named channel.",
)
LINT_UNKNOWN_RULE = _declare(
    "MP110",
    "lint-unknown-rule",
    "error",
    "`lint.ignore` names a rule that does not exist, or one that cannot be silenced (MP001-MP104, MP108, "
    "MP109, MP112 stop the plan from being read, so they are always reported).",
    "Correct the id (`mixplan rules` lists them), or remove it from `lint.ignore`.",
)
LINT_IGNORE_UNUSED = _declare(
    "MP111",
    "lint-ignore-unused",
    "warning",
    "A rule listed in `lint.ignore` (or given to `--ignore`) that would not have fired anyway.",
    "Remove it from the list, so that the rule can warn you again when it matters.",
)
# Decided when the plan's folder is known (loading/logo.py), by api.validate.
LOGO_UNUSABLE = _declare(
    "MP112",
    "logo-unusable",
    "error",
    "`plan.logo` names no file in the plan's folder, or one that cannot be embedded: outside the folder (an "
    "absolute path, `..`, a link leading out), not a regular file, over 512 KB, not a PNG, JPEG or SVG by its "
    "content, or an SVG with scripts, event handlers, entities or links to other files.",
    "Put a PNG, JPEG or plain SVG logo of at most 512 KB in the plan's folder and name it from there "
    "(`logo: brand/logo.svg`), or remove `plan.logo`.",
    ignorable=False,
)
# Found by the loader (loading/yaml_traps.py), kept for free-text fields by checks/text_traps.py.
TEXT_CUT_BY_COMMENT = _declare(
    "MP113",
    "text-cut-by-comment",
    "warning",
    "A text cut short by a `#` right after a space (`name: Offer #1`): YAML reads the rest of the line as a comment.",
    'Put the whole text in double quotes: `name: "Offer #1"`.',
)
LIST_READS_AS_SENTENCE = _declare(
    "MP114",
    "list-reads-as-sentence",
    "warning",
    "A list in brackets whose item starts with a word that continues a sentence (`[fast, cheap, and reliable]`): "
    "the commas cut what may have been one text.",
    'For one text, put it in quotes: `["fast, cheap, and reliable"]`; for a list, remove the linking word.',
)
BUDGET_OVER = _declare(
    "MP201",
    "budget-over",
    "error",
    "Means, budget lines and reserve together cost more than budget.total.",
    "Cut costs, lower the reserve, or raise `budget.total`.",
)
BUDGET_UNALLOCATED = _declare(
    "MP202",
    "budget-unallocated",
    "warning",
    "More than 10 % of the budget is assigned to nothing.",
    "Assign the money, move it into the reserve, or lower `budget.total`.",
)
MEANS_OVERSPENT = _declare(
    "MP203",
    "means-overspent",
    "warning",
    "The spend recorded in `results` for a means exceeds the cost planned for it.",
    "Check the results rows, or raise the means' `cost` (and `budget.total`) to what it really costs.",
)
MEANS_UNSCHEDULED = _declare(
    "MP301",
    "means-unscheduled",
    "warning",
    "A means that never appears in the schedule.",
    "Add `{means: ID, start: ..., end: ...}` to `schedule`.",
)
DATE_OUTSIDE_PERIOD = _declare(
    "MP302",
    "date-outside-period",
    "error",
    "A schedule date that falls outside plan.period.",
    "Move the date inside the period, or widen the period.",
)
END_BEFORE_START = _declare(
    "MP303",
    "end-before-start",
    "error",
    "A period or a scheduled means that ends before it starts.",
    "Swap or correct `start` and `end`.",
)
SCHEDULE_SAME_START = _declare(
    "MP304",
    "schedule-same-start",
    "warning",
    "Every scheduled means starts on the same day: the effort and the spending all land at once, and "
    "nothing is left to learn from the first actions.",
    "Stagger the starts: launch the foundations first (site, SEO, offer), then the campaigns that use them.",
)
MEANS_AFTER_DEADLINE = _declare(
    "MP305",
    "means-after-deadline",
    "warning",
    "A means starts only after the deadlines of every objective it serves, so it cannot help reach any of them.",
    "Start it earlier, link it to an objective with a later deadline, or move the deadline.",
)
DEADLINE_OUTSIDE_PERIOD = _declare(
    "MP401",
    "deadline-outside-period",
    "error",
    "An objective whose deadline falls outside plan.period.",
    "Set a deadline inside the period, or widen the period.",
)
OBJECTIVE_UNSERVED = _declare(
    "MP402",
    "objective-unserved",
    "warning",
    "An objective that no means serves: nothing in the plan works towards it.",
    "Add its id to the `objectives` of a means, or drop the objective.",
)
OBJECTIVE_NO_BASELINE = _declare(
    "MP403",
    "objective-no-baseline",
    "warning",
    "An objective without a baseline, so progress cannot be judged.",
    "Add `baseline:` with today's value of the metric.",
)
RATE_OUT_OF_RANGE = _declare(
    "MP404",
    "rate-out-of-range",
    "warning",
    "A target for a rate (ctr, conversion, bounce, engagement) outside 0-1.",
    "Write the rate as a fraction: `0.02`, not `2`, for 2 %.",
)
TARGET_UNREACHED = _declare(
    "MP405",
    "target-unreached",
    "warning",
    "A target audience that no means reaches.",
    "Add its id to the `targets` of a means, or drop the target.",
)
MESSAGE_VARIANT_MISSING = _declare(
    "MP406",
    "message-variant-missing",
    "warning",
    "`message.by_target` adapts the message for some targets but not for this one.",
    "Add a variant for it under `message.by_target`, or drop the variants if one message fits all.",
)
TARGET_NEGATIVE = _declare(
    "MP407",
    "target-negative",
    "error",
    "An objective or KPI target below zero for a metric that cannot be negative (a count, an amount, a "
    "cost per result, ROAS).",
    "Write the number to reach as a positive value; to ask for a decrease, set a baseline above the target.",
)
OBJECTIVE_NO_PROGRESS = _declare(
    "MP408",
    "objective-no-progress",
    "warning",
    "An objective whose target asks for no progress over its baseline, or for a step backwards (a lower "
    "count, a higher cost per result).",
    "Set a target better than the baseline, or correct the baseline.",
)
MEASURE_MISMATCH = _declare(
    "MP409",
    "measure-mismatch",
    "error",
    "An objective's `measure` does not fit its metric: a computed metric (ROI, CAC, a rate...) is a rate,"
    " never a total or a level; a count or an amount is a total or a level, never a rate.",
    "Write `measure: rate` for a computed metric, `total` or `level` for a count, or leave `measure` out.",
)
WINDOW_OUTSIDE_PERIOD = _declare(
    "MP410",
    "window-outside-period",
    "error",
    "An objective's `from` (the start of its window) outside plan.period, or after its deadline.",
    "Set `from` inside the period and on or before the deadline, or leave it out to start at the period's start.",
)
RESULTS_OUTSIDE_PERIOD = _declare(
    "MP501",
    "results-outside-period",
    "warning",
    "A results month outside plan.period.",
    "Correct the month, or move the row to the plan that covers it.",
)
RESULTS_NOT_RUNNING = _declare(
    "MP502",
    "results-not-running",
    "warning",
    "A `results` row for a month in which the schedule does not run that means.",
    "Check the month and the means of the row, or add the flight that ran to `schedule`.",
)
RESULTS_DUPLICATE_ROW = _declare(
    "MP503",
    "results-duplicate-row",
    "error",
    "Two `results` rows for the same means and month: totals would count that month twice.",
    "Merge the two rows into one, adding up their figures.",
)
ATTRIBUTED_ABOVE_MEASURED = _declare(
    "MP504",
    "attributed-above-measured",
    "warning",
    "The results of the means serving an objective add up to more than the business measured over the "
    "same months: the actions claim more than happened (a sale counted by two actions, or by an action "
    "and the till).",
    "Check the results rows of those means (is one sale counted twice?) and the `measured` figures.",
)
OBJECTIVE_UNMEASURED = _declare(
    "MP505",
    "objective-unmeasured",
    "warning",
    "The plan has results, but no results row holds the counts an objective's metric needs and the "
    "objective has no `measured` figures: its progress cannot be shown.",
    "Add the metric's counts to the results rows, or the business's own figures under the objective's `measured`.",
)
MEASURED_OUTSIDE_WINDOW = _declare(
    "MP506",
    "measured-outside-window",
    "error",
    "A `measured` month outside the objective's window (from `from`, or the plan's start, to the "
    "deadline): the figure would count for nothing, yet the file seems to say it does.",
    "Correct the month, move `from` or the deadline, or remove the figure.",
)
MEASURED_DUPLICATE_MONTH = _declare(
    "MP507",
    "measured-duplicate-month",
    "error",
    "Two `measured` figures for the same month of one objective: a total would count the month twice.",
    "Keep one figure for the month (add them up if they are two parts of it).",
)
# The plan's other chapters: the customer journey and the team (views/chapters.py).
JOURNEY_STAGE_EMPTY = _declare(
    "MP601",
    "journey-stage-empty",
    "warning",
    "The plan places its means on the customer journey, but an objective counts the result of a stage "
    "(new customers, revenue: conversion; reach: awareness; clicks, leads: consideration) on which none "
    "of the means serving it is placed.",
    "Place a means that serves the objective on that stage (`stage: conversion`), or add one that works there.",
)
MEANS_WITHOUT_RESPONSIBLE = _declare(
    "MP602",
    "means-without-responsible",
    "warning",
    "Some means name who does the work (`responsible`) and this one does not, so the team table has a gap.",
    "Add `responsible:` with the person or team who does it.",
)
# The plan's other chapters: risks and next steps.
RISK_UNMITIGATED = _declare(
    "MP611",
    "risk-unmitigated",
    "warning",
    "A risk of high impact with no `mitigation`: the client reads that the plan could be badly hurt and "
    "that nothing is planned against it.",
    "Say what you will do to prevent it or soften the blow in `mitigation` (a fallback, a reserve, a date"
    " to decide by).",
)
NEXT_STEP_OUTSIDE_PERIOD = _declare(
    "MP612",
    "next-step-outside-period",
    "warning",
    "A next step dated before the plan's period starts or after it ends: either its date is mistyped, or "
    "it is work to do before the launch (or after the plan), which the deliverable would show as part of "
    "the plan.",
    "Correct the date. For preparation due before the start, keep it and add MP612 to `lint.ignore`; for "
    "work after the end, move it to the next plan.",
)
# The forecast before launch (views/forecast.py): objectives against what the assumptions and the budget can bring.
FORECAST_SHORT = _declare(
    "MP621",
    "forecast-short",
    "warning",
    "An objective whose forecast over its window misses its target: the rates assumed and the budget of "
    "the means serving it (each of which forecasts its metric) cannot bring what it asks.",
    "Give those means more budget or better rates, add means that serve it, or revise the target.",
)
FORECAST_UNREACHABLE = _declare(
    "MP622",
    "forecast-unreachable",
    "warning",
    "A means serves an objective whose metric its forecast cannot reach for lack of an assumption "
    "(checked when the plan has assumptions, or the means its own funnel).",
    "Add the assumption the message names (under `assumptions`, or in the means' `funnel`), or type the "
    "count in the means' `forecast`.",
)
PHASING_NOT_COST = _declare(
    "MP623",
    "phasing-not-cost",
    "error",
    "A means' phasing written month by month does not add up to its cost, so the budget by month would "
    "not be the budget.",
    "Make the months add up to `cost`, or correct the cost.",
)
ASSUMPTION_UNUSED = _declare(
    "MP624",
    "assumption-unused",
    "warning",
    "An assumption that no means uses: no means is on its channel, or each takes the rate from its own "
    "funnel or from an assumption written for its channel (or earlier).",
    "Remove it, correct its channel, or remove the funnel rate or the assumption that wins over it.",
)
RATE_ASSUMPTION_OUT_OF_RANGE = _declare(
    "MP625",
    "rate-assumption-out-of-range",
    "error",
    "A rate (ctr, conversion rate, share of new customers) assumed above 1: rates are fractions of 1.",
    "Write the rate as a fraction: `0.025`, not `2.5`, for 2.5 %.",
)
