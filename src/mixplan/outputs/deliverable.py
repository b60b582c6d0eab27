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
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from ..controls import visible
from ..errors import MixplanError
from ..language import grouped, say
from ..loading.reader import collector_paused
from ..messages import one_of
from ..plan import vocab
from ..plan.model import Kpi, Means, Milestone, NextStep, Objective, Plan, PlanInfo, ScheduledMeans, Target
from ..present.amounts import writes_cents
from ..present.formatting import Formatter
from ..present.labels import Catalogue, labels
from ..views import calendar
from ..views.calendar import Span
from ..views.chapters import (
    ForecastChapter,
    JourneyRow,
    MonthlyBudget,
    forecast_chapter,
    journey,
    monthly_budget,
    personas,
    raci_roles,
)
from ..views.dashboard import dashboard_view
from ..views.forecast import Range, budget_by_month, forecast
from ..views.glance import Glance, glance, next_steps_in_order
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


def _kpi_rows(plan: Plan) -> list[KpiRow]:
    return [KpiRow(item, kpi) for item in plan.means for kpi in item.kpis]


def _has_context(plan: Plan) -> bool:
    c = plan.context
    if c is None:
        return False
    swot = c.swot
    has_swot = swot is not None and any((swot.strengths, swot.weaknesses, swot.opportunities, swot.threats))
    return bool(c.market or has_swot or c.competitors or c.segments)


class RiskGridRow(NamedTuple):
    """One impact level of the risk matrix, as the Markdown deliverable writes it."""

    impact: str  # low | medium | high
    cells: tuple[tuple[str, ...], ...]  # by likelihood, low to high: the numbers (R1, R2...) of the risks there


def _risk_grid(plan: Plan) -> tuple[RiskGridRow, ...]:
    """The risks' numbers by impact (high first) and likelihood (low first), for a matrix in text."""
    if not plan.risks:
        return ()
    return tuple(
        RiskGridRow(
            impact,
            tuple(
                tuple(
                    f"R{number}"
                    for number, risk in enumerate(plan.risks, start=1)
                    if risk.impact == impact and risk.likelihood == likelihood
                )
                for likelihood in vocab.RISK_LEVELS
            ),
        )
        for impact in reversed(vocab.RISK_LEVELS)
    )


def _has_measurement(plan: Plan) -> bool:
    written = plan.measurement
    return written is not None and bool(written.tools or written.cadence or written.owner)


def _has_mix(plan: Plan) -> bool:
    mix = plan.mix
    return mix is not None and any(mix.policy(p) is not None for p in vocab.PS)


# --- charts (HTML) and the Mermaid timeline (Markdown) ------------------------------


def _gantt_groups(plan: Plan, lab: dict[str, Any], fmt: Formatter) -> list[Any]:
    from .charts import GanttGroup, GanttRow

    means = {m.id: m for m in plan.means}
    # A means run twice is a row of two bars, each with its own dates.
    # Bucketed by P in one pass: a large plan has tens of thousands of means.
    by_p: dict[str, list[tuple[str, Any, tuple[Span, ...]]]] = {}
    for means_id, runs in calendar.flights(plan).items():
        item = means.get(means_id)
        by_p.setdefault((item.mix_p if item else None) or "other", []).append((means_id, item, runs))
    groups = []
    for p in (*vocab.PS, "other"):
        rows = []
        for means_id, item, runs in by_p.get(p, ()):
            rows.append(
                GanttRow(
                    key=means_id,
                    label=item.name if item else means_id,
                    fill=p,
                    flights=tuple((run.start, run.end) for run in runs),
                    flight_text=tuple(
                        lab["document"]["period_range"].format(
                            start=fmt.short_date(run.start), end=fmt.short_date(run.end)
                        )
                        for run in runs
                    ),
                    flight_dates=tuple(
                        lab["charts"]["flight_dates"].format(start=fmt.day_month(run.start), end=fmt.day_month(run.end))
                        for run in runs
                    ),
                )
            )
        rows.sort(key=lambda r: (r.flights[0], r.label))
        groups.append(GanttGroup(lab["ps"][p], tuple(rows)))
    return groups


