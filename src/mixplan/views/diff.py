"""What changed between two versions of a plan, in marketing terms.

Items are matched by id (means, objectives) or, for milestones, which have
none, by their text. Comparison works on the models, so a reformatted file
or a moved comment is no change at all. Three formatters share one
`PlanDiff`: plain text for terminals and `git diff`, Markdown for pull
requests and client changelogs, JSON for scripts.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..controls import json_visible, visible
from ..errors import MixplanError
from ..language import current, say, speaking
from ..plan import vocab
from ..plan.model import Means, Plan
from ..present.amounts import plain_amount, signed_amount
from .calendar import Span, flights
from .mix import mix_view

DIFF_FORMATS = ("text", "md", "json")

# Sections whose changes the diff spells out; any other change is named only.
_DETAILED = ("means", "objectives", "budget", "schedule")


@dataclass(frozen=True)
class Change:
    """One field of one item, before and after, as plain values (Decimal, date, lists)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ItemChange:
    id: str
    name: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class MeansSummary:
    id: str
    name: str
    channel: str
    p: str | None
    cost: Decimal
    flights: tuple[Span, ...]


@dataclass(frozen=True)
class Total:
    """A budget figure before and after: the total, the reserve, other costs, a P or a channel."""

    key: str
    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class MilestoneChange:
    name: str
    before: _dt.date | None
    after: _dt.date | None


@dataclass
class PlanDiff:
    currency: str
    means_added: list[MeansSummary] = field(default_factory=list)
    means_removed: list[MeansSummary] = field(default_factory=list)
    means_changed: list[ItemChange] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    objectives_added: list[ItemChange] = field(default_factory=list)
    objectives_removed: list[ItemChange] = field(default_factory=list)
    objectives_changed: list[ItemChange] = field(default_factory=list)
    milestones: list[MilestoneChange] = field(default_factory=list)
    other_sections: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not any(
            (
                self.means_added, self.means_removed, self.means_changed, self.totals, self.objectives_added,
                self.objectives_removed, self.objectives_changed, self.milestones, self.other_sections,
            )
        )  # fmt: skip


# --- comparing -----------------------------------------------------------------------------


def _summary(item: Means, flights_of: dict[str, tuple[Span, ...]]) -> MeansSummary:
    return MeansSummary(item.id, item.name, item.channel, item.mix_p, item.cost, flights_of.get(item.id, ()))


_MEANS_FIELDS = (
    "name",
    "channel",
    "p",
    "approach",
    "targets",
    "objectives",
    "cost",
    "owner",
    "stage",
    "responsible",
    "accountable",
    "consulted",
    "informed",
    "kpis",
)


def _means_values(item: Means, flights_of: dict[str, tuple[Span, ...]]) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in _MEANS_FIELDS}
    values["p"] = item.mix_p  # the P the means counts under, whether written or from its channel
    values["kpis"] = [f"{kpi.metric} {kpi.target}" for kpi in item.kpis]
    # The counts the means is expected to bring (hand-typed, so compared as written).
    values["forecast"] = item.forecast.model_dump(exclude_none=True) if item.forecast is not None else None
    values["dates"] = list(flights_of.get(item.id, ()))
    return values


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[Change, ...]:
    return tuple(Change(name, before[name], after[name]) for name in before if before[name] != after[name])


def _milestones(old: Plan, new: Plan) -> list[MilestoneChange]:
    """Milestones matched by text; a text used twice is matched in date order."""

    def by_text(plan: Plan) -> dict[str, list[_dt.date]]:
        found: dict[str, list[_dt.date]] = {}
        for entry in plan.milestones:
            found.setdefault(entry.milestone, []).append(entry.date)
        return {text: sorted(dates) for text, dates in found.items()}

    before, after = by_text(old), by_text(new)
    changes = []
    for text in list(before) + [t for t in after if t not in before]:
        old_dates, new_dates = before.get(text, []), after.get(text, [])
        for n in range(max(len(old_dates), len(new_dates))):
            was = old_dates[n] if n < len(old_dates) else None
            now = new_dates[n] if n < len(new_dates) else None
            if was != now:
                changes.append(MilestoneChange(text, was, now))
    return changes


