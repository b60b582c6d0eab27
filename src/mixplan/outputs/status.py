"""`mixplan status`: the planned-versus-actual dashboard as terminal text or JSON.

Both formats read the same `progress.Progress`. rich is imported only by
`status_text`, so the JSON path and the rest of the CLI stay light.

JSON (format 1, documented in README.md): every number is a string in plain
decimal notation (exact: no float rounding), money to the cent, counts to the
hundredth, ratios to four places; undefined values are null.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..controls import visible
from ..language import current, say, speaking
from ..plan import vocab
from ..plan.model import Plan
from ..present.amounts import UNIT_COSTS, amount_text, unit_cost_keeps_cents, writes_cents
from ..views import metrics
from ..views.progress import (
    SHORT_OF_TARGET,
    TOLERANCE,
    ForecastCheck,
    KpiProgress,
    ObjectiveProgress,
    Progress,
    Spend,
    progress,
)

JSON_FORMAT = 1

# A symbol as well as a colour, so the status reads without colour.
STATUS_SYMBOL = {
    "ahead": "▲",
    "on_track": "●",
    "behind": "▼",
    "better": "▲",
    "on_target": "●",
    "worse": "▼",
    "no_data": "○",
}
STATUS_ASCII = {
    "ahead": "+",
    "on_track": "=",
    "behind": "!",
    "better": "+",
    "on_target": "=",
    "worse": "!",
    "no_data": "?",
}
STATUS_STYLE = {
    "ahead": "green",
    "on_track": "cyan",
    "behind": "bold red",
    "better": "green",
    "on_target": "cyan",
    "worse": "bold red",
    "no_data": "dim",
}

_PLACES = {"money": Decimal("0.01"), "count": Decimal("0.01"), "ratio": Decimal("0.0001")}


def decimal_text(value: Decimal | None, unit: str = "money") -> str | None:
    if value is None:
        return None
    text = format(Decimal(value).quantize(_PLACES[unit]), "f")
    if unit == "count" and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _metric_text(metric: str, value: Decimal | None) -> str | None:
    return decimal_text(value, metrics.info(metric).unit)


def _spend_json(spend: Spend) -> dict[str, Any]:
    return {
        "planned": decimal_text(spend.planned),
        "planned_to_date": decimal_text(spend.planned_to_date),
        "actual": decimal_text(spend.actual),
        "variance": decimal_text(spend.variance),
        "consumed": decimal_text(spend.consumed, "ratio"),
    }


def _values_json(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    return {metric: _metric_text(metric, value) for metric, value in values.items()}


def _kpi_json(kpi: KpiProgress) -> dict[str, Any]:
    return {
        "metric": kpi.metric,
        "target": _metric_text(kpi.metric, kpi.target),
        "baseline": _metric_text(kpi.metric, kpi.baseline),
        "expected": _metric_text(kpi.metric, kpi.expected),
        "actual": _metric_text(kpi.metric, kpi.actual),
        "variance": _metric_text(kpi.metric, kpi.variance),
        "attainment": decimal_text(kpi.attainment, "ratio"),
        "elapsed": decimal_text(kpi.elapsed, "ratio"),
        "status": kpi.status,
    }


def _forecast_json(checks: list[ForecastCheck]) -> list[dict[str, Any]]:
    return [
        {
            "metric": c.metric,
            "forecast": _metric_text(c.metric, c.forecast),
            "to_date": _metric_text(c.metric, c.to_date),
            "to_date_low": _metric_text(c.metric, c.low),
            "to_date_high": _metric_text(c.metric, c.high),
            "actual": _metric_text(c.metric, c.actual),
            "status": c.status,
        }
        for c in checks
    ]


def _objective_json(item: ObjectiveProgress) -> dict[str, Any]:
    figures, metric = item.figures, item.objective.metric
    return {
        "id": item.objective.id,
        "statement": item.objective.statement,
        "deadline": item.objective.deadline.isoformat(),
        **_kpi_json(item.kpi),
        # How far it has come (docs/format.md, "How an objective is measured"), not actual ÷ target for a rate.
        "attainment": decimal_text(item.share, "ratio"),
        "means": item.means,
        "measure": figures.measure,
        "from": item.window.start.isoformat(),
        "scope": figures.source,
        "measured": _metric_text(metric, figures.measured),
        "attributed": _metric_text(metric, figures.attributed),
        "plan_total": _metric_text(metric, figures.all_actions),
        "contributing": [{"id": c.means, "value": _metric_text(metric, c.value)} for c in figures.contributions],
    }


def _month(day: _dt.date) -> str:
    return f"{day:%Y-%m}"


# --- the forecast before launch (issue 20) ---------------------------------------------------


def _range_json(metric: str, found: Any) -> dict[str, str | None] | None:
    if found is None:
        return None
    return {end: _metric_text(metric, getattr(found, end)) for end in ("low", "base", "high")}


def _funnel_values(found: Any) -> dict[str, Any]:
    """Every metric the forecast reaches, as low / base / high; those it does not reach are left out."""
    values = {metric: _range_json(metric, found(metric)) for metric in vocab.METRICS}
    return {metric: value for metric, value in values.items() if value is not None}


def funnel_data(plan: Plan) -> dict[str, Any]:
    """The forecast before launch: assumptions, each means by month, each objective, the budget by month and P."""
    from ..views.forecast import forecast

    found = forecast(plan)
    return {
        "assumptions": [
            {
                "id": a.id,
                "metric": a.metric,
                "value": str(a.value),
                "low": None if a.low is None else str(a.low),
                "high": None if a.high is None else str(a.high),
                "channel": a.channel,
                "source": a.source,
                "used": a.id in found.used_assumptions,
            }
            for a in plan.assumptions
        ],
        "means": [
            {
                "id": item.means,
                "rates": {m: {"source": r.source, "assumption": r.assumption} for m, r in item.rates.items()},
                "total": _funnel_values(item.value),
                "months": [
                    {
                        "month": _month(month),
                        "values": _funnel_values(lambda metric, m=month, i=item: i.month_value(m, metric)),
                    }
                    for month in item.months
                ],
            }
            for item in found.means.values()
        ],
        "objectives": [
            {
                "id": o.objective,
                "metric": o.metric,
                "measure": o.measure,
                "target": _metric_text(o.metric, o.target),
                "from": o.start.isoformat(),
                "deadline": o.deadline.isoformat(),
                "forecast": _range_json(o.metric, o.value),
                "short": o.short,
                "serving": o.serving,
                "reaching": o.reaching,
            }
            for o in found.objectives
        ],
        "budget_by_month": [
            {"month": _month(month), **{p: decimal_text(amount) for p, amount in by_p.items()}}
            for month, by_p in found.budget_by_month.items()
        ],
    }


def status_data(plan: Plan, state: Progress | None = None) -> dict[str, Any]:
    """The dashboard as plain JSON-ready data (the `--format json` document)."""
    state = state or progress(plan)
    return {
        "mixplan_status": JSON_FORMAT,
        "plan": {
            "title": plan.plan.title,
            "client": plan.plan.client,
            "currency": plan.plan.currency,
            "period": {"start": plan.plan.period.start.isoformat(), "end": plan.plan.period.end.isoformat()},
        },
        "as_of": state.as_of.isoformat() if state.as_of else None,
        "tolerance": decimal_text(TOLERANCE, "ratio"),
        "budget": decimal_text(state.budget),
        "spend": _spend_json(state.overall.spend),
        "values": _values_json(state.overall.values),
        "by_p": [{"p": g.key, **_spend_json(g.spend), "values": _values_json(g.values)} for g in state.by_p],
        "objectives": [_objective_json(o) for o in state.objectives],
        "means": [
            {
                "id": m.means.id,
                "name": m.means.name,
                "p": m.p,
                "start": m.span.start.isoformat(),
                "end": m.span.end.isoformat(),
                "spend": _spend_json(m.spend),
                "values": _values_json(m.values),
                "kpis": [_kpi_json(k) for k in m.kpis],
                "forecast": _forecast_json(m.forecast),
                "forecast_months": [
                    {"month": _month(row.month), "checks": _forecast_json(row.checks)} for row in m.forecast_months
                ],
                "behind": m.behind,
            }
            for m in state.means
        ],
        "months": [
            {
                "month": _month(row.month),
                "planned": decimal_text(row.planned),
                "actual": decimal_text(row.actual),
                "variance": decimal_text(row.variance),
                "values": _values_json(row.values),
            }
            for row in state.months
        ],
        "forecast": _forecast_json(state.forecast),
        "funnel": funnel_data(plan),
    }


# --- text ---------------------------------------------------------------------------------


def _compact(value: Decimal, places: int) -> str:
    """A number in few characters: 1.2M, 48.5k, 9,841, 12.50."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:,.1f}M"
    if size >= 10_000:
        return f"{value / 1_000:,.1f}k"
    if size >= 1_000:
        return f"{value:,.0f}"
    return f"{value:,.{places}f}"


