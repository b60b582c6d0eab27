"""Stage 5, render: a plan to a Markdown or self-contained HTML deliverable.

One Jinja environment per output format, built once per process. Both share
the same filters (money, dates, percentages, metric values, all formatted for
the deliverable's locale by Babel) and the same label catalogue. User text
is escaped on every path: HTML through Jinja's autoescape, Markdown through
`finalize`, which escapes every `{{ }}` output that is not already Markup.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import os
import re
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import yaml
from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from ..plan import vocab
from ..assets import templates_dir
from ..controls import UNSAFE, visible
from ..views.dashboard import dashboard_view, shown_value
from ..errors import MixplanError
from ..loading.reader import collector_paused
from ..views.mix import mix_view
from ..plan.model import Kpi, Means, Milestone, Plan, ScheduledMeans

FORMATS = ("md", "html")
DEFAULT_THEME = "classic"
TEMPLATE_NAMES = {"md": "markdown/plan.md.j2", "html": "html/plan.html.j2"}


class Catalogue(dict):
    """A label catalogue whose keys are also attributes, for the templates' `L.ps.price`.

    Jinja reads `L.ps` as an attribute first and falls back to the key: on
    a plain dict that first try raises and catches an exception, about ten
    times per means of the plan. Here the instance's attributes are the dict
    itself, so the first try succeeds (no key may be named like a dict method).
    """

    def __init__(self, entries: dict[str, Any]) -> None:
        super().__init__({key: Catalogue(value) if isinstance(value, dict) else value for key, value in entries.items()})
        self.__dict__ = self


@functools.cache
def labels(language: str) -> Catalogue:
    if language not in vocab.LANGUAGES:
        raise MixplanError(f"unknown language '{language}': use one of {', '.join(vocab.LANGUAGES)}")
    # libyaml when present (a safe loader either way): the pure-Python reader
    # costs more than the rest of a small render.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (templates_dir() / "labels" / f"{language}.yaml").open(encoding="utf-8") as handle:
        return Catalogue(yaml.load(handle, Loader=loader))


# --- Markdown escaping ----------------------------------------------------------

# Characters that can start emphasis, code, links, raw HTML or table cells
# anywhere in a line; the rest only matter at the start of a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)", re.MULTILINE)
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=#>])", re.MULTILINE)


# Text that none of the patterns above can touch: most names, ids and numbers.
# One search for it is much cheaper than five substitutions on every value.
# Control characters count too: a bare CR ends a Markdown line as \n does.
_MD_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&\n\t]|" + UNSAFE.pattern + r"|^\s*(?:[-+=#>]|\d+[.)](?:\s|$))")


def md_escape(value: Any) -> Markup:
    """Escape text for any Markdown context, tables included; newlines become <br>, other controls escapes."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if _MD_NEEDS_ESCAPE.search(text) is None:
        return Markup(text.strip(" \t\r\n"))
    return _md_escape_all(text)


def _md_escape_all(text: str) -> Markup:
    # Line breaks are the one control kept (as <br>); any other is written
    # out (\x0d) before the Markdown escaping, which then escapes its backslash.
    text = visible(text.strip(" \t\r\n").replace("\r\n", "\n")).replace("\t", " ")
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\2\\\3", text)
    text = _MD_BLOCK_START.sub(r"\1\\\2", text)
    return Markup(text.replace("\n", "<br>"))


def md_paragraphs(value: Any) -> Markup:
    """Free text as Markdown paragraphs: blank lines separate them."""
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n\n".join(md_escape(part) for part in parts))