def _totals(old: Plan, new: Plan) -> list[Total]:
    before, after = mix_view(old), mix_view(new)
    totals = [
        Total("total", before.total, after.total),
        Total("reserve", before.reserve, after.reserve),
        Total("other costs", before.lines_cost, after.lines_cost),
        Total("remaining", before.remaining, after.remaining),
    ]
    p_before = {s.key: s.cost for s in before.by_p}
    p_after = {s.key: s.cost for s in after.by_p}
    for p in list(vocab.PS) + sorted((set(p_before) | set(p_after)) - set(vocab.PS)):
        totals.append(Total(f"P {p}", p_before.get(p, Decimal(0)), p_after.get(p, Decimal(0))))
    c_before = {s.key: s.cost for s in before.by_channel}
    c_after = {s.key: s.cost for s in after.by_channel}
    for channel in sorted(set(c_before) | set(c_after)):
        totals.append(Total(f"channel {channel}", c_before.get(channel, Decimal(0)), c_after.get(channel, Decimal(0))))
    return [t for t in totals if t.before != t.after]


def compare(old: Plan, new: Plan) -> PlanDiff:
    """Every marketing difference between two valid plans."""
    result = PlanDiff(currency=new.plan.currency)
    old_flights, new_flights = flights(old), flights(new)
    old_means = {m.id: m for m in old.means}
    new_means = {m.id: m for m in new.means}
    result.means_added = [_summary(m, new_flights) for m in new.means if m.id not in old_means]
    result.means_removed = [_summary(m, old_flights) for m in old.means if m.id not in new_means]
    for item in new.means:
        if item.id in old_means:
            changes = _changes(_means_values(old_means[item.id], old_flights), _means_values(item, new_flights))
            if changes:
                result.means_changed.append(ItemChange(item.id, item.name, changes))

    result.totals = _totals(old, new)

    old_objectives = {o.id: o for o in old.objectives}
    new_objectives = {o.id: o for o in new.objectives}

    def objective_values(objective) -> dict[str, Any]:
        return {
            "metric": objective.metric,
            "target": objective.target,
            "baseline": objective.baseline,
            "deadline": objective.deadline,
            # How the objective is measured changes what its actual means on the dashboard.
            "measure": objective.measure_kind,
            "from": objective.window_start,
            "scope": objective.scope,
            "measured": tuple(
                f"{figure.month:%Y-%m} {value_text('', figure.value, '')}" for figure in objective.measured
            )
            or None,
        }

    for objective in new.objectives:
        if objective.id not in old_objectives:
            values = objective_values(objective)
            result.objectives_added.append(
                ItemChange(objective.id, objective.statement, _changes(dict.fromkeys(values), values))
            )
        else:
            changes = _changes(objective_values(old_objectives[objective.id]), objective_values(objective))
            if changes:
                result.objectives_changed.append(ItemChange(objective.id, objective.statement, changes))
    for objective in old.objectives:
        if objective.id not in new_objectives:
            values = objective_values(objective)
            result.objectives_removed.append(
                ItemChange(objective.id, objective.statement, _changes(values, dict.fromkeys(values)))
            )

    result.milestones = _milestones(old, new)

    # Everything else (positioning, message, targets, mix, the plan header...) is named, not detailed.
    old_data, new_data = old.model_dump(), new.model_dump()
    for name in Plan.model_fields:
        if name in _DETAILED:
            continue
        if old_data[name] != new_data[name]:
            result.other_sections.append(name)
    # Statements and budget lines are detailed only through targets and totals; name them when that hides a change.
    old_statements = {o.id: o.statement for o in old.objectives}
    if any(old_statements.get(o.id, o.statement) != o.statement for o in new.objectives):
        result.other_sections.append("objective statements")
    if old.budget.lines != new.budget.lines and not any(t.key == "other costs" for t in result.totals):
        result.other_sections.append("budget lines")
    return result


# --- formatting values -----------------------------------------------------------------------


def _flight_text(runs: list[Span] | tuple[Span, ...]) -> str:
    if not runs:
        return say("diff.unscheduled")
    return ", ".join(say("diff.flight", start=run.start.isoformat(), end=run.end.isoformat()) for run in runs)


