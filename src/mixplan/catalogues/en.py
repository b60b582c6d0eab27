"""English messages: message id -> template. Every key here is in fr.py too (tests/test_catalogues.py).

A finding's id starts with its rule id (MP201.over); `key.one` and `key.many`
are the two forms of a count (mixplan.language.plural).
"""

MESSAGES: dict[str, str] = {
    "cli.unknown_language": "unknown language '{language}': use {choices}",
    # --- what `validate` prints around the findings
    "findings.more": "... and {count} more findings ({rules}); `--format json` lists them all",
    "findings.file_line": "{file}: {text}",
    "findings.counts": "{errors}, {warnings}",
    "findings.errors.one": "{count} error",
    "findings.errors.many": "{count} errors",
    "findings.warnings.one": "{count} warning",
    "findings.warnings.many": "{count} warnings",
    "validate.ok": '{file}: ok, "{title}": {means}, {objectives}, budget {budget}{warnings}',
    "validate.ok_warnings": " ({warnings})",
    "validate.means.one": "{count} means",
    "validate.means.many": "{count} means",
    "validate.objectives.one": "{count} objective",
    "validate.objectives.many": "{count} objectives",
    # --- shared pieces
    "hint.did_you_mean": " (did you mean '{word}'?)",
    "period.outside": "outside the plan's period ({start} to {end})",
    # --- coherence rules (checks/rules.py)
    "MP105.duplicate": "id '{id}' is already used by {section}[{first}]; ids must be unique in their list",
    "MP106.none": "none defined",
    "MP106.objective": "no objective has the id '{used}'{hint}; known objective ids: {listed}",
    "MP106.target": "no target has the id '{used}'{hint}; known target ids: {listed}",
    "MP106.means": "no means has the id '{used}'{hint}; known means ids: {listed}",
    "MP106.segment": "no segment has the id '{used}'{hint}; known segment ids: {listed}",
    "MP107.no_p": "a means on channel 'other' has no default P: add p: product, price, place or promotion",
    "MP110.unknown": "there is no rule {rule}{hint}; `mixplan rules` lists them",
    "MP110.not_ignorable": "{rule} {name} cannot be ignored: a plan with that problem cannot be read; fix it instead",
    "MP111.unused": "{rule} is ignored but finds nothing in this plan: remove it from lint.ignore",
    "MP201.over": "planned spending {planned} (means {means} + lines {lines} + reserve {reserve}) exceeds the budget "
    "of {total} by {over}: cut costs or raise budget.total",
    "MP202.unallocated": "{left} ({share} %) of the budget is not allocated to any means, line or reserve: "
    "assign it, or lower budget.total",
    "MP203.overspent": "'{id}' has spent {spent} according to results, {over} over its planned cost of {cost}",
    "MP301.unscheduled": "means '{id}' is never scheduled: add {{means: {id}, start: ..., end: ...}} to schedule",
    "MP302.start": "start {day} is {within}",
    "MP302.end": "end {day} is {within}",
    "MP302.milestone": "milestone date {day} is {within}",
    "MP303.plan": "the plan ends ({end}) before it starts ({start})",
    "MP303.means": "'{means}' ends ({end}) before it starts ({start})",
    "MP304.same_start": "all {count} scheduled means start on {day}: stagger them so that the work and the "
    "spending spread over the period",
    "MP305.late": "'{id}' starts on {start}, after the deadline of every objective it serves (the latest is "
    "{latest}): start it earlier or link it to a later objective",
    "MP401.deadline": "deadline {day} is {within}",
    "MP402.unserved": "no means serves objective '{id}': add it to the objectives of a means, or drop it",
    "MP403.no_baseline": "objective '{id}' has no baseline: give today's value of {metric} so the progress it "
    "asks for is clear",
    "MP404.above_one": "a {metric} target of {target} is outside 0-1: rates are fractions, so write {fraction} "
    "for {target} %",
    "MP404.negative": "a {metric} target cannot be negative",
    "MP405.unreached": "no means reaches target '{id}': add it to the targets of a means, or drop it",
    "MP406.no_variant": "target '{id}' has no message variant while {count} other target(s) have one: "
    "add message.by_target.{id}",
    "MP407.negative": "a {metric} target of {target} is negative, and {metric} is never below zero: "
    "write the value to reach as a positive number",
    "MP408.same": "objective '{id}' targets {target}, its baseline: it asks for no progress",
    "MP408.lower_is_better": "objective '{id}' targets {target} against a baseline of {baseline}, a step backwards "
    "since for {metric} lower is better: check the target and the baseline",
    "MP408.higher_is_better": "objective '{id}' targets {target} against a baseline of {baseline}, a step "
    "backwards since for {metric} higher is better: check the target and the baseline",
    "MP409.computed_total": "{metric} is worked out from other counts, so it cannot be a total: "
    "write measure: rate, or leave measure out",
    "MP409.computed_level": "{metric} is worked out from other counts, so it cannot be a level: "
    "write measure: rate, or leave measure out",
    "MP409.count": "{metric} is a count, not a rate: write measure: total (added up over the window) "
    "or level (the count reached by the deadline)",
    "MP410.outside": "from {day} is {within}",
    "MP410.after_deadline": "objective '{id}' starts counting on {start}, after its deadline {deadline}: "
    "move from before the deadline",
    "MP501.outside": "month {month} is {within}",
    "MP502.not_running": "results for '{means}' in {month}, a month in which the schedule does not run it",
    "MP503.duplicate": "results[{first}] already holds '{means}' for {month}: merge the two rows",
    "MP504.actions.one": "the action",
    "MP504.actions.many": "the {count} actions",
    "MP504.above": "{actions} serving '{id}' account for {claimed} of {metric}, more than the {seen} the business "
    "measured over the same months: check those results rows (a result counted twice?) and the measured figures",
    "MP505.unmeasured": "no results row holds {metric}, and objective '{id}' has no measured figures: "
    "add {metric} to the results rows, or the business's figures under measured",
    "MP506.outside_window": "month {month} is outside the window of '{id}' ({start} to {deadline}): "
    "correct the month or the window",
    "MP507.duplicate": "measured[{first}] already holds {month}: keep one figure per month",
}