def heading_anchor(heading: Any) -> Markup:
    """The id GitHub and GitLab give a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    slug = re.sub(r"[^\w\- ]", "", str(heading).strip().lower()).replace(" ", "-")
    return Markup(re.sub(r"-{2,}", "-", slug))


def html_paragraphs(value: Any) -> Markup:
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n".join(f"<p>{escape(part.strip())}</p>".replace("\n", "<br>") for part in parts))


# --- formatting ------------------------------------------------------------------


@dataclass(frozen=True)
class _MoneyShape:
    prefix: str
    suffix: str
    negative_prefix: str
    negative_suffix: str
    group: str
    decimal: str
    digits: int

    PROBES = ("0", "0.005", "0.015", "-0.004", "7", "-12.345", "999.995", "1000", "-1234567.891", "98765432.1")

    @classmethod
    def read(cls, babel_format: Callable[[Decimal], str]) -> _MoneyShape | None:
        try:
            positive = cls._split(babel_format(Decimal("1234567.891")))
            negative = cls._split(babel_format(Decimal("-1234567.891")))
        except ValueError:
            return None
        prefix, number, suffix = positive
        negative_prefix, negative_number, negative_suffix = negative
        if number != negative_number or len(number) < 9 or not number[0].isdigit():
            return None
        group = number[1]
        integer_end = len(number)
        decimal, digits = "", 0
        tail = re.search(r"(\D)(\d+)$", number)
        if tail and number.count(tail.group(1)) == 1 and tail.group(1) != group:
            decimal, digits = tail.group(1), len(tail.group(2))
            integer_end = tail.start()
        if number[:integer_end].replace(group, "") not in ("1234567", "1234568"):  # 68: no decimals, rounded
            return None
        shape = cls(prefix, suffix, negative_prefix, negative_suffix, group, decimal, digits)
        if any(shape.format(Decimal(p)) != babel_format(Decimal(p)) for p in cls.PROBES):
            return None
        return shape

    @staticmethod
    def _split(text: str) -> tuple[str, str, str]:
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if not digits:
            raise ValueError(text)
        return text[: digits[0]], text[digits[0] : digits[-1] + 1], text[digits[-1] + 1 :]

    def format(self, amount: Decimal) -> str:
        rounded = amount.quantize(Decimal(1).scaleb(-self.digits))  # half-even, as Babel rounds
        whole, _, fraction = f"{abs(rounded):f}".partition(".")
        text = f"{int(whole):,}".replace(",", self.group)
        if self.digits:
            text += self.decimal + fraction
        if rounded.is_signed():
            return self.negative_prefix + text + self.negative_suffix
        return self.prefix + text + self.suffix


@dataclass(frozen=True)
class Formatter:
    """Locale-aware formatting of the values a deliverable shows.

    A plan repeats the same few hundred days and many amounts in every
    table, and each Babel call re-reads locale data; so each formatted value
    is remembered for the life of the formatter (one rendering).
    """

    locale: str
    currency: str
    _seen: dict[str, dict[Any, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @functools.cached_property
    def _locale(self) -> Locale:
        # Parsed once: Babel would parse the identifier again on every call.
        return Locale.parse(self.locale)

    def _remembered(self, kind: str, value: Any, make: Callable[[Any], str]) -> str:
        if value is None:
            return "—"
        # Only amounts and days are remembered: 1 == True == Decimal(1) would
        # share a key, and other types are rare.
        if type(value) is not Decimal and type(value) is not _dt.date:
            return make(value)
        seen = self._seen.get(kind)
        if seen is None:
            seen = self._seen[kind] = {}
        text = seen.get(value)
        if text is None:
            text = seen[value] = make(value)
        return text

    def money(self, amount: Decimal | None) -> str:
        return self._remembered("money", amount, self._money)

    def _money(self, amount: Decimal) -> str:
        fast = self._money_shape
        if fast is not None and type(amount) in (Decimal, int):
            return fast(Decimal(amount))
        return format_currency(amount, self.currency, locale=self._locale)

    @functools.cached_property
    def _money_shape(self) -> Callable[[Decimal], str] | None:
        """Amounts laid out as Babel lays them out, without Babel's cost per amount.

        A plan of 10,000 means shows as many distinct amounts, and Babel's
        pattern engine costs ~20 µs each. The layout (symbol, separators,
        digits, sign) is read off Babel's own output once, then checked
        against Babel on sample amounts; any difference and Babel does
        every amount itself.
        """
        shape = _MoneyShape.read(lambda value: format_currency(value, self.currency, locale=self._locale))
        return shape.format if shape is not None else None

    def date(self, day: _dt.date | None) -> str:
        return self._remembered("date", day, self._date)

    def _date(self, day: _dt.date) -> str:
        text = format_date(day, format="long", locale=self._locale)
        if day.day == 1 and self.locale.startswith("fr"):
            text = "1er" + text[1:]  # French writes the first of the month as an ordinal
        return text

    def short_date(self, day: _dt.date | None) -> str:
        """A date for dense tables: 8 Feb 2027 style, per locale."""
        return self._remembered("short_date", day, self._short_date)

    def _short_date(self, day: _dt.date) -> str:
        return format_date(day, format="medium", locale=self._locale)

    def percent(self, share: Decimal | None) -> str:
        return self._remembered("percent", share, self._percent)

    def _percent(self, share: Decimal) -> str:
        # One decimal at most, in the locale's own pattern (French puts a space before %).
        rounded = Decimal(share).quantize(Decimal("0.001")).normalize()
        return format_percent(rounded, locale=self._locale, decimal_quantization=False)

    def number(self, value: Decimal | int | None) -> str:
        return self._remembered("number", value, self._number)

    def _number(self, value: Decimal | int) -> str:
        return format_decimal(value, format="#,##0.##", locale=self._locale)

    def metric(self, metric: str, value: Decimal | None) -> str:
        """A metric's value in its unit: money, percent, multiple or count."""
        if value is None:
            return "—"
        unit = vocab.METRIC_UNIT.get(metric, "count")
        if unit == "money":
            return self.money(value)
        if unit == "percent":
            return self.percent(value)
        if unit == "multiple":
            return self.number(value) + "\u00d7"
        return self.number(value)


