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
    # --- reading the file (loading/reader.py)
    "size.megabytes": "{size} MB",
    "size.bytes": "{size} bytes",
    "MP001.missing": "{path}: no such file",
    "MP001.directory": "{path}: is a directory, not a plan file",
    "MP001.permission": "{path}: permission denied (cannot read the file)",
    "MP001.os_error": "{path}: cannot be read ({reason})",
    "MP001.too_large": "{path}: is too large to be a plan ({size}; the limit is {limit}); "
    "check that this is the right file ({variable} sets another limit, 0 for none)",
    "MP001.not_utf8": "{path}: is not UTF-8 text (invalid byte 0x{byte} at byte offset {offset}); "
    "save it as UTF-8 and try again",
    "MP100.invalid": "invalid YAML: {problem}",
    "MP100.context_at": " ({context} at line {line}, column {column})",
    "MP100.no_plan": "the file holds no plan (it is empty or only comments); `mixplan init` writes a starter plan",
    "MP100.key_not_name": "a key must be a plain name, not a list or a mapping",
    "MP100.merge_key": "a merge key (<<) needs a mapping or a list of mappings",
    "MP104.duplicate": "duplicate key '{key}' (first written at line {line}, column {column}); "
    "YAML would keep only this one and lose the other: merge or rename them",
    "MP108.too_deep": "the YAML is nested too deeply to be a plan",
    "MP108.nested": "the YAML is nested more than {levels} levels deep; a plan never needs that",
    "MP108.alias_bomb": "the YAML aliases expand to {total} values from {written} written ones "
    "(an alias bomb); use fewer nested aliases",
    "MP108.tag": "the YAML tag {tag} is not allowed: a plan holds plain text, numbers, dates, lists and mappings only",
    "MP102.control_in_text": "the text holds the control character {character}, which a terminal or a document "
    "would obey instead of showing: remove it",
    "MP102.control_in_key": "the key holds the control character {character}, which a terminal or a document "
    "would obey instead of showing: remove it",
    "MP102.control_in_line": "this line holds the control character {character}, which a terminal or a document "
    "would obey instead of showing: remove it",
    # The YAML parser's own words (loading/reader.py): English as the parser says them.
    "parser.unreadable": "unreadable YAML",
    "parser.end_of_stream": "found unexpected end of stream",
    "parser.tab": "found a tab character that violates indentation",
    "parser.tab_token": "found character '\\t' that cannot start any token",
    "parser.no_key": "did not find expected key",
    "parser.no_dash": "did not find expected '-' indicator",
    "parser.no_bracket": "did not find expected ',' or ']'",
    "parser.no_brace": "did not find expected ',' or '}}'",
    "parser.mapping_values": "mapping values are not allowed in this context",
    "parser.escape": "found unknown escape character",
    "parser.quoted": "while scanning a quoted scalar",
    "parser.plain": "while scanning a plain scalar",
    "parser.simple_key": "while scanning a simple key",
    "parser.block_mapping": "while parsing a block mapping",
    "parser.block_collection": "while parsing a block collection",
    "parser.flow_sequence": "while parsing a flow sequence",
    "parser.flow_mapping": "while parsing a flow mapping",
    # --- structure (checks/structure.py)
    "path.root": "the plan",
    "shown.mapping": "a mapping",
    "shown.list": "a list",
    "shown.nothing": "nothing",
    "shown.text": "'{text}'",
    "MP101.unknown_key": "unknown key '{key}' in {where}{hint}",
    "MP101.cut_at_comma": "; it looks like the end of a text cut at a comma inside {{ }}: put the whole text in quotes",
    "MP101.allowed": "; allowed keys here: {keys}",
    "MP103.missing": "{where}: missing required key '{key}'{described}",
    "MP109.no_objectives": "{where}: a means must serve at least one objective; list the id of the objective it is for",
    "MP109.no_targets": "{where}: a means must serve at least one target; list the id of the target it is for",
    "MP102.at": "{where}: {message}",
    "MP102.see_format": "see docs/format.md for the list",
    "MP102.not_allowed": "{shown} is not one of the allowed values{hint}; allowed: {listed}",
    "MP102.rule_id": "{shown} is not a rule id: write MP and three digits, such as {example} (`mixplan rules` lists them)",
    "MP102.currency": "{shown} is not an ISO 4217 currency code: write three capital letters, such as EUR or USD",
    "MP102.id": "{shown} is not a valid id: ids use lowercase letters (no accents), digits and hyphens, "
    "starting with a letter or digit, such as '{slug}'",
    "MP102.date_no_such_day": ": that day or month does not exist",
    "MP102.date_with_time": ": give a day without a time",
    "MP102.date": "{shown} is not a valid date{reason}; write it YYYY-MM-DD, such as 2027-03-31",
    "MP102.number": "{shown} is not a number: write a plain number such as 1200 or 1200.50, "
    "without currency sign, spaces or thousands separators",
    "MP102.finite": "{shown} is not a finite number",
    "MP102.whole": "{shown} is not a whole number: write a count without decimals, such as 1200",
    "MP102.number_as_text": "YAML reads {value} as a number: write {written} in quotes",
    "MP102.at_least": "must be {limit} or more, got {shown}",
    "MP102.at_most": "must be at most {limit}, got {shown}",
    "MP102.empty_list": "must hold at least one item",
    "MP102.empty_text": "must not be empty",
    "MP102.too_long": "is too long (at most {max} characters)",
    "MP102.list": "expected a list (lines starting with '- ', or [a, b]), got {shown}",
    "MP102.mapping": "expected a mapping of keys and values, got {shown}",
    "MP102.text": "expected text, got {shown}",
    "MP102.bool": "expected true or false, got {shown}",
    "MP102.invalid": "invalid value {shown}",
    # --- the models' own checks (plan/fields.py, plan/model.py, plan/numbers.py)
    "MP102.date_too_early": "{day} is too far in the past: a plan's dates lie between {first} and {last}",
    "MP102.date_too_late": "{day} is too far in the future: a plan's dates lie between {first} and {last}",
    "MP102.date_expected": "expected a date written YYYY-MM-DD, got {value}",
    "MP102.month_expected": "expected a month written YYYY-MM (like 2027-02), got {value}",
    "MP102.number_expected": "expected a number, got {value}",
    "MP102.too_many_decimals": "'{shown}' has too many digits after the decimal point: round it to at most {decimals} "
    "(such as 0.012 or 1200.50)",
    "MP102.number_too_long": "'{shown}...' is far too long a number for a plan; if it is text, put it in quotes",
    "MP102.too_many_digits": "'{shown}' has more than {digits} digits: no plan needs that many; "
    "if it is text, put it in quotes",
    "MP102.too_large": "'{shown}' is far too large a number for a plan (amounts go up to {ceiling}): "
    "check for a typo; if it is text, put it in quotes",
    "MP102.phasing": "phasing is even, front, back, or the amount of each month such as {example}",
    "MP102.phasing_got": "phasing is even, front, back, or the amount of each month such as {example}; got {value}",
    "MP102.phasing_amount": "the amount for {month} must be a plain number, got {amount}",
    "MP102.phasing_amount_range": "the amount for {month} must be a plain number from 0 up, got {amount}",
    "MP102.format_version": "this file declares format {value}, but this mixplan reads format {supported}",
    "MP102.period_too_long": "the period from {start} to {end} is longer than {years} years: "
    "a plan covers at most {years} years; split it into several plans",
    "MP102.assumption_range": "assumption '{id}' gives low {low}, value {value}, high {high}: "
    "low must be at most the value and high at least the value",
    # --- YAML syntax errors, rewritten (messages.py)
    "yaml.spaces.one": "{count} space",
    "yaml.spaces.many": "{count} spaces",
    "yaml.level": "'{name}' (line {line}, {spaces})",
    "yaml.or_with": " or with ",
    "yaml.indent_like": "indent it like '{key}' ({spaces})",
    "yaml.indent_by": "indent it by {spaces}",
    "yaml.colon_in_text": "this text contains ': ' (a colon followed by a space), which YAML reads as the start of "
    "a new key: put the whole text in double quotes: {fixed}",
    "yaml.apostrophe_in_single_quotes": "the apostrophe inside this text ends the single quotes around it: "
    "put the text in double quotes ({fixed}) or write the apostrophe twice ({doubled})",
    "yaml.missing_space_after_colon": "'{written}' has no space after the colon, so YAML reads it as one piece of "
    "text, not the key '{key}': add a space after the colon: {fixed}",
    "yaml.indented_deeper": "'{name}' is indented {extra} more than {level} above it: keys of one mapping start in "
    "the same column, so remove {extra} before '{name}'",
    "yaml.indented_between": "'{name}' starts after {spaces}, where no key above it starts: line it up with {choices}",
    "yaml.indented_like_list_item": "'{name}' starts after {spaces}, in the column of the '-' of line {dash_line}, "
    "where YAML expects a new list item: to add it to that item, {keep}; to start a new item, write '- ' before it",
    "yaml.tab": "indent with spaces, YAML does not allow tabs",
    # --- text that YAML silently changed
    "yaml.text_cut": "the text stops at '#': YAML reads '#{comment}' as a comment, so the text is only '{kept}': "
    "quote it to keep '#{comment}': {fixed}",
    "yaml.list_sentence": "the list item '{item}' starts with '{word}', as if these {items} items were one sentence cut "
    "at its commas: if it is one text, put it in quotes ({as_one_text}); if it is a list, remove '{word}'",
    # --- numbers written the way people write them, and the vocabularies
    "number.percentage": "{shown} is not a number: write {fraction} for {percent} % "
    "(rates and shares are written as a fraction of 1, without the % sign)",
    "number.amount_or": " (or {other}, if the separator marks decimals)",
    "number.amount": "{shown} is not a number: write {plain}{alternative}: a plain number, without spaces, "
    "thousands separators or currency sign, and with a dot before any decimals",
    "vocabulary.unknown_channel": "{shown} is not a channel name{suggestion}; run `{command}` to see them all",
    "vocabulary.unknown_metric": "{shown} is not a metric name{suggestion}; run `{command}` to see them all",
    "hint.did_you_mean_ids": " (did you mean {meant}?)",
    "hint.or": " or ",
    "gloss.plain": "'{id}'",
    "gloss.id": "'{id}' ({gloss})",
    "gloss.social_ads": "paid ads on social networks",
    "gloss.social": "your own posts, unpaid",
    "gloss.display": "bought ad space",
    "gloss.sea": "paid search ads",
    "gloss.seo": "search ranking, unpaid",
    "gloss.price_promotion": "a price cut",
    "gloss.coupon": "a discount code or voucher",
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
    "MP601.on_stage": "{id} on {stage}",
    "MP601.on_no_stage": "{id} on no stage",
    "MP601.more": " and {count} more",
    "MP601.stage_empty": "objective '{id}' counts {metric}, a result of the {needed} stage, but no means serving it "
    "is placed on that stage ({shown}): write stage: {needed} on the one that works there, or add such a means",
    "MP602.owner": " (its owner is {owner}: responsible: {owner}, if they do it)",
    "MP602.no_responsible.one": "means '{id}' names no responsible while {count} other means does: "
    "add responsible: who does the work{hint}",
    "MP602.no_responsible.many": "means '{id}' names no responsible while {count} other means do: "
    "add responsible: who does the work{hint}",
    "MP611.unmitigated": "the risk '{risk}' has a high impact but no mitigation: add a mitigation: what you will do "
    "to prevent it or soften the blow",
    "MP612.days.one": "{shown} day",
    "MP612.days.many": "{shown} days",
    "MP612.before": "{days} before the plan starts on {start}",
    "MP612.after": "{days} after the plan ends on {end}",
    "MP612.advice_before": "correct the date, or, if it is preparation due before the start, keep it and add "
    "{rule} to lint.ignore",
    "MP612.advice_after": "correct the date, or move the step to the next plan",
    "MP612.outside": "the next step '{step}' is dated {date}, {when}: {advice}",
    "MP621.asks_count": "needs {target} {words} by {deadline}",
    "MP621.asks_rate": "asks for a {words} of {target}",
    "MP621.span": " (low {low}, high {high})",
    "MP621.short": "objective '{id}' {asks}; its means forecast {base}{span}: give them more budget or better rates, "
    "add means, or revise the target",
    "MP622.assumption": "an assumption for {rate}",
    "MP622.cpc_or_cpm_and_ctr": "an assumption for cpc, or for cpm and ctr",
    "MP622.unreachable": "'{id}' serves objective '{used}', but its forecast cannot reach {metric}: add {needed} "
    "(under assumptions, or in its funnel)",
    "MP623.short": "the months of '{id}' add up to {written}, {gap} short of its cost of {cost}: "
    "make them add up to the cost",
    "MP623.over": "the months of '{id}' add up to {written}, {gap} over its cost of {cost}: "
    "make them add up to the cost",
    "MP624.no_channel": "no means is on channel {channel}",
    "MP624.taken_elsewhere": "every means it could hold for takes its {metric} from elsewhere",
    "MP624.unused": "no means uses assumption '{id}': {why}; remove it or fix it",
    "MP625.over_one": "a {metric} of {number} is over 1: rates are fractions, so write {fraction} for {number} %",
    # --- mixplan status (the terminal dashboard) ---
    "status.as_of": "as of {date}",
    "status.no_results": "no results yet",
    "status.month_names": "January February March April May June July August September October November December",
    "status.spend_title": "Spend vs budget",
    "status.to_date": "to date",
    "status.spent": "spent",
    "status.spent_of_planned": "spent of planned",
    "status.expected": "expected",
    "status.means": "means",
    "status.kpi": "KPI",
    "status.behind_title": "Means behind",
    "status.none_behind": "No means is behind its KPIs.",
    "status.new_customers_short": "new cust.",
    "status.forecast_actual_title": "Forecast vs actual (means with a forecast)",
    "status.forecast_title": "Forecast (means with a forecast)",
    "status.target": "target",
    "status.revenue_short": "revenue",
    "status.state.ahead": "ahead",
    "status.state.on_track": "on track",
    "status.state.behind": "behind",
    "status.state.better": "better",
    "status.state.on_target": "on target",
    "status.state.worse": "worse",
    "status.state.no_data": "no data",
    # --- mixplan diff (text and Markdown; JSON keeps its keys) ---
    "diff.unscheduled": "unscheduled",
    "diff.flight": "{start} to {end}",
    "diff.none": "none",
    "diff.no_p": "no P",
    "diff.total_p": "P {p}",
    "diff.total_channel": "channel {channel}",
    "diff.means_added": "Means added",
    "diff.means_removed": "Means removed",
    "diff.means_changed": "Means changed",
    "diff.budget": "Budget",
    "diff.objectives": "Objectives",
    "diff.milestones": "Milestones",
    "diff.also_changed": "Also changed: {sections}",
    "diff.section.objective statements": "objective statements",
    "diff.section.budget lines": "budget lines",
    "diff.md.means_header": "Id|Means|Channel|P|Cost|Dates",
    "diff.md.changes_header": "Means|Change|Before|After",
    "diff.md.budget_header": "Budget|Before|After|Change",
    "diff.md.objectives_header": "Objective|Status|Change|Before|After",
    "diff.md.milestones_header": "Milestone|Before|After",
    "diff.md.added": "added",
    "diff.md.removed": "removed",
    "diff.md.changed": "changed",
    "diff.field.name": "name",
    "diff.field.channel": "channel",
    "diff.field.p": "p",
    "diff.field.approach": "approach",
    "diff.field.targets": "targets",
    "diff.field.objectives": "objectives",
    "diff.field.cost": "cost",
    "diff.field.owner": "owner",
    "diff.field.kpis": "kpis",
    "diff.field.forecast": "forecast",
    "diff.field.dates": "dates",
    "diff.field.metric": "metric",
    "diff.field.target": "target",
    "diff.field.baseline": "baseline",
    "diff.field.deadline": "deadline",
    "diff.field.measure": "measure",
    "diff.field.from": "from",
    "diff.field.scope": "scope",
    "diff.field.measured": "measured",
    # --- the command line's own messages (files written, refusals, init, results import) ---
    "cli.wrote": "wrote {path}",
    "cli.language.en": "English",
    "cli.language.fr": "French",
    "cli.init.written": "{language_name} starter plan written to {path}",
    "cli.init.switch": " (use --lang {other} for {other_name})",
    "cli.init.next": "fill it in, then run `mixplan validate {path}`",
    "cli.init.schema": "(the {schema} beside it lets editors complete and check the keys as you type)",
    "cli.refused.render.one": "not rendered, the plan has {count} error(s)",
    "cli.refused.render.many": "not rendered, the plan has {count} error(s)",
    "cli.refused.status.one": "no status, the plan has {count} error",
    "cli.refused.status.many": "no status, the plan has {count} errors",
    "cli.refused.export.one": "not exported, the plan has {count} error",
    "cli.refused.export.many": "not exported, the plan has {count} errors",
    "cli.refused.diff.one": "not compared, the plan has {count} error",
    "cli.refused.diff.many": "not compared, the plan has {count} errors",
    "cli.import.updated": "updated {path}: {rows}, {added}, {replaced}; run `mixplan status {path}`",
    "cli.import.rows.one": "{count} CSV rows",
    "cli.import.rows.many": "{count} CSV rows",
    "cli.import.added.one": "{count} month(s) added",
    "cli.import.added.many": "{count} month(s) added",
    "cli.import.replaced.one": "{count} replaced",
    "cli.import.replaced.many": "{count} replaced",
    # --- plan.logo (loading/logo.py, MP112)
    "size.kilobytes": "{size} KB",
    "MP112.shown": "plan.logo '{written}'",
    "MP112.missing": "{shown}: there is no such file in the plan's folder ({folder}): check the name and the folder, "
    "or remove plan.logo",
    "MP112.unreadable_name": "{shown} cannot be read ({reason}): name a PNG, JPEG or SVG file",
    "MP112.unreadable": "{shown} cannot be read ({reason})",
    "MP112.link_outside": "{shown} is a link to a file outside the plan's folder ({real}): copy the logo itself into "
    "the plan's folder and name that copy",
    "MP112.absolute": "{shown} is an absolute path: write the path from the plan's folder, such as brand/logo.png, "
    "and keep the logo in that folder",
    "MP112.goes_up": "{shown} goes up out of the plan's folder ('..'): copy the logo into the plan's folder "
    "(or a folder below it) and name it from there",
    "MP112.changed": "{shown} changed while it was being read: try again",
    "MP112.folder": "{shown} is a folder, not an image file: name a PNG, JPEG or SVG file",
    "MP112.fifo": "{shown} is a FIFO (named pipe), not an image file: name a PNG, JPEG or SVG file",
    "MP112.device": "{shown} is a device, not an image file: name a PNG, JPEG or SVG file",
    "MP112.socket": "{shown} is a socket, not an image file: name a PNG, JPEG or SVG file",
    "MP112.not_regular": "{shown} is not a regular file, not an image file: name a PNG, JPEG or SVG file",
    "MP112.too_big": "{shown} weighs {size}; a logo may weigh at most {limit}: export it smaller "
    "(an SVG, or a PNG or JPEG about 600 pixels wide)",
    "MP112.not_image": "{shown} is not a PNG, JPEG or SVG image (its content does not start like one, whatever its "
    "name says): export the logo as PNG, JPEG or SVG",
    "MP112.plain_drawing": "a logo must be a plain drawing: export it again without scripts, event handlers or links "
    "to other files",
    "MP112.svg_entities": "{shown} is an SVG that declares XML entities (<!ENTITY>): {plain_drawing}",
    "MP112.svg_not_utf8": "{shown} is an SVG that is not UTF-8 text: save it as UTF-8",
    "MP112.svg_malformed": "{shown} is not a well-formed SVG ({error}): export it again from the drawing tool",
    "MP112.svg_element": "{shown} is an SVG that holds a <{name}> element: {plain_drawing}",
    "MP112.svg_handler": "{shown} is an SVG with an event handler ({key}=): {plain_drawing}",
    "MP112.svg_link": "{shown} is an SVG that links to another file ({key}=\"{value}\"): {plain_drawing}",
    "MP112.svg_style": "{shown} is an SVG whose style loads another file: {plain_drawing}",
    "MP112.no_folder": "plan.logo names '{written}', but this plan was given as text, not read from a file, so there "
    "is no folder to find the logo in: check the plan file itself, or pass folder= (the folder plan.logo is "
    "relative to)",
    # --- results import (workflows/results_import.py)
    "cli.error": "mixplan: {message}",
    "import.map_form": "--map {pair}: write it COLUMN=FIELD, such as --map 'Cost=spend'",
    "import.map_field": "--map {pair}: '{field}' is not a results field{hint}; use one of {fields}, "
    "or - to ignore the column",
    "import.missing": "{source}: no such file",
    "import.directory": "{source}: is a directory, not a CSV file",
    "import.not_utf8": "{source}: not UTF-8 text; export the CSV as UTF-8",
    "import.unreadable": "{source}: cannot be read ({reason})",
    "import.unknown_columns": "{name}: unknown column(s) {columns}; name each as a results field ({fields}), "
    "or map it: --map 'COLUMN=field', or --map 'COLUMN=-' to ignore it",
    "import.duplicate_columns": "{name}: several columns give {fields}; keep one, or map the others to -",
    "import.no_column": "{name}: no {field} column; add it, or name the column that holds it with --map",
    "import.no_columns": "{name}: no means and no month column; add it, or name the column that holds it with --map",
    "import.empty": "{name}: empty file; expected a header line and rows",
    "import.cells": "{place}: {cells} cells for {columns} columns",
    "import.column": "column '{column}'",
    "import.column_field": "column '{column}' ({field})",
    "import.cell_problem": "{place}: {column}: {message}",
    "import.cell_empty": "the cell is empty: every row needs its {field}",
    "import.unknown_means": "{place}: unknown means '{means}'{hint}; known means ids: {known}",
    "import.outside": "{place}: month {month} is outside the plan's period ({start} to {end})",
    "import.problems": "{name}: {count} problem(s); the plan was not changed",
    "import.no_rows": "{name}: no data rows; the plan was not changed",
    "import.cell_too_long": "{place}: a cell of this row holds more than {limit} characters; a results cell holds "
    "a name, a month or a number. Check that this is the right CSV file: a quote opened and never closed makes the "
    "rest of the file one cell",
    "import.bad_row": "{place}: this row cannot be read as CSV ({error})",
    "import.plan_invalid": "{path}: fix the plan's errors before importing results",
    "import.merged_invalid": "{path}: the merged plan would be invalid; the plan was not changed",
    "import.changed": "{path}: was changed by another program during the import; nothing was written, "
    "run the import again",
    "import.layout": "the results cannot be added while keeping the plan's layout; nothing was written. "
    "Write the plan's results section in block style (results: then one '- {{means: ..., month: ...}}' row per line) "
    "and import again",
}