# French writes 1,234.5 as 1 234,5 (a narrow no-break space between thousands).
_FRENCH_DIGITS = str.maketrans({",": "\u202f", ".": ","})


def _digits(text: str) -> str:
    return text.translate(_FRENCH_DIGITS) if current() == "fr" else text


def _amount(value: Decimal, currency: str) -> str:
    return _digits(plain_amount(value, currency))


def _signed(value: Decimal, currency: str) -> str:
    return _digits(signed_amount(value, currency))


def _labels() -> Any:
    from ..present.labels import labels

    return labels(current())


def _field_name(name: str) -> str:
    """A changed field as the reader knows it: its key in English, its name in French."""
    return say(f"diff.field.{name}") if f"diff.field.{name}" in _english_keys() else name


def _english_keys() -> dict[str, str]:
    from ..catalogues import catalogue

    return catalogue("en")


def _worded(change_field: str, value: Any) -> Any:
    """A vocabulary id (a channel, a P, a metric) as its label, outside English."""
    if current() == "en" or not isinstance(value, str):
        return value
    section = {"channel": "channels", "p": "ps", "metric": "metrics"}.get(change_field)
    return _labels()[section].get(value, value) if section else value


def _total_label(key: str) -> str:
    """A budget figure's name: its JSON key in English, words in French."""
    if current() == "en":
        return key
    budget = _labels().budget
    fixed = {"total": budget.total, "reserve": budget.reserve, "other costs": budget.lines_total}
    if key in fixed:
        return fixed[key]
    if key == "remaining":
        return budget.remaining
    kind, _, name = key.partition(" ")
    if kind == "P":
        return say("diff.total_p", p=_labels().ps.get(name, name))
    return say("diff.total_channel", channel=_labels().channels.get(name, name))


def _section_name(name: str) -> str:
    if current() == "en":
        return name
    if f"diff.section.{name}" in _english_keys():
        return say(f"diff.section.{name}")
    label = _labels().sections.get(name)
    return label[:1].lower() + label[1:] if label else name


# Forecast counts that are money; the others are counts of people, clicks, sales...
_FORECAST_MONEY = ("spend", "revenue")


def _forecast_text(counts: dict[str, Any], currency: str) -> str:
    # "; " between counts: a comma already groups the thousands.
    return "; ".join(
        f"{_worded('metric', name)} {_amount(value, currency) if name in _FORECAST_MONEY else _digits(f'{value:,}')}"
        for name, value in counts.items()
    ) or say("diff.none")