# --- the view the templates read ----------------------------------------------------


class TimelineRow(NamedTuple):
    # A row of the view rather than a dict: templates read `row.name`, which on
    # a dict costs Jinja a failed attribute lookup first, tens of thousands of times.
    kind: str  # "means" or "milestone"
    start: _dt.date
    end: _dt.date
    name: str
    p: str | None = None
    means: Means | None = None


class KpiRow(NamedTuple):
    means: Means
    kpi: Kpi


def _timeline(plan: Plan) -> list[TimelineRow]:
    """Scheduled means and milestones in date order (milestones first on a tie)."""
    means = {m.id: m for m in plan.means}
    rows = []
    for entry in plan.schedule:
        if isinstance(entry, ScheduledMeans):
            item = means.get(entry.means)
            name, p = (item.name, item.mix_p) if item else (entry.means, None)
            rows.append(TimelineRow("means", entry.start, entry.end, name, p, item))
        elif isinstance(entry, Milestone):
            rows.append(TimelineRow("milestone", entry.date, entry.date, entry.milestone))
    return sorted(rows, key=lambda r: (r.start, r.kind != "milestone", r.end, r.name))


@dataclass(frozen=True)
class Span:
    start: _dt.date
    end: _dt.date


def _spans(plan: Plan) -> dict[str, Span]:
    """Each scheduled means' first and last day; a means may run in several flights."""
    spans: dict[str, Span] = {}
    for entry in plan.scheduled:
        known = spans.get(entry.means)
        spans[entry.means] = (
            Span(min(known.start, entry.start), max(known.end, entry.end)) if known else Span(entry.start, entry.end)
        )
    return spans


def _kpi_rows(plan: Plan) -> list[KpiRow]:
    return [KpiRow(item, kpi) for item in plan.means for kpi in item.kpis]


def _has_context(plan: Plan) -> bool:
    c = plan.context
    if c is None:
        return False
    swot = c.swot
    has_swot = swot is not None and any((swot.strengths, swot.weaknesses, swot.opportunities, swot.threats))
    return bool(c.market or has_swot or c.competitors or c.segments)


def _has_mix(plan: Plan) -> bool:
    mix = plan.mix
    return mix is not None and any(mix.policy(p) is not None for p in vocab.PS)


# --- charts (HTML) and the Mermaid timeline (Markdown) ------------------------------


def _gantt_groups(plan: Plan, lab: dict[str, Any], fmt: Formatter) -> list[Any]:
    from .charts import GanttGroup, GanttRow

    means = {m.id: m for m in plan.means}
    flights: dict[str, list[tuple[_dt.date, _dt.date]]] = {}
    for entry in plan.scheduled:
        flights.setdefault(entry.means, []).append((entry.start, entry.end))
    # Bucketed by P in one pass: a large plan has tens of thousands of means.
    by_p: dict[str, list[tuple[str, Any, list]]] = {}
    for means_id, spans in flights.items():
        item = means.get(means_id)
        by_p.setdefault((item.mix_p if item else None) or "other", []).append((means_id, item, spans))
    groups = []
    for p in (*vocab.PS, "other"):
        rows = []
        for means_id, item, spans in by_p.get(p, ()):
            spans = sorted(spans)
            rows.append(
                GanttRow(
                    key=means_id,
                    label=item.name if item else means_id,
                    fill=p,
                    flights=tuple(spans),
                    flight_text=tuple(
                        lab["document"]["period_range"].format(start=fmt.short_date(a), end=fmt.short_date(b)) for a, b in spans
                    ),
                )
            )
        rows.sort(key=lambda r: (r.flights[0], r.label))
        groups.append(GanttGroup(lab["ps"][p], tuple(rows)))
    return groups


