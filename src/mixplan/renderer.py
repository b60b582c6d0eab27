"""Stage 5, render: a plan to a Markdown or self-contained HTML deliverable.

One Jinja environment per output format, built once per process. Both share
the same filters (money, dates, percentages, metric values, all formatted for
the deliverable's locale by Babel) and the same label catalogue. User text
is escaped on every path: HTML through Jinja's autoescape, Markdown through
`finalize`, which escapes every `{{ }}` output that is not already Markup.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jinja2
import yaml
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from markupsafe import Markup, escape

from . import vocab
from .assets import templates_dir
from .dashboard import dashboard_view
from .errors import MixplanError
from .mix import mix_view
from .model import Milestone, Plan, ScheduledMeans

FORMATS = ("md", "html")
TEMPLATE_NAMES = {"md": "markdown/plan.md.j2", "html": "html/plan.html.j2"}


@functools.cache
def labels(language: str) -> dict[str, Any]:
    if language not in vocab.LANGUAGES:
        raise MixplanError(f"unknown language '{language}': use one of {', '.join(vocab.LANGUAGES)}")
    with (templates_dir() / "labels" / f"{language}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- Markdown escaping ----------------------------------------------------------

# Characters that can start emphasis, code, links, raw HTML or table cells
# anywhere in a line; the rest only matter at the start of a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)", re.MULTILINE)
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=#>])", re.MULTILINE)


def md_escape(value: Any) -> Markup:
    """Escape text for any Markdown context, tables included; newlines become <br>."""
    if isinstance(value, Markup):
        return value
    text = _MD_ENTITY.sub("&amp;", str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\2\\\3", text)
    text = _MD_BLOCK_START.sub(r"\1\\\2", text)
    text = re.sub(r"\r?\n", "<br>", text.strip(" \t\r\n"))
    return Markup(text)


def md_paragraphs(value: Any) -> Markup:
    """Free text as Markdown paragraphs: blank lines separate them."""
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n\n".join(md_escape(part) for part in parts))


def html_paragraphs(value: Any) -> Markup:
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n".join(f"<p>{escape(part.strip())}</p>".replace("\n", "<br>") for part in parts))


# --- formatting ------------------------------------------------------------------


@dataclass(frozen=True)
class Formatter:
    """Locale-aware formatting of the values a deliverable shows."""

    locale: str
    currency: str

    def money(self, amount: Decimal | None) -> str:
        if amount is None:
            return "—"
        return format_currency(amount, self.currency, locale=self.locale)

    def date(self, day: _dt.date | None) -> str:
        if day is None:
            return "—"
        text = format_date(day, format="long", locale=self.locale)
        if day.day == 1 and self.locale.startswith("fr"):
            text = "1er" + text[1:]  # French writes the first of the month as an ordinal
        return text

    def short_date(self, day: _dt.date | None) -> str:
        """A date for dense tables: 8 Feb 2027 style, per locale."""
        if day is None:
            return "—"
        return format_date(day, format="medium", locale=self.locale)

    def percent(self, share: Decimal | None) -> str:
        if share is None:
            return "—"
        # One decimal at most, in the locale's own pattern (French puts a space before %).
        rounded = Decimal(share).quantize(Decimal("0.001")).normalize()
        return format_percent(rounded, locale=self.locale, decimal_quantization=False)

    def number(self, value: Decimal | int | None) -> str:
        if value is None:
            return "—"
        return format_decimal(value, format="#,##0.##", locale=self.locale)

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


def _timeline(plan: Plan) -> list[dict[str, Any]]:
    """Scheduled means and milestones in date order (milestones first on a tie)."""
    means = {m.id: m for m in plan.means}
    rows = []
    for entry in plan.schedule:
        if isinstance(entry, ScheduledMeans):
            item = means.get(entry.means)
            rows.append(
                {
                    "kind": "means",
                    "start": entry.start,
                    "end": entry.end,
                    "means": item,
                    "name": item.name if item else entry.means,
                    "p": item.mix_p if item else None,
                }
            )
        elif isinstance(entry, Milestone):
            rows.append({"kind": "milestone", "start": entry.date, "end": entry.date, "name": entry.milestone})
    return sorted(rows, key=lambda r: (r["start"], r["kind"] != "milestone", r["end"], r["name"]))


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


def _kpi_rows(plan: Plan) -> list[dict[str, Any]]:
    return [{"means": item, "kpi": kpi} for item in plan.means for kpi in item.kpis]


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


def view(plan: Plan, language: str) -> dict[str, Any]:
    lab = labels(language)
    fmt = Formatter(lab["locale"], plan.plan.currency)
    objectives = {o.id: o for o in plan.objectives}
    targets = {t.id: t for t in plan.targets}
    return {
        "plan": plan,
        "info": plan.plan,
        "L": lab,
        "fmt": fmt,
        "mix": mix_view(plan),
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
        **dashboard_view(plan, fmt, lab),
    }


# --- environments ----------------------------------------------------------------------


def names(ids: list[str], lookup: dict[str, Any], attribute: str | None = "name", separator: str = ", ") -> str:
    """Ids shown by what they refer to: an attribute of the item, or the mapped text itself."""
    shown = []
    for ref in ids:
        item = lookup.get(ref)
        shown.append(ref if item is None else str(getattr(item, attribute) if attribute else item))
    return separator.join(shown)


def _finalize_markdown(value: Any) -> Any:
    if value is None:
        return ""
    return md_escape(value)


@functools.cache
def environment(format: str) -> jinja2.Environment:  # noqa: A002
    loader = jinja2.FileSystemLoader(str(templates_dir()))
    common = {"undefined": jinja2.StrictUndefined, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
    if format == "html":
        env = jinja2.Environment(loader=loader, autoescape=True, **common)
        env.filters["paragraphs"] = html_paragraphs
    else:
        env = jinja2.Environment(loader=loader, autoescape=False, finalize=_finalize_markdown, **common)
        env.filters["paragraphs"] = md_paragraphs
    env.filters["names"] = names
    return env


def render_plan(plan: Plan, format: str = "md", *, language: str | None = None) -> str:  # noqa: A002
    if format not in FORMATS:
        raise MixplanError(f"unknown output format '{format}': use md or html")
    language = language or plan.plan.language
    template = environment(format).get_template(TEMPLATE_NAMES[format])
    return template.render(**view(plan, language))
