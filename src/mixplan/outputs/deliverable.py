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
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from ..controls import visible
from ..errors import MixplanError
from ..loading.reader import collector_paused
from ..plan import vocab
from ..plan.model import Kpi, Means, Milestone, Objective, Plan, PlanInfo, ScheduledMeans, Target
from ..present.formatting import Formatter
from ..present.labels import Catalogue, labels
from ..views.dashboard import dashboard_view
from ..views.mix import MixView, mix_view
from ..views.progress import Progress
from .mermaid import mermaid_gantt
from .templating import (
    MAX_OUTPUT_CHARS,
    TIME_LIMIT_VARIABLE,
    Deadline,
    TemplateTimeUp,
    environment,
    template_position,
    themes,
    time_limit_setting,
)

TEMPLATED_FORMATS = ("md", "html")
DEFAULT_THEME = "classic"
TEMPLATE_NAMES = {"md": "markdown/plan.md.j2", "html": "html/plan.html.j2"}


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
                        lab["document"]["period_range"].format(start=fmt.short_date(a), end=fmt.short_date(b))
                        for a, b in spans
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
        "by_p": charts.bar_chart(
            by_p, chart_id="chart-by-p", title=lab["charts"]["by_p_title"], axis_label=axis, tick_text=tick
        ),
        "by_channel": charts.bar_chart(
            by_channel,
            chart_id="chart-by-channel",
            title=lab["charts"]["by_channel_title"],
            axis_label=axis,
            tick_text=tick,
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


@dataclass(frozen=True)
class DeliverableView:
    """What every deliverable template reads, each field a variable of the template: the template API.

    A user's exported templates depend on these names and types; add fields,
    never rename or remove one (docs/templates.md lists them).
    """

    plan: Plan  # the whole plan, as modelled
    info: PlanInfo  # plan.plan: title, client, language, currency, period
    L: Catalogue  # the labels of the deliverable's language: L.ps.price, L.sections.budget...
    fmt: Formatter  # locale-aware formatting; the filters money, date, percent... use it
    mix: MixView  # the 4P view: cost and share by P and channel
    ps: tuple[str, ...]  # the four Ps, in order
    schedule_of: dict[str, Span]  # means id -> its first and last day
    objective_of: dict[str, Objective]  # objective id -> objective
    target_of: dict[str, Target]  # target id -> target
    timeline: list[TimelineRow]  # means flights and milestones in date order
    kpi_rows: list[KpiRow]  # every (means, KPI) pair
    objective_ref: dict[str, str]  # objective id -> its short reference, O1, O2...
    has_context: bool  # whether the context section has anything to show
    has_mix: bool  # whether any 4P policy is written
    language: str  # fr or en
    today: _dt.date  # the date on the cover and the timeline's today line
    theme: str  # the HTML theme's name
    charts: dict[str, Markup]  # HTML only: inline SVG charts by name
    mermaid_gantt: Markup  # Markdown only: the Mermaid timeline block
    objective_account: dict[str, Any]  # dashboard: objective id -> its figures in words
    month_label: Callable[[_dt.date], str]  # dashboard: a month as the language writes it
    progress: Progress  # dashboard: planned versus actual
    spend_chart: Markup  # dashboard: the monthly spend chart (HTML)
    status_symbol: dict[str, str]  # dashboard: status -> symbol
    percent_width: Callable[[Decimal | None], str]  # dashboard: a share as a CSS width
    shown: Callable[[str, Decimal | None], str]  # dashboard: a metric's value in its unit

    def context(self) -> dict[str, Any]:
        """The template's variables: each field under its name (values as they are, not copied)."""
        return {name: getattr(self, name) for name in VIEW_FIELDS}


def view(
    plan: Plan, language: str, *, format: str = "md", today: _dt.date | None = None, theme: str = DEFAULT_THEME
) -> DeliverableView:
    lab = labels(language)
    fmt = Formatter(lab["locale"], plan.plan.currency)
    today = today or _dt.date.today()
    mix = mix_view(plan)
    return DeliverableView(
        plan=plan,
        info=plan.plan,
        L=lab,
        fmt=fmt,
        mix=mix,
        ps=vocab.PS,
        schedule_of=_spans(plan),
        objective_of={o.id: o for o in plan.objectives},
        target_of={t.id: t for t in plan.targets},
        timeline=_timeline(plan),
        kpi_rows=_kpi_rows(plan),
        # Objectives get short references (O1, O2...) for the action plan's table.
        objective_ref={o.id: f"O{n}" for n, o in enumerate(plan.objectives, start=1)},
        has_context=_has_context(plan),
        has_mix=_has_mix(plan),
        language=language,
        today=today,
        theme=theme,
        # Charts are drawn only for the format that shows them.
        charts=_charts(plan, mix, lab, fmt, today) if format == "html" else {},
        mermaid_gantt=mermaid_gantt(plan, lab) if format == "md" else Markup(""),
        **dashboard_view(plan, fmt, lab),
    )


VIEW_FIELDS = tuple(f.name for f in fields(DeliverableView))


def render_pieces(
    plan: Plan,
    format: str = "md",
    *,
    language: str | None = None,
    theme: str | None = None,
    templates: str | os.PathLike[str] | None = None,
    today: _dt.date | None = None,
    time_limit: float | None = None,
    output_limit: int = MAX_OUTPUT_CHARS,
    cache_templates: bool = False,
) -> Iterator[str]:
    """The rendered text in pieces of some hundred kilobytes, for writing as it comes.

    The options are checked at once; the plan is rendered as the pieces are
    asked for, so a 100,000-means deliverable never sits whole in memory.
    A user's templates are stopped past `time_limit` seconds of running
    (default: $MIXPLAN_TEMPLATE_SECONDS, else 60; 0 for none) or
    `output_limit` characters (0 for none); the built-in ones have no limit.
    With `cache_templates`, compiled templates are kept in the user's cache
    folder (template_cache.py) for the next run; without it, nothing is written.
    """
    if format not in TEMPLATED_FORMATS:
        raise MixplanError(f"unknown output format '{format}': use md or html (for PDF, render_pdf)")
    user_templates = None
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise MixplanError(
                f"{folder}: templates folder not found (create one with `mixplan templates export {folder}`)"
            )
        user_templates = str(folder.resolve())
    theme = theme or DEFAULT_THEME
    known = themes(user_templates)
    if theme not in known:
        raise MixplanError(f"unknown theme '{theme}': use one of {', '.join(known)}")
    limits = None
    if user_templates is not None:
        limits = (time_limit_setting() if time_limit is None else time_limit, output_limit)
    language = language or plan.plan.language
    return _rendered(plan, format, language, theme, user_templates, today, limits, cache_templates)


def _rendered(
    plan: Plan,
    format: str,
    language: str,
    theme: str,
    user_templates: str | None,
    today: _dt.date | None,
    limits: tuple[float, int] | None = None,
    cache_templates: bool = False,
) -> Iterator[str]:
    env = environment(format, user_templates, cached=cache_templates)
    seconds, most = limits or (0, 0)
    deadline = Deadline(seconds) if seconds else contextlib.nullcontext()
    template_name = TEMPLATE_NAMES[format]
    try:
        template = env.get_template(template_name)
        template_name = template.filename or template_name
        written = 0
        with collector_paused():
            fragments = template.generate(view(plan, language, format=format, today=today, theme=theme).context())
        # Jinja yields a fragment per tag and value: joined a batch at a time,
        # only one batch of small strings is alive at once.
        while True:
            # Paused while a batch is made only: between two pieces the caller's
            # code runs, with the collector as the caller had it.
            with deadline, collector_paused():
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
    except TemplateTimeUp:
        raise MixplanError(
            f"{template_name}: the template was still running after {seconds:g} s and was stopped; look for a loop "
            f"that never ends or repeats too much ({TIME_LIMIT_VARIABLE} sets another limit in seconds)"
        ) from None
    except jinja2.TemplateSyntaxError as error:
        if user_templates is None:
            raise
        raise MixplanError(
            f"{error.filename or error.name}:{error.lineno}: template syntax error: {error.message}"
        ) from None
    except jinja2.TemplateNotFound as error:
        if user_templates is None:
            raise
        raise MixplanError(
            f"template not found: {error.name} (in {user_templates} or the built-in templates)"
        ) from None
    except MixplanError:
        raise
    except Exception as error:
        where = template_position(error) if user_templates is not None else None
        if where is None:
            raise
        kind = "not allowed in a template" if isinstance(error, SecurityError) else "template error"
        raise MixplanError(f"{where[0]}:{where[1]}: {kind}: {error}") from None