def _charts(plan: Plan, mix: Any, lab: dict[str, Any], fmt: Formatter, today: _dt.date) -> dict[str, Markup]:
    from babel.dates import format_date as _format_date
    from babel.numbers import format_compact_currency

    from . import charts

    def tick(amount: Decimal) -> str:
        return format_compact_currency(amount, fmt.currency, locale=fmt.locale, fraction_digits=1)

    def bar(s: Any, label: str, fill: str) -> charts.Bar:
        return charts.Bar(s.key, label, s.cost, f"{fmt.money(s.cost)} · {fmt.percent(s.share)}", fill)

    axis = lab["charts"]["cost_axis"].format(currency=plan.plan.currency)
    by_p = [bar(s, lab["ps"][s.key], s.key) for s in mix.by_p if s.key in vocab.PS or s.means]
    by_channel = [bar(s, lab["channels"][s.key], s.p or "other") for s in mix.by_channel]
    result = {
        "by_p": charts.bar_chart(by_p, chart_id="chart-by-p", title=lab["charts"]["by_p_title"], axis_label=axis, tick_text=tick),
        "by_channel": charts.bar_chart(
            by_channel, chart_id="chart-by-channel", title=lab["charts"]["by_channel_title"], axis_label=axis, tick_text=tick
        ),
    }
    if plan.schedule:
        period = plan.plan.period
        stones = [
            charts.GanttMilestone(m.milestone, m.date, fmt.date(m.date))
            for m in sorted(plan.milestones, key=lambda m: (m.date, m.milestone))
        ]
        groups = _gantt_groups(plan, lab, fmt)
        months = len(charts.month_starts(period.start, period.end))
        gantt_labels = charts.GanttLabels(
            title=lab["charts"]["timeline_title"],
            milestones=lab["schedule"]["milestone"],
            today=lab["schedule"]["today"],
            axis=lab["schedule"]["months"],
            description=lab["schedule"]["description"].format(
                means=sum(len(g.rows) for g in groups), months=months, milestones=len(stones)
            ),
            month_text=lambda day: _format_date(day, "LLL", locale=fmt.locale),
        )
        result["gantt"] = charts.gantt_chart(
            groups, stones, start=period.start, end=period.end, today=today, labels=gantt_labels
        )
    return {key: Markup(svg) for key, svg in result.items()}


# Mermaid's gantt lexer reads a line from its first character, case-insensitively,
# and tries its keywords there before task text: "Title sponsor" would retitle
# the chart, "Click & collect" start a click binding, "2027-01-01 launch" a
# date, a leading "%" or "5%" a comment that swallows the line. Inside a
# task's text, ":" ends it, and "#", ";" and "%" end or comment it out in some
# versions. Mermaid reads "#35;"-style entity codes before it parses anything
# and draws them as the character, so those characters, and a keyword's first
# letter, are written as codes: the chart shows the text as written.
_MERMAID_KEYWORD = re.compile(
    r"(?:gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker"
    r"|weekday|weekend|title|accdescription|acctitle|accdescr|section|click|call|href|\d{4}-\d\d-\d\d)",
    re.IGNORECASE,
)
_MERMAID_SPECIAL = re.compile(r"[:;#%<>{}`\"\\]")
_MERMAID_CODES = {"<": "#lt;", ">": "#gt;", '"': "#quot;"}


def _mermaid_code(char: str) -> str:
    return _MERMAID_CODES.get(char) or f"#{ord(char)};"


def mermaid_text(value: Any) -> str:
    """Text for a Mermaid gantt line: one line, drawn as written, never read as syntax."""
    text = visible(" ".join(str(value).split()), single_line=True)
    if not text:
        return "-"
    text = _MERMAID_SPECIAL.sub(lambda match: _mermaid_code(match.group()), text)
    if _MERMAID_KEYWORD.match(text):
        text = _mermaid_code(text[0]) + text[1:]
    return text


def mermaid_gantt(plan: Plan, lab: dict[str, Any]) -> Markup:
    """The schedule as a Mermaid `gantt` block: GitHub and GitLab draw it."""
    if not plan.schedule:
        return Markup("")
    means = {m.id: m for m in plan.means}
    lines = [
        "```mermaid",
        "gantt",
        f"    title {mermaid_text(lab['charts']['timeline_title'])}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %m/%Y",
    ]
    stones = sorted(plan.milestones, key=lambda m: (m.date, m.milestone))
    if stones:
        lines.append(f"    section {mermaid_text(lab['schedule']['milestone'])}")
        for stone in stones:
            lines.append(f"    {mermaid_text(stone.milestone)} :milestone, {stone.date.isoformat()}, 0d")
    entries_of: dict[str, list] = {}
    for entry in plan.scheduled:
        item = means.get(entry.means)
        entries_of.setdefault((item.mix_p if item else None) or "other", []).append(entry)
    for p in (*vocab.PS, "other"):
        entries = sorted(entries_of.get(p, ()), key=lambda e: (e.start, e.end, e.means))
        if not entries:
            continue
        lines.append(f"    section {mermaid_text(lab['ps'][p])}")
        for entry in entries:
            name = means[entry.means].name if entry.means in means else entry.means
            # Mermaid's end date is exclusive; the plan's is the last day it runs.
            after = entry.end + _dt.timedelta(days=1)
            lines.append(f"    {mermaid_text(name)} :{entry.start.isoformat()}, {after.isoformat()}")
    lines.append("```")
    return Markup("\n".join(lines))