def axis_money(fmt: Formatter) -> Callable[[Decimal], str]:
    """A chart axis's amounts in the plan's currency: "2 000 €", "£2,000"; cents only on a step that has them."""
    from babel.core import Locale
    from babel.numbers import format_currency

    whole_pattern = re.sub(r"\.0+", "", Locale.parse(fmt.locale).currency_formats["standard"].pattern)

    def tick(amount: Decimal) -> str:
        if amount != amount.to_integral_value():
            return fmt.money(amount)
        return format_currency(amount, fmt.currency, format=whole_pattern, locale=fmt.locale, currency_digits=False)

    return tick


def _charts(
    plan: Plan, mix: Any, lab: dict[str, Any], fmt: Formatter, today: _dt.date, budget: MonthlyBudget
) -> dict[str, Markup]:
    from babel.dates import format_date as _format_date

    from . import charts

    tick = axis_money(fmt)

    def bar(s: Any, label: str, fill: str) -> charts.Bar:
        return charts.Bar(s.key, label, s.cost, f"{fmt.money(s.cost)} · {fmt.percent(s.share)}", fill)

    axis = lab["charts"]["cost_axis"].format(currency=plan.plan.currency)
    # A P or channel that costs nothing is a "0 %" row saying nothing; the tables still list it.
    by_p = [bar(s, lab["ps"][s.key], s.key) for s in mix.by_p if s.cost]
    by_channel = [bar(s, lab["channels"][s.key], s.p or "other") for s in mix.by_channel if s.cost]

    def bars(rows: list[charts.Bar], chart_id: str, title: str) -> str:
        return charts.bar_chart(
            rows, chart_id=chart_id, title=title, axis_label=axis, tick_text=tick, colon=lab["colon"]
        )

    result = {
        "by_p": bars(by_p, "chart-by-p", lab["charts"]["by_p_title"]),
        "by_channel": bars(by_channel, "chart-by-channel", lab["charts"]["by_channel_title"]),
    }
    if budget.months:
        result["budget_months"] = _budget_months_chart(budget, lab, fmt, tick)
    if plan.risks:
        result["risks"] = _risk_matrix(plan, lab)
    if plan.schedule:
        period = plan.plan.period
        stones = [
            charts.GanttMilestone(m.milestone, m.date, fmt.date(m.date), fmt.day_month(m.date))
            for m in sorted(plan.milestones, key=lambda m: (m.date, m.milestone))
        ]
        groups = _gantt_groups(plan, lab, fmt)
        months = len(calendar.month_starts(period.start, period.end))
        gantt_labels = charts.GanttLabels(
            title=lab["charts"]["timeline_title"],
            milestones=lab["schedule"]["milestone"],
            today=lab["schedule"]["today"],
            axis=lab["schedule"]["months"],
            description=lab["schedule"]["description"].format(
                means=sum(len(g.rows) for g in groups), months=months, milestones=len(stones)
            ),
            month_text=lambda day: _format_date(day, "LLL", locale=fmt.locale),
            colon=lab["colon"],
        )
        result["gantt"] = charts.gantt_chart(
            groups, stones, start=period.start, end=period.end, today=today, labels=gantt_labels
        )
    return {key: Markup(svg) for key, svg in result.items()}


def _budget_months_chart(
    budget: MonthlyBudget, lab: dict[str, Any], fmt: Formatter, tick: Callable[[Decimal], str]
) -> str:
    from babel.dates import format_date as _format_date

    from . import charts

    bars = [
        charts.BudgetMonthBar(
            label=_format_date(row.month, "MMM yy", locale=fmt.locale),
            amounts=tuple((p, row.by_p[p]) for p in budget.ps),
            total_text=fmt.money(row.total),
            amount_texts=tuple(fmt.money(row.by_p[p]) for p in budget.ps),
        )
        for row in budget.months
    ]
    return charts.monthly_budget_chart(
        bars,
        title=lab["charts"]["by_month_title"],
        legend=[(p, lab["ps"][p]) for p in budget.ps],
        tick_text=tick,
        colon=lab["colon"],
    )