def _amount(value: Decimal | None, currency: str, compact: bool = False, cents: bool = True) -> str:
    if value is None:
        return "—"
    if compact:  # the currency is said once, in the table's title, so that no amount wraps
        return _compact(value, 2 if cents else 0)
    return amount_text(value, currency, cents)


def _metric_plain(metric: str, value: Decimal | None, currency: str, compact: bool = False, cents: bool = True) -> str:
    if value is None:
        return "—"
    unit = metrics.info(metric).unit
    if unit == "money":
        return _amount(value, currency, compact, cents or (metric in UNIT_COSTS and unit_cost_keeps_cents(value)))
    if unit == "count":
        return _compact(value, 0) if compact else f"{value:,.0f}"
    if metric == "roas":
        return f"{value:,.2f}×"
    return _percent(value)


def _percent(share: Decimal | None) -> str:
    return "—" if share is None else f"{share * 100:,.1f} %"


def _bar(share: Decimal | None, width: int, fancy: bool) -> str:
    full, empty = ("█", "░") if fancy else ("#", ".")
    if share is None:
        return " " * width
    filled = int((max(Decimal(0), min(share, Decimal(1))) * width).to_integral_value())
    return full * filled + empty * (width - filled)


def shorten(statement: str, width: int) -> str:
    """An objective's statement cut at a word to fit `width` characters, with an ellipsis when cut."""
    flat = " ".join(visible(statement, single_line=True).split()).rstrip(".")
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return (cut or flat[: width - 1]) + "…"