def view(plan: Plan, language: str, *, format: str = "md", today: _dt.date | None = None, theme: str = DEFAULT_THEME) -> dict[str, Any]:
    lab = labels(language)
    fmt = Formatter(lab["locale"], plan.plan.currency)
    today = today or _dt.date.today()
    mix = mix_view(plan)
    objectives = {o.id: o for o in plan.objectives}
    targets = {t.id: t for t in plan.targets}
    return {
        "plan": plan,
        "info": plan.plan,
        "L": lab,
        "fmt": fmt,
        "mix": mix,
        "ps": vocab.PS,
        "schedule_of": _spans(plan),
        "objective_of": objectives,
        "target_of": targets,
        "timeline": _timeline(plan),
        "kpi_rows": _kpi_rows(plan),
        # Objectives get short references (O1, O2...) for the action plan's table.
        "objective_ref": {o.id: f"O{n}" for n, o in enumerate(plan.objectives, start=1)},
        "has_context": _has_context(plan),
        "has_mix": _has_mix(plan),
        "language": language,
        "today": today,
        "theme": theme,
        # Charts are drawn only for the format that shows them.
        "charts": _charts(plan, mix, lab, fmt, today) if format == "html" else {},
        "mermaid_gantt": mermaid_gantt(plan, lab) if format == "md" else Markup(""),
        **dashboard_view(plan, fmt, lab),
    }


# --- environments ----------------------------------------------------------------------


@jinja2.pass_environment
def names(
    env: jinja2.Environment, ids: list[str], lookup: dict[str, Any], attribute: str | None = "name", separator: str = ", "
) -> str:
    """Ids shown by what they refer to: an attribute of the item, or the mapped text itself.

    Items and attributes are read the way the template itself would read
    them, so in the sandbox this filter reaches nothing `{{ item.attr }}` could not.
    """
    shown = []
    for ref in ids:
        item = env.getitem(lookup, ref)
        if item is None or isinstance(item, jinja2.Undefined):
            shown.append(ref)
        else:
            shown.append(str(env.getattr(item, attribute) if attribute else item))
    return separator.join(shown)


# The view's formats as filters: `{{ m.cost | money }}`, `{{ kpi.target | metric(kpi.metric) }}`.
# Jinja calls a filter directly, while `fmt.money(m.cost)` goes through its
# generic call path, three times the cost: a table row per means calls several.
# They read the formatter of the rendering under way from the template's context.


@jinja2.pass_context
def _money_filter(context: Any, amount: Decimal | None) -> str:
    return context["fmt"].money(amount)


@jinja2.pass_context
def _date_filter(context: Any, day: _dt.date | None) -> str:
    return context["fmt"].date(day)


@jinja2.pass_context
def _short_date_filter(context: Any, day: _dt.date | None) -> str:
    return context["fmt"].short_date(day)


@jinja2.pass_context
def _percent_filter(context: Any, share: Decimal | None) -> str:
    return context["fmt"].percent(share)


@jinja2.pass_context
def _number_filter(context: Any, value: Decimal | int | None) -> str:
    return context["fmt"].number(value)


@jinja2.pass_context
def _metric_filter(context: Any, value: Decimal | None, metric: str) -> str:
    return context["fmt"].metric(metric, value)


@jinja2.pass_context
def _shown_filter(context: Any, value: Decimal | None, metric: str) -> str:
    return shown_value(context["fmt"], metric, value)


FORMAT_FILTERS: dict[str, Callable[..., str]] = {
    "money": _money_filter,
    "date": _date_filter,
    "short_date": _short_date_filter,
    "percent": _percent_filter,
    "number": _number_filter,
    "metric": _metric_filter,
    "shown": _shown_filter,
}


def _finalize_markdown(value: Any) -> Any:
    if value is None:
        return ""
    return md_escape(value)


@functools.cache
def environment(format: str, user_templates: str | None = None) -> jinja2.Environment:
    """The built-in templates, or a user's folder in front of them in Jinja's sandbox."""
    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    common: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "autoescape": format == "html",
    }
    if format != "html":
        common["finalize"] = _finalize_markdown
    if user_templates is None:
        env = jinja2.Environment(loader=builtin, **common)
    else:
        from jinja2.sandbox import SandboxedEnvironment

        # A user's template is code from outside: the sandbox keeps it from
        # reaching Python internals; files it lacks come from the built-ins.
        loader = jinja2.ChoiceLoader([ConfinedLoader(user_templates), builtin])
        env = _bounded_sandbox()(loader=loader, **common)
        env.filters["center"] = _bounded_center
    env.filters["paragraphs"] = html_paragraphs if format == "html" else md_paragraphs
    env.filters["names"] = names
    env.filters["anchor"] = heading_anchor
    env.filters.update(FORMAT_FILTERS)
    env.bytecode_cache = compiled_template_cache(env)
    return env