def _risk_matrix(plan: Plan, lab: dict[str, Any]) -> str:
    from . import charts

    words = lab["risks"]
    level = vocab.RISK_LEVELS.index
    marks = [
        charts.RiskMark(f"R{number}", level(risk.likelihood), level(risk.impact), risk.risk)
        for number, risk in enumerate(plan.risks, start=1)
    ]
    description = "; ".join(
        words["placed"].format(
            number=mark.number,
            risk=mark.text,
            likelihood=words["likelihood_levels"][risk.likelihood].lower(),
            impact=words["impact_levels"][risk.impact].lower(),
        )
        for mark, risk in zip(marks, plan.risks, strict=True)
    )
    chart_labels = charts.RiskLabels(
        title=words["matrix"],
        description=description,
        likelihood=words["likelihood"],
        impact=words["impact"],
        likelihood_levels=tuple(words["likelihood_levels"][key] for key in vocab.RISK_LEVELS),
        impact_levels=tuple(words["impact_levels"][key] for key in vocab.RISK_LEVELS),
        colon=lab["colon"],
    )
    return charts.risk_matrix(marks, labels=chart_labels)


def _spend_chart(state: Progress, fmt: Formatter, lab: dict[str, Any]) -> Markup:
    from babel.dates import format_date as _format_date

    from . import charts

    if not state.has_results:
        return Markup("")
    text = lab["dashboard"]
    months = [
        charts.SpendMonth(
            label=_format_date(m.month, "MMM yy", locale=lab["locale"]),
            planned=m.planned,
            planned_text=fmt.money(m.planned),
            actual=m.actual,
            actual_text=fmt.money(m.actual) if m.actual is not None else "",
            variance_text=fmt.money(m.variance) if m.variance is not None else "",
        )
        for m in state.months
    ]
    chart_labels = charts.SpendLabels(
        title=text["monthly"],
        planned=text["planned"],
        actual=text["actual"],
        over=lab["charts"]["over_plan"],
        over_by=lab["charts"]["over_plan_by"],
        colon=lab["colon"],
    )
    return Markup(charts.spend_chart(months, labels=chart_labels, tick_text=axis_money(fmt)))


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
    cover_date: _dt.date  # the date on the cover: plan.date, else today
    logo: str | None  # HTML only: plan.logo as a data: URI, for an <img>; None without a logo, and in Markdown
    credit: bool  # whether the deliverable says it was made with mixplan
    theme_colors: dict[str, str]  # the agency's colours: CSS custom property (without --) -> hex colour
    flights_of: dict[str, tuple[Span, ...]]  # means id -> its flights in date order, each its own date range
    personas: list[Target]  # the targets with needs, pains, channels or objections, in plan order
    journey: list[JourneyRow]  # a row per journey stage (.stage, .means, .cost), then the unplaced; [] without stages
    raci_roles: tuple[str, ...]  # the RACI roles some means names, in RACI order; () without a team
    glance: Glance  # the plan at a glance: budget by P, biggest means, objectives, key dates (views/glance.py)
    risk_grid: tuple[RiskGridRow, ...]  # the risks' numbers by impact and likelihood (the Markdown matrix)
    has_measurement: bool  # whether the measurement section has anything to show
    next_steps: tuple[NextStep, ...]  # plan.next_steps in date order
    forecast: ForecastChapter | None  # the Forecast chapter (views/chapters.py); None with nothing to forecast from
    monthly_budget: MonthlyBudget  # the actions' budget by month and by P, from their phasing
    forecast_text: Callable[[str, Range | None], str]  # a forecast figure: "118 (80 – 150)", "118", or "—" undefined
    forecast_range: Callable[[str, Range | None], str]  # its range alone, "80 – 150"; "" when it has none

    def context(self) -> dict[str, Any]:
        """The template's variables: each field under its name (values as they are, not copied)."""
        return {name: getattr(self, name) for name in VIEW_FIELDS}