def _lowered(label: str) -> str:
    """A deliverable's label as a terminal column heading: "Planned to date" becomes "planned to date"."""
    return label[:1].lower() + label[1:]


# French writes 1,234.5 as 1 234,5 (a narrow no-break space between thousands).
_FRENCH_DIGITS = str.maketrans({",": "\u202f", ".": ","})


def _day_text(day: _dt.date, language: str, *, padded: bool = False) -> str:
    """A day as "30 Apr 2027" (English, as before) or "1er mai 2027" (French, without Babel)."""
    if language == "fr":
        month = say("status.month_names").split()[day.month - 1]
        return f"{day.day}{'er' if day.day == 1 else ''} {month} {day.year}"
    return f"{day:%d %b %Y}" if padded else f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class _Look:
    """How the terminal shows the dashboard: colour or plain ASCII, and whether figures must be compact."""

    currency: str
    width: int
    fancy: bool
    cents: bool = True  # False when the plan's own amounts are whole (present/amounts.writes_cents)
    language: str = "en"

    @property
    def labels(self) -> Any:
        from ..present.labels import labels

        return labels(self.language)

    def heading(self, section: str, key: str) -> str:
        """A column heading the deliverable shares, from its label catalogue."""
        return _lowered(self.labels[section][key])

    def digits(self, text: str) -> str:
        return text.translate(_FRENCH_DIGITS) if self.language == "fr" else text

    def percent(self, share: Decimal | None) -> str:
        return self.digits(_percent(share))

    @property
    def narrow(self) -> bool:
        # Under 120 columns every figure is compact and the progress bars shrink or go, so no amount wraps.
        return self.width < 120

    @property
    def in_currency(self) -> str:
        """A table title's suffix: compact figures drop the currency, so the title says it once."""
        return f" ({self.currency})" if self.narrow else ""

    @property
    def box(self) -> Any:
        from rich import box

        return box.SIMPLE_HEAD if self.fancy else box.ASCII

    def money(self, value: Decimal | None) -> str:
        return self.digits(_amount(value, self.currency, compact=self.narrow, cents=self.cents))

    def figure(self, metric: str, value: Decimal | None) -> str:
        return self.digits(_metric_plain(metric, value, self.currency, compact=self.narrow, cents=self.cents))

    def metric(self, metric: str) -> str:
        return metrics.info(metric).name(self.language)

    def status(self, value: str) -> Any:
        from rich.text import Text

        symbol = (STATUS_SYMBOL if self.fancy else STATUS_ASCII)[value]
        return Text(f"{symbol} {say('status.state.' + value)}", style=STATUS_STYLE[value] if self.fancy else "")

    def dim(self) -> str:
        return "dim" if self.fancy else ""

    def bold(self) -> str:
        return "bold" if self.fancy else ""

    def table(self, title: str, headings: Iterable[str], *, left: Iterable[str] = (), words: Iterable[str] = ()) -> Any:
        """A table whose figures never wrap; the columns in `left` (and an unnamed one) are aligned left.

        The columns in `words` hold words, which may wrap.
        """
        from rich.table import Table

        table = Table(title=f"{title}{self.in_currency}", box=self.box, title_justify="left")
        aligned_left = set(left)
        wrapping = set(words)
        for heading in headings:
            table.add_column(
                heading,
                no_wrap=bool(heading) and heading not in wrapping,
                justify="left" if not heading or heading in aligned_left else "right",
            )
        return table