class ConfinedLoader(jinja2.FileSystemLoader):
    """A user's template folder, from which only files really inside it are read.

    Jinja refuses `..` in a template name but follows symbolic links: a link
    in the folder (or a template that is one) could bring any file the user
    can read into the deliverable. Each file's real path must be in the folder.
    """

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.root = Path(os.path.realpath(folder))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        candidate = self.root.joinpath(*split_template_path(template))
        if os.path.lexists(candidate):
            real = Path(os.path.realpath(candidate))
            if not real.is_relative_to(self.root):
                raise MixplanError(
                    f"{candidate}: template '{template}' leads outside the templates folder {self.root} "
                    f"(a symbolic link to {real}); a template may only use files inside its folder: "
                    "copy the file in instead of linking to it"
                )
        return super().get_source(environment, template)


# --- limits of a user's template ------------------------------------------------------------

# A template is a small program: in the sandbox it cannot reach Python's
# internals, and these bounds keep it from filling the memory or the disk, or
# running for ever. A deliverable is a few hundred kilobytes; these are far above.
MAX_REPEAT = 10_000_000  # characters or items that one `*` or `%` may produce
MAX_POWER_BITS = 100_000  # size of an integer `**` may produce (about 30,000 digits)
MAX_OUTPUT_CHARS = 50_000_000  # about 50 MB of text
DEFAULT_TIME_LIMIT = 60.0  # seconds a user's template may run
TIME_LIMIT_VARIABLE = "MIXPLAN_TEMPLATE_SECONDS"

# A %-format field: its width and precision, written or taken from the arguments (*).
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?[a-zA-Z%]")


def _repeat_size(left: Any, right: Any) -> int | None:
    """How many characters or items `left * right` makes, when one side is text or a sequence."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
            return len(sequence) * max(count, 0)
    return None


def _check_binop(operator: str, left: Any, right: Any) -> None:
    from jinja2.exceptions import SecurityError

    if operator == "*":
        size = _repeat_size(left, right)
        if size is not None and size > MAX_REPEAT:
            raise SecurityError(
                f"this '*' repeats text or a list into {size:,} characters or items; at most {MAX_REPEAT:,} are allowed"
            )
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            bits = left.bit_length() * right
            if bits > MAX_POWER_BITS:
                raise SecurityError(f"'{left} ** {right}' is too large a power: its result would have about {bits * 3 // 10:,} digits")
    elif operator == "%" and isinstance(left, str):
        arguments = right if isinstance(right, tuple) else (right,)
        for match in _PERCENT_FIELD.finditer(left):
            for size in match.groups():
                if size == "*":
                    wide = any(isinstance(a, int) and abs(a) > MAX_REPEAT for a in arguments)
                else:
                    wide = size is not None and int(size) > MAX_REPEAT
                if wide:
                    raise SecurityError(f"the format {match.group(0)[:20]!r} is too wide: at most {MAX_REPEAT:,} characters are allowed")


def _bounded_center(value: Any, width: int = 80) -> str:
    from jinja2.exceptions import SecurityError

    if isinstance(width, int) and width > MAX_REPEAT:
        raise SecurityError(f"center({width:,}) is too wide: at most {MAX_REPEAT:,} characters are allowed")
    return str(value).center(width)


# Methods of text that pad it to a width given by the template.
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


@functools.cache
def _bounded_sandbox() -> type[jinja2.Environment]:
    """Jinja's sandbox, with the arithmetic that can make huge values checked first."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
            if isinstance(getattr(__obj, "__self__", None), str) and getattr(__obj, "__name__", "") in _PADDING_METHODS:
                if any(isinstance(a, int) and a > MAX_REPEAT for a in (*args, *kwargs.values())):
                    raise SecurityError(f"{__obj.__name__}() is too wide: at most {MAX_REPEAT:,} characters are allowed")
            return super().call(__context, __obj, *args, **kwargs)

    return BoundedSandbox


class _TemplateTimeUp(BaseException):
    """Raised inside a rendering thread whose template ran past its time.

    A BaseException, like KeyboardInterrupt, so that no `except Exception`
    on the way (Jinja's or a filter's) can swallow it.
    """