def view(
    plan: Plan,
    language: str,
    *,
    format: str = "md",
    today: _dt.date | None = None,
    theme: str = DEFAULT_THEME,
    brand: Brand | None = None,
) -> DeliverableView:
    lab = labels(language)
    fmt = Formatter(lab["locale"], plan.plan.currency, whole_units=not writes_cents(plan))
    today = today or _dt.date.today()
    mix = mix_view(plan)
    brand = brand or Brand()
    flights = calendar.flights(plan)
    # The funnel of every means costs time on a big plan: worked out once, and only when the plan gives
    # something to forecast; the dashboard's forecast against actual reads the same one.
    outlook = forecast(plan) if plan.has_forecast_input else None
    dashboard = dashboard_view(plan, fmt, lab, outlook)
    budget = monthly_budget(outlook.budget_by_month if outlook else budget_by_month(plan), mix)
    shown = dashboard["shown"]

    def forecast_range(metric: str, figure: Range | None) -> str:
        if figure is None or figure.is_exact:
            return ""
        low, high = shown(metric, figure.low), shown(metric, figure.high)
        # A range too narrow to show at the figure's precision ("80–80") is no range to the reader.
        # Spaced, so that a negative end (an ROI of -32.5 %) does not read as part of the dash.
        return "" if low == high else f"{low}\u202f\u2013\u202f{high}"

    def forecast_text(metric: str, figure: Range | None) -> str:
        if figure is None:
            return "\u2014"  # undefined: the plan gives nothing to work it out from, which is not 0
        spread = forecast_range(metric, figure)
        return f"{shown(metric, figure.base)} ({spread})" if spread else shown(metric, figure.base)

    return DeliverableView(
        plan=plan,
        info=plan.plan,
        L=lab,
        fmt=fmt,
        mix=mix,
        ps=vocab.PS,
        schedule_of={means: calendar.whole_span(runs) for means, runs in flights.items()},
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
        charts=_charts(plan, mix, lab, fmt, today, budget) if format == "html" else {},
        mermaid_gantt=mermaid_gantt(plan, lab) if format == "md" else Markup(""),
        spend_chart=_spend_chart(dashboard["progress"], fmt, lab),
        **dashboard,
        cover_date=plan.plan.date or today,
        logo=brand.logo if format == "html" else None,
        credit=brand.credit,
        theme_colors=brand.theme_colors,
        flights_of=flights,
        personas=personas(plan),
        journey=journey(plan),
        raci_roles=raci_roles(plan),
        glance=glance(plan, mix, outlook),
        risk_grid=_risk_grid(plan),
        has_measurement=_has_measurement(plan),
        next_steps=next_steps_in_order(plan),
        forecast=forecast_chapter(plan, outlook) if outlook else None,
        monthly_budget=budget,
        forecast_text=forecast_text,
        forecast_range=forecast_range,
    )


VIEW_FIELDS = tuple(f.name for f in fields(DeliverableView))


@dataclass(frozen=True)
class Brand:
    """The agency's marks on a deliverable: its logo, its colours, and whether mixplan is credited."""

    logo: str | None = None  # a data: URI
    credit: bool = True
    theme_colors: dict[str, str] = field(default_factory=dict)