def _heading(plan: Plan, state: Progress, look: _Look) -> Any:
    from rich.text import Text

    as_of = (
        say("status.as_of", date=_day_text(state.as_of, look.language, padded=True))
        if state.as_of
        else say("status.no_results")
    )
    # Plan text goes in as Text, which rich never reads as markup, and with its
    # controls written out: rich passes ESC through to the terminal.
    return Text(visible(f"{plan.plan.title} · {plan.plan.client} · {as_of}", single_line=True), style=look.bold())


def _spend_table(state: Progress, look: _Look) -> Any:
    planned, actual, variance = (look.heading("dashboard", key) for key in ("planned", "actual", "variance"))
    headings = (
        ("", planned, say("status.to_date"), actual, variance, say("status.spent"))
        if look.narrow
        else (
            "",
            planned,
            look.heading("dashboard", "planned_to_date"),
            actual,
            variance,
            say("status.spent_of_planned"),
        )
    )
    spend = look.table(say("status.spend_title"), headings)
    spend.add_row(look.labels.sections.budget, look.money(state.budget), "", "", "", "")
    groups = [(look.labels.dashboard.whole_plan, state.overall)] + [(_p_name(g.key, look), g) for g in state.by_p]
    for label, group in groups:
        s = group.spend
        consumed = s.consumed
        spend.add_row(
            label,
            look.money(s.planned),
            look.money(s.planned_to_date),
            look.money(s.actual),
            look.money(s.variance),
            f"{_bar(consumed, 5 if look.narrow else 10, look.fancy)} {look.percent(consumed)}",
        )
    return spend


def _p_name(key: str, look: _Look) -> str:
    # English keeps the P's own word ("Other", not the deliverable's "Unassigned").
    return key.capitalize() if look.language == "en" else look.labels.ps.get(key, key)


def _accounts(plan: Plan, state: Progress, look: _Look) -> list[Any]:
    """How each objective's figures are counted, in words (views/figures_text.py)."""
    from ..views.figures_text import account

    text = look.labels.dashboard
    means_names = {m.id: visible(m.name, single_line=True) for m in plan.means}
    return [
        account(
            item,
            text,
            look.figure,
            look.money,
            lambda v: look.digits(_compact(v, 0) if look.narrow else f"{v:,.0f}"),
            lambda day: _day_text(day, look.language),
            lambda means: means_names.get(means, means),
            look.labels.colon,
        )
        for item in state.objectives
    ]