class _Deadline:
    """Stops a template that runs longer than its time, in whatever thread renders it.

    A timer thread raises `_TemplateTimeUp` in the rendering thread (CPython's
    PyThreadState_SetAsyncExc): unlike SIGALRM, that works outside the main
    thread too. The clock runs only while the template does (`with deadline:`
    around each batch), not while the caller writes a piece or a reader
    pages through it. Elsewhere than CPython there is no deadline.
    """

    def __init__(self, seconds: float) -> None:
        self.left = seconds
        self.lock = threading.Lock()
        self.armed = False
        self.fired = False
        self.thread = 0
        self.timer: threading.Timer | None = None
        self.started = 0.0

    def __enter__(self) -> None:
        if self.left <= 0:
            raise _TemplateTimeUp
        self.thread = threading.get_ident()
        self.armed, self.started = True, time.monotonic()
        self.timer = threading.Timer(self.left, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def __exit__(self, *_exc: object) -> None:
        with self.lock:
            self.armed = False
            if self.timer is not None:
                self.timer.cancel()
            if self.fired:
                # Sent but perhaps not yet raised: never let it land in the caller's code.
                _raise_in_thread(self.thread, None)
        self.left -= time.monotonic() - self.started

    def _fire(self) -> None:
        with self.lock:
            if self.armed:
                self.fired = True
                _raise_in_thread(self.thread, _TemplateTimeUp)


def _raise_in_thread(thread: int, exception: type[BaseException] | None) -> None:
    try:
        import ctypes

        set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return
    set_async(ctypes.c_ulong(thread), ctypes.py_object(exception) if exception is not None else None)


def time_limit_setting() -> float:
    """Seconds a user's template may run: $MIXPLAN_TEMPLATE_SECONDS (0 for none), else one minute."""
    chosen = os.environ.get(TIME_LIMIT_VARIABLE, "").strip()
    try:
        seconds = float(chosen)
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return seconds if seconds >= 0 and seconds == seconds else DEFAULT_TIME_LIMIT


def themes(user_templates: str | None = None) -> list[str]:
    """Theme names: the CSS files under html/themes/, built-in or in the user's folder."""
    folders = [templates_dir()] + ([Path(user_templates)] if user_templates else [])
    return sorted({css.stem for folder in folders for css in (folder / "html" / "themes").glob("*.css")})


def _template_position(error: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in an error's traceback (Jinja maps frames to them)."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css", ".html", ".md")) and Path(filename).exists():
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


# --- compiled templates ------------------------------------------------------------------

# Compiling the HTML template costs more than rendering a small plan; the
# compiled code is kept in the user's cache folder, never in the package.
CACHE_DIR_VARIABLE = "MIXPLAN_CACHE_DIR"


def cache_root() -> Path:
    """Where mixplan may keep caches: $MIXPLAN_CACHE_DIR, else the platform's user cache folder."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mixplan"


def _compile_fingerprint(env: jinja2.Environment) -> str:
    """What, besides a template's own text, shapes its compiled code.

    Jinja checks each cached template against the checksum of its source;
    these settings it does not check, so they name the cache folder instead:
    a change to any of them (or a new Jinja or Python) starts a fresh cache.
    """
    settings = (
        type(env).__name__,  # the sandbox checks at run time, but keep its compiled code apart anyway
        jinja2.__version__,
        sys.version,
        sorted(env.extensions),
        env.autoescape if isinstance(env.autoescape, bool) else "select",
        env.finalize is not None,
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.newline_sequence,
        env.optimized,
        env.is_async,
        (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string),
        (env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix),
        # How each filter and test is called (with the context or not) is compiled in.
        sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in env.filters.items()),
        sorted((name, repr(getattr(t, "jinja_pass_arg", None))) for name, t in env.tests.items()),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


class CompiledTemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, one file each, written atomically by `write_bytes`.

    A compiled template is code that runs as the user, so, as Jinja's own
    FileSystemBytecodeCache does, only a file of the user's own is loaded:
    a regular file (not a link) owned by the user that no one else may
    write. A missing, stale, corrupt or untrusted file only means compiling
    again; a folder that cannot be written only means no cache.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.directory / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # No link followed, and no wait on a planted pipe; the checks are on
        # the open file itself, so it cannot be swapped after them.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(self._file(bucket), flags)
        except OSError:
            return
        with os.fdopen(descriptor, "rb") as handle:
            if _untrusted(os.fstat(handle.fileno()), folder=False) is not None:
                return
            try:
                data = handle.read()
            except OSError:
                return
        bucket.bytecode_from_string(data)  # rejects a file from another source text

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # Not through write.py: an output keeps the owner of the file it
        # replaces and follows links, while a cache file must become ours
        # alone, whatever was planted under its name.
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.directory)  # created 0600
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(bucket.bytecode_to_string())
            os.replace(temporary, self._file(bucket))
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def _untrusted(info: os.stat_result, *, folder: bool) -> str | None:
    """Why a cache file or folder is not the user's alone to write, or None when it is."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if folder and not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if not folder and not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "belongs to another user"
    if hasattr(os, "geteuid") and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return None


def _trusted_cache_folder(root: Path, fingerprint: str) -> Path | None:
    """The folder for one environment's compiled templates, created for the user alone; None if unsafe."""
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for folder in (root, root / "templates", root / "templates" / fingerprint):
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            problem = _untrusted(os.lstat(folder), folder=True)
        except OSError:
            return None  # not writable: simply no cache
        if problem is not None:
            if not _cache_refused:
                sys.stderr.write(
                    f"mixplan: not using the compiled-template cache in {folder}: it {problem}; "
                    f"remove it, or set {CACHE_DIR_VARIABLE} to a folder of your own\n"
                )
            _cache_refused.append(folder)
            return None
    return folder


# Folders refused in this process: the note is written once.
_cache_refused: list[Path] = []


def compiled_template_cache(env: jinja2.Environment) -> CompiledTemplateCache | None:
    folder = _trusted_cache_folder(cache_root(), _compile_fingerprint(env))
    return CompiledTemplateCache(folder) if folder is not None else None


def render_pieces(
    plan: Plan,
    format: str = "md",
    *,
    language: str | None = None,
    theme: str | None = None,
    templates: str | Path | None = None,
    today: _dt.date | None = None,
    time_limit: float | None = None,
    output_limit: int = MAX_OUTPUT_CHARS,
) -> Iterator[str]:
    """The rendered text in pieces of some hundred kilobytes, for writing as it comes.

    The options are checked at once; the plan is rendered as the pieces are
    asked for, so a 100,000-means deliverable never sits whole in memory.
    A user's templates are stopped past `time_limit` seconds of running
    (default: $MIXPLAN_TEMPLATE_SECONDS, else 60; 0 for none) or
    `output_limit` characters (0 for none); the built-in ones have no limit.
    """
    if format not in FORMATS:
        raise MixplanError(f"unknown output format '{format}': use md or html (for PDF, render_pdf)")
    user_templates = None
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise MixplanError(f"{folder}: templates folder not found (create one with `mixplan templates export {folder}`)")
        user_templates = str(folder.resolve())
    theme = theme or DEFAULT_THEME
    known = themes(user_templates)
    if theme not in known:
        raise MixplanError(f"unknown theme '{theme}': use one of {', '.join(known)}")
    limits = None
    if user_templates is not None:
        limits = (time_limit_setting() if time_limit is None else time_limit, output_limit)
    return _rendered(plan, format, language or plan.plan.language, theme, user_templates, today, limits)


def _rendered(
    plan: Plan,
    format: str,
    language: str,
    theme: str,
    user_templates: str | None,
    today: _dt.date | None,
    limits: tuple[float, int] | None = None,
) -> Iterator[str]:
    env = environment(format, user_templates)
    seconds, most = limits or (0, 0)
    deadline = _Deadline(seconds) if seconds else contextlib.nullcontext()
    template_name = TEMPLATE_NAMES[format]
    try:
        template = env.get_template(template_name)
        template_name = template.filename or template_name
        written = 0
        with collector_paused():
            fragments = template.generate(**view(plan, language, format=format, today=today, theme=theme))
            # Jinja yields a fragment per tag and value: joined a batch at a time,
            # only one batch of small strings is alive at once.
            while True:
                with deadline:
                    batch = list(islice(fragments, 10_000))
                if not batch:
                    return
                piece = "".join(batch)
                written += len(piece)
                if most and written > most:
                    raise MixplanError(
                        f"{template_name}: the template wrote more than {most // 1_000_000:,} MB of text, far more than "
                        "a deliverable needs; look for a loop that never ends or repeats too much"
                    )
                # Autoescaping and `finalize` see only `{{ }}` values that are not
                # Markup already; charts, paragraphs and a user's template reach the
                # page past them. So the finished text itself is checked: a control
                # character or a bidi override from any of them is shown as an
                # escape (\x1b), never obeyed.
                yield visible(piece)
    except _TemplateTimeUp:
        raise MixplanError(
            f"{template_name}: the template was still running after {seconds:g} s and was stopped; look for a loop "
            f"that never ends or repeats too much ({TIME_LIMIT_VARIABLE} sets another limit in seconds)"
        ) from None
    except jinja2.TemplateSyntaxError as error:
        if user_templates is None:
            raise
        raise MixplanError(f"{error.filename or error.name}:{error.lineno}: template syntax error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        if user_templates is None:
            raise
        raise MixplanError(f"template not found: {error.name} (in {user_templates} or the built-in templates)") from None
    except MixplanError:
        raise
    except Exception as error:
        where = _template_position(error) if user_templates is not None else None
        if where is None:
            raise
        kind = "not allowed in a template" if isinstance(error, SecurityError) else "template error"
        raise MixplanError(f"{where[0]}:{where[1]}: {kind}: {error}") from None