def value_text(change_field: str, value: Any, currency: str) -> str:
    if value is None:
        return say("diff.none")
    if change_field == "forecast":
        return _forecast_text(value, currency)
    if change_field == "dates":
        return _flight_text(value)
    if change_field == "cost":
        return _amount(value, currency)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _digits(format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f"))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else say("diff.none")
    return str(_worded(change_field, value))


def _change_text(change: Change, currency: str) -> tuple[str, str, str]:
    """A change as (field, before, after); a cost change carries its delta after the new cost."""
    before = value_text(change.field, change.before, currency)
    after = value_text(change.field, change.after, currency)
    if change.field == "cost":
        after += f" ({_signed(change.after - change.before, currency)})"
    return _field_name(change.field), before, after


def _means_line(item: MeansSummary, currency: str) -> str:
    p = _worded("p", item.p) if item.p else say("diff.no_p")
    return f"{_worded('channel', item.channel)}, {p}, {_amount(item.cost, currency)}, {_flight_text(item.flights)}"


# --- the three formats ---------------------------------------------------------------------------


def format_text(diff: PlanDiff, heading: str) -> str:
    currency = diff.currency
    lines = [heading]

    def section(title: str, count: int) -> None:
        lines.append("")
        lines.append(f"{title} ({count})")

    if diff.means_added:
        section(say("diff.means_added"), len(diff.means_added))
        lines += [f"  + {m.id}: {m.name} ({_means_line(m, currency)})" for m in diff.means_added]
    if diff.means_removed:
        section(say("diff.means_removed"), len(diff.means_removed))
        lines += [f"  - {m.id}: {m.name} ({_means_line(m, currency)})" for m in diff.means_removed]
    if diff.means_changed:
        section(say("diff.means_changed"), len(diff.means_changed))
        for item in diff.means_changed:
            lines.append(f"  ~ {item.id}: {item.name}")
            for change in item.changes:
                name, before, after = _change_text(change, currency)
                lines.append(f"      {name}: {before} → {after}")
    if diff.totals:
        section(say("diff.budget"), len(diff.totals))
        width = max(len(_total_label(t.key)) for t in diff.totals)
        for total in diff.totals:
            lines.append(
                f"  {_total_label(total.key).ljust(width)}  {_amount(total.before, currency)} → {_amount(total.after, currency)}"
                f" ({_signed(total.delta, currency)})"
            )
    objectives = diff.objectives_added + diff.objectives_removed + diff.objectives_changed
    if objectives:
        section(say("diff.objectives"), len(objectives))
        marks = [("+", diff.objectives_added), ("-", diff.objectives_removed), ("~", diff.objectives_changed)]
        for mark, items in marks:
            for item in items:
                lines.append(f"  {mark} {item.id}: {item.name}")
                for change in item.changes:
                    name, before, after = _change_text(change, currency)
                    lines.append(f"      {name}: {before} → {after}")
    if diff.milestones:
        section(say("diff.milestones"), len(diff.milestones))
        for milestone in diff.milestones:
            lines.append(f"  {_milestone_mark(milestone)} {milestone.name}: {_milestone_dates(milestone)}")
    if diff.other_sections:
        lines.append("")
        lines.append(say("diff.also_changed", sections=", ".join(map(_section_name, diff.other_sections))))
    # Names, values and the heading come from the plans and the command line:
    # a control character in them (ESC, a bare CR) is shown, never obeyed.
    return "\n".join(visible(line, single_line=True) for line in lines) + "\n"


def _milestone_mark(milestone: MilestoneChange) -> str:
    return "+" if milestone.before is None else "-" if milestone.after is None else "~"


def _milestone_dates(milestone: MilestoneChange) -> str:
    was = milestone.before.isoformat() if milestone.before else say("diff.none")
    now = milestone.after.isoformat() if milestone.after else say("diff.none")
    return f"{was} → {now}"


def format_markdown(diff: PlanDiff, heading: str) -> str:
    # The deliverable's own escaping, so user text never breaks a table.
    from ..present.markdown import md_escape

    currency = diff.currency
    out = [f"## {md_escape(heading)}"]

    def table(title: str, header: list[str], rows: list[list[str]]) -> None:
        out.extend(["", f"### {title}", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)])
        out.extend("| " + " | ".join(row) + " |" for row in rows)

    # English keeps its ids in backticks, for the team; French names each means and gives
    # its id in passing, for the client reading the changelog.
    with_ids = current() == "en"

    def who(item_id: str, name: str) -> str:
        return f"`{item_id}` {md_escape(name)}" if with_ids else f"{md_escape(name)} ({md_escape(item_id)})"

    def means_rows(items: list[MeansSummary]) -> list[list[str]]:
        return [
            [
                *([f"`{m.id}`", md_escape(m.name)] if with_ids else [who(m.id, m.name)]),
                _worded("channel", m.channel),  # vocabulary ids and labels hold no Markdown
                _worded("p", m.p) if m.p else "—",
                _amount(m.cost, currency),
                _flight_text(m.flights),
            ]
            for m in items
        ]

    means_header = say("diff.md.means_header").split("|")
    if not with_ids:
        means_header = means_header[1:]
    if diff.means_added:
        table(f"{say('diff.means_added')} ({len(diff.means_added)})", means_header, means_rows(diff.means_added))
    if diff.means_removed:
        table(f"{say('diff.means_removed')} ({len(diff.means_removed)})", means_header, means_rows(diff.means_removed))

    def change_rows(items: list[ItemChange]) -> list[list[str]]:
        rows = []
        for item in items:
            for n, change in enumerate(item.changes):
                name, before, after = _change_text(change, currency)
                rows.append([who(item.id, item.name) if n == 0 else "", name, md_escape(before), md_escape(after)])
        return rows

    if diff.means_changed:
        table(
            f"{say('diff.means_changed')} ({len(diff.means_changed)})",
            say("diff.md.changes_header").split("|"),
            change_rows(diff.means_changed),
        )
    if diff.totals:
        rows = [
            [
                md_escape(_total_label(t.key)),
                _amount(t.before, currency),
                _amount(t.after, currency),
                _signed(t.delta, currency),
            ]
            for t in diff.totals
        ]
        table(f"{say('diff.budget')} ({len(diff.totals)})", say("diff.md.budget_header").split("|"), rows)
    objectives = (
        [("added", i) for i in diff.objectives_added]
        + [("removed", i) for i in diff.objectives_removed]
        + [("changed", i) for i in diff.objectives_changed]
    )
    if objectives:
        rows = []
        for status, item in objectives:
            for n, row in enumerate(change_rows([item])):
                row.insert(1, say(f"diff.md.{status}") if n == 0 else "")
                rows.append(row)
        table(f"{say('diff.objectives')} ({len(objectives)})", say("diff.md.objectives_header").split("|"), rows)
    if diff.milestones:
        rows = [
            [md_escape(m.name), m.before.isoformat() if m.before else "—", m.after.isoformat() if m.after else "—"]
            for m in diff.milestones
        ]
        table(f"{say('diff.milestones')} ({len(diff.milestones)})", say("diff.md.milestones_header").split("|"), rows)
    if diff.other_sections:
        out.extend(["", say("diff.also_changed", sections=", ".join(map(_section_name, diff.other_sections))) + "."])
    return "\n".join(out) + "\n"