def _objectives_table(state: Progress, accounts: list[Any], look: _Look) -> Any:
    from rich.table import Table
    from rich.text import Text

    wide = not look.narrow
    # The figures' columns take about 45 characters narrow, 100 wide; the statement gets the rest.
    statement_width = max(20, look.width - (100 if wide else 46))
    objectives = Table(title=f"{look.labels.sections.objectives}{look.in_currency}", box=look.box, title_justify="left")
    objectives.add_column(look.heading("columns", "objective"), justify="left", ratio=1)
    target, actual, all_actions = (
        say("status.target"),
        look.heading("dashboard", "actual"),
        look.heading("dashboard", "all_actions"),
    )
    headings = (
        (target, look.heading("dashboard", "expected"), actual, all_actions)
        if wide
        else (target, say("status.expected"), actual)
    )
    for heading in headings:
        objectives.add_column(heading, justify="right", no_wrap=True)
    if wide:
        objectives.add_column(look.heading("dashboard", "progress"), justify="left", no_wrap=True)
    objectives.add_column(look.heading("dashboard", "status"), justify="left", no_wrap=True)
    figure = look.figure
    for item, told in zip(state.objectives, accounts):
        k = item.kpi
        name = Text(shorten(item.objective.statement, statement_width))
        scope = f"{look.metric(k.metric)}, {told.counted}"
        if not wide:
            # French puts a space before a semicolon, as before a colon.
            scope += f"{look.labels.colon[:-1]}; {all_actions} {figure(k.metric, item.figures.all_actions)}"
        name.append(f"\n{scope}", style=look.dim())
        cells: list[Any] = [name, figure(k.metric, k.target), figure(k.metric, k.expected), figure(k.metric, k.actual)]
        if wide:
            cells += [
                figure(k.metric, item.figures.all_actions),
                f"{_bar(item.share, 12, look.fancy)} {look.percent(item.share)}",
            ]
        objectives.add_row(*cells, look.status(k.status))
    return objectives


def _print_counting(console: Any, state: Progress, accounts: list[Any], look: _Look) -> None:
    """Under the objectives: which results each figure counts, objective by objective."""
    from rich.padding import Padding
    from rich.text import Text

    console.print(Text(look.labels.dashboard.sources, style=look.bold()))
    colon = look.labels.colon
    for item, told in zip(state.objectives, accounts):
        statement = shorten(item.objective.statement, look.width - len(told.window) - len(colon) - 1)
        console.print(Text(f"{statement}{colon} {told.window}"))
        for line in told.lines:
            console.print(Padding(Text(f"- {line}"), (0, 0, 0, 2)))


def _behind_table(state: Progress, look: _Look) -> Any:
    words = (say("status.means"), say("status.kpi"))
    expected = say("status.expected") if look.narrow else look.heading("dashboard", "expected")
    headings = (*words, say("status.target"), expected, look.heading("dashboard", "actual"))
    behind = look.table(say("status.behind_title"), headings, left=words, words=words)
    for late in state.behind:
        for k in late.kpis:
            if k.status in SHORT_OF_TARGET:
                behind.add_row(
                    late.means.id,
                    look.metric(k.metric),
                    look.figure(k.metric, k.target),
                    look.figure(k.metric, k.expected),
                    look.figure(k.metric, k.actual),
                )
    return behind


def _months_table(state: Progress, look: _Look) -> Any:
    customers = say("status.new_customers_short") if look.narrow else look.heading("metrics", "new_customers")
    month = look.heading("dashboard", "month")
    headings = (
        month,
        *(look.heading("dashboard", key) for key in ("planned", "actual", "variance")),
        say("status.revenue_short") if look.narrow else look.heading("metrics", "revenue"),
        customers,
        "ROI",  # the same word in French marketing
    )
    months = look.table(look.labels.dashboard.months, headings, left=(month,))
    for row in state.months:
        months.add_row(
            _month(row.month),
            look.money(row.planned),
            look.money(row.actual),
            look.money(row.variance),
            look.money(row.values["revenue"]),
            look.figure("new_customers", row.values["new_customers"]),
            look.figure("roi", row.values["roi"]),
        )
    return months