def _logo_uri(plan: Plan, folder: str | os.PathLike[str] | None) -> str | None:
    from ..loading.logo import LogoProblem, read_logo

    written = plan.plan.logo
    if written is None:
        return None
    base = Path(folder) if folder is not None else plan.source_folder
    if base is None:
        raise MixplanError(say("render.logo_without_folder", logo=written))
    try:
        return read_logo(base, written).data_uri()
    except LogoProblem as problem:
        raise MixplanError(problem.message) from None


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
    credit: bool = True,
    theme_vars: str | os.PathLike[str] | Mapping[str, str] | None = None,
    folder: str | os.PathLike[str] | None = None,
    cache_templates: bool = False,
) -> Iterator[str]:
    """The rendered text in pieces of some hundred kilobytes, for writing as it comes.

    The options are checked at once; the plan is rendered as the pieces are
    asked for, so a 100,000-means deliverable never sits whole in memory.
    A user's templates are stopped past `time_limit` seconds of running
    (default: $MIXPLAN_TEMPLATE_SECONDS, else 60; 0 for none) or
    `output_limit` characters (0 for none); the built-in ones have no limit.
    `credit` False leaves out "Made with mixplan"; `theme_vars` (a YAML file
    or a mapping of colour names, outputs/theme_vars.py) sets the agency's
    colours over the theme; `folder` is where plan.logo is found (default:
    the folder of the file the plan was read from).
    With `cache_templates`, compiled templates are kept in the user's cache
    folder (template_cache.py) for the next run; without it, nothing is written.
    """
    if format not in TEMPLATED_FORMATS:
        raise MixplanError(say("render.unknown_format", format=format))
    user_templates = None
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise MixplanError(say("render.no_templates", folder=folder))
        user_templates = str(folder.resolve())
    theme = theme or DEFAULT_THEME
    known = themes(user_templates)
    if theme not in known:
        raise MixplanError(say("render.unknown_theme", theme=theme, choices=one_of(known)))
    limits = None
    if user_templates is not None:
        limits = (time_limit_setting() if time_limit is None else time_limit, output_limit)
    from .theme_vars import theme_colours

    brand = Brand(
        logo=_logo_uri(plan, folder) if format == "html" else None,
        credit=credit,
        theme_colors=theme_colours(theme_vars),
    )
    language = language or plan.plan.language
    return _rendered(plan, format, language, theme, user_templates, today, limits, brand, cache_templates)


def _rendered(
    plan: Plan,
    format: str,
    language: str,
    theme: str,
    user_templates: str | None,
    today: _dt.date | None,
    limits: tuple[float, int] | None = None,
    brand: Brand | None = None,
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
            fragments = template.generate(
                view(plan, language, format=format, today=today, theme=theme, brand=brand).context()
            )
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
                    say("templates.too_much_text", template=template_name, megabytes=grouped(most // 1_000_000))
                )
            # Autoescaping and `finalize` see only `{{ }}` values that are not
            # Markup already; charts, paragraphs and a user's template reach the
            # page past them. So the finished text itself is checked: a control
            # character or a bidi override from any of them is shown as an
            # escape (\x1b), never obeyed.
            yield visible(piece)
    except TemplateTimeUp:
        raise MixplanError(
            say(
                "templates.too_slow",
                template=template_name,
                seconds=grouped(Decimal(f"{seconds:g}")),
                variable=TIME_LIMIT_VARIABLE,
            )
        ) from None
    except jinja2.TemplateSyntaxError as error:
        if user_templates is None:
            raise
        # file:line first, as compilers and editors read it; the words around Jinja's own message are ours.
        place = f"{error.filename or error.name}:{error.lineno}"
        raise MixplanError(f"{place}: {say('templates.syntax_error', error=error.message)}") from None
    except jinja2.TemplateNotFound as error:
        if user_templates is None:
            raise
        raise MixplanError(say("templates.not_found", name=error.name, folder=user_templates)) from None
    except MixplanError:
        raise
    except Exception as error:
        where = template_position(error) if user_templates is not None else None
        if where is None:
            raise
        kind = "templates.not_allowed" if isinstance(error, SecurityError) else "templates.error"
        raise MixplanError(f"{where[0]}:{where[1]}: {say(kind, error=error)}") from None