def _plain(value: Any) -> Any:
    """JSON-ready values: amounts as decimal strings (never floats), dates in ISO form."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Span):  # a flight: [first day, last day]
        return [value.start.isoformat(), value.end.isoformat()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    return value


def format_json(diff: PlanDiff, old_name: str, new_name: str) -> str:
    def summary(m: MeansSummary) -> dict[str, Any]:
        return {
            "id": m.id,
            "name": m.name,
            "channel": m.channel,
            "p": m.p,
            "cost": _plain(m.cost),
            "dates": _plain(m.flights),
        }

    def item(change: ItemChange) -> dict[str, Any]:
        return {
            "id": change.id,
            "name": change.name,
            "changes": [
                {"field": c.field, "before": _plain(c.before), "after": _plain(c.after)} for c in change.changes
            ],
        }

    document = {
        "old": old_name,
        "new": new_name,
        "identical": diff.identical,
        "currency": diff.currency,
        "means": {
            "added": [summary(m) for m in diff.means_added],
            "removed": [summary(m) for m in diff.means_removed],
            "changed": [item(c) for c in diff.means_changed],
        },
        "budget": [
            {"item": t.key, "before": _plain(t.before), "after": _plain(t.after), "delta": _plain(t.delta)}
            for t in diff.totals
        ],
        "objectives": {
            "added": [item(c) for c in diff.objectives_added],
            "removed": [item(c) for c in diff.objectives_removed],
            "changed": [item(c) for c in diff.objectives_changed],
        },
        "milestones": [
            {"milestone": m.name, "before": _plain(m.before), "after": _plain(m.after)} for m in diff.milestones
        ],
        "other_sections": diff.other_sections,
    }
    return json_visible(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def format_diff(
    diff: PlanDiff, fmt: str, old_name: str, new_name: str, *, heading: str | None = None, language: str | None = None
) -> str:
    """The diff in `text`, `md` or `json`; empty when the plans are identical.

    Text and Markdown are in `language` (en or fr), else in the language spoken
    (mixplan.language); JSON is the same in every language.
    """
    if fmt not in DIFF_FORMATS:
        from ..messages import one_of

        raise MixplanError(say("cli.unknown_diff_format", format=fmt, choices=one_of(DIFF_FORMATS)))
    if diff.identical:
        return ""
    title = heading or f"{old_name} → {new_name}"
    if fmt == "json":
        return format_json(diff, old_name, new_name)
    with speaking(language or current()):
        return format_text(diff, title) if fmt == "text" else format_markdown(diff, title)