def _range_text(check: ForecastCheck, look: _Look) -> str:
    """The low–high of a forecast, blank when its assumptions give no range."""
    if check.low is None or check.high is None or check.low == check.high:
        return ""
    return f"{look.figure(check.metric, check.low)} – {look.figure(check.metric, check.high)}"


def _forecast_table(state: Progress, look: _Look) -> Any:
    title = say("status.forecast_actual_title") if state.has_results else say("status.forecast_title")
    metric, status = look.heading("columns", "metric"), look.heading("dashboard", "status")
    to_date = say("status.to_date") if look.narrow else look.heading("dashboard", "forecast_to_date")
    headings = (
        metric,
        look.heading("dashboard", "forecast_value"),
        to_date,
        say("status.range"),
        look.heading("dashboard", "actual"),
        status,
    )
    forecast = look.table(title, headings, left=(metric, status), words=(metric,))
    for check in state.forecast:
        forecast.add_row(
            look.metric(check.metric),
            look.figure(check.metric, check.forecast),
            look.figure(check.metric, check.to_date),
            _range_text(check, look),
            look.figure(check.metric, check.actual),
            look.status(check.status),
        )
    return forecast


def _forecast_by_means_tables(state: Progress, look: _Look) -> list[Any]:
    """A table per means with results: its forecast against them to date, then month by month.

    One per means, named in its title, so that a narrow terminal has room for the figures.
    """
    month, metric = look.heading("dashboard", "month"), look.heading("columns", "metric")
    status = look.heading("dashboard", "status")
    range_heading = () if look.narrow else (say("status.range"),)
    headings = (
        month,
        metric,
        look.heading("dashboard", "forecast_value"),
        *range_heading,
        look.heading("dashboard", "actual"),
        status,
    )
    # ROI and CAC are the words French marketing uses too; the long names would wrap.
    short = {"conversions": look.heading("metrics", "conversions"), "roi": "ROI", "cac": "CAC"}
    tables = []
    for item in state.means:
        if not item.forecast_months:
            continue
        title = say("status.forecast_by_means_title", means=visible(item.means.id, single_line=True))
        table = look.table(title, headings, left=(month, metric, status))
        blocks = [(say("status.to_date"), item.forecast)]
        blocks += [(_month(row.month), row.checks) for row in item.forecast_months]
        for when, checks in blocks:
            for check in checks:
                ranged = () if look.narrow else (_range_text(check, look),)
                table.add_row(
                    when,
                    short.get(check.metric, look.metric(check.metric)),
                    look.figure(check.metric, check.to_date),
                    *ranged,
                    look.figure(check.metric, check.actual),
                    look.status(check.status),
                )
        tables.append(table)
    return tables


def status_text(plan: Plan, *, width: int | None = None, color: bool | None = None, language: str | None = None) -> str:
    """The dashboard for a terminal; plain ASCII tables without colour when `color` is False.

    In `language` (en or fr), else in the language messages are spoken in (mixplan.language).
    """
    import io

    from rich.console import Console

    state = progress(plan)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or 120,
        force_terminal=bool(color),
        no_color=not color,
        highlight=False,
        legacy_windows=False,
    )
    look = _Look(plan.plan.currency, console.width, bool(color), writes_cents(plan), language or current())
    # The words say() gives are in the dashboard's language, whatever the caller speaks.
    with speaking(look.language):
        console.print(_heading(plan, state, look))
        console.print(_spend_table(state, look))
        accounts = _accounts(plan, state, look)
        console.print(_objectives_table(state, accounts, look))
        if state.has_results:
            _print_counting(console, state, accounts, look)
        if state.behind:
            console.print(_behind_table(state, look))
        elif state.has_results:
            console.print(say("status.none_behind"))
        console.print(_months_table(state, look))
        if state.forecast:
            console.print(_forecast_table(state, look))
        for table in _forecast_by_means_tables(state, look):
            console.print(table)
    return buffer.getvalue()
