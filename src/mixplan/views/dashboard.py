"""The deliverable's dashboard: what its templates read, and its monthly spend chart as inline SVG.

Used by the renderer only (Babel and MarkupSafe are already loaded there).
The chart draws planned spend as outlined bars and actual spend as solid
bars, so the two read apart in greyscale and on a black-and-white printer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from ..plan.model import Plan
from . import metrics
from .progress import Progress, progress

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 28, 30
STATUS_SYMBOL = {
    "ahead": "▲",
    "on_track": "●",
    "behind": "▼",
    "better": "▲",
    "on_target": "●",
    "worse": "▼",
    "no_data": "○",
}


def _n(value: Decimal) -> str:
    """An SVG coordinate: one decimal place, no float arithmetic."""
    return format(value.quantize(Decimal("0.1")), "f")


def _ceiling(top: Decimal) -> Decimal:
    """A round value at or above `top` for the chart's scale: 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(top))) - 1)
    for step in (1, 2, 5, 10):
        if top <= step * power:
            return step * power
    return 10 * power


def spend_chart(state: Progress, fmt: Any, labels: dict[str, Any], locale: str) -> Markup:
    """Planned and actual spend per month, as a self-contained <svg> element."""
    from babel.dates import format_date

    months = state.months
    if not months:
        return Markup("")
    scale_top = _ceiling(max(max(m.planned, m.actual or Decimal(0)) for m in months))
    plot_w, plot_h = Decimal(WIDTH - LEFT - RIGHT), Decimal(HEIGHT - TOP - BOTTOM)
    slot = plot_w / len(months)
    bar = slot * Decimal("0.34")
    base = Decimal(TOP) + plot_h
    text = labels["dashboard"]

    def y(value: Decimal) -> Decimal:
        return base - plot_h * value / scale_top

    parts = [
        f'<svg class="spend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="spend-chart-title">',
        f'<title id="spend-chart-title">{escape(text["monthly"])}</title>',
    ]
    for step in range(5):
        value = scale_top * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y(value))}" y2="{_n(y(value))}" stroke="#d6dbe1" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_n(y(value) + 4)}" text-anchor="end" font-size="10" fill="#5d6672">'
            f"{escape(fmt.number(value))}</text>"
        )
    for index, month in enumerate(months):
        left = Decimal(LEFT) + slot * index + (slot - 2 * bar) / 2
        planned_top = y(month.planned)
        parts.append(
            f'<rect x="{_n(left)}" y="{_n(planned_top)}" width="{_n(bar)}" height="{_n(base - planned_top)}" '
            f'fill="#ffffff" stroke="#1d232b" stroke-width="1.2"><title>{escape(text["planned"])} '
            f"{escape(fmt.money(month.planned))}</title></rect>"
        )
        if month.actual is not None:
            actual_top = y(month.actual)
            parts.append(
                f'<rect x="{_n(left + bar)}" y="{_n(actual_top)}" width="{_n(bar)}" height="{_n(base - actual_top)}" '
                f'fill="#1f4e79"><title>{escape(text["actual"])} {escape(fmt.money(month.actual))}</title></rect>'
            )
        label = format_date(month.month, "MMM yy", locale=locale)
        parts.append(
            f'<text x="{_n(left + bar)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="10.5" fill="#1d232b">'
            f"{escape(label)}</text>"
        )
    legend_x = LEFT
    parts.append(
        f'<rect x="{legend_x}" y="8" width="12" height="10" fill="#ffffff" stroke="#1d232b" stroke-width="1.2"/>'
        f'<text x="{legend_x + 17}" y="17" font-size="11" fill="#1d232b">{escape(text["planned"])}</text>'
        f'<rect x="{legend_x + 110}" y="8" width="12" height="10" fill="#1f4e79"/>'
        f'<text x="{legend_x + 127}" y="17" font-size="11" fill="#1d232b">{escape(text["actual"])}</text>'
    )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(base)}" y2="{_n(base)}" stroke="#1d232b" stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))


def percent_width(share: Decimal | None) -> str:
    """A bar's CSS width for a share, capped to 0-100 %."""
    if share is None:
        return "0%"
    return f"{_n(max(Decimal(0), min(share, Decimal(1))) * 100)}%"


def shown_value(fmt: Any, metric: str, value: Decimal | None) -> str:
    """A metric's value as the dashboard prints it: counts expected pro rata are whole numbers."""
    if value is not None and metrics.info(metric).unit == "count":
        value = value.quantize(Decimal(1))
    return fmt.metric(metric, value)


def dashboard_view(plan: Plan, fmt: Any, labels: dict[str, Any]) -> dict[str, Any]:
    """What the dashboard templates read, added to the renderer's view."""
    from babel.dates import format_date

    from .figures_text import account

    state = progress(plan)
    names = {item.id: item.name for item in plan.means}
    accounts = (
        {
            item.objective.id: account(
                item,
                labels["dashboard"],
                lambda metric, value: shown_value(fmt, metric, value),
                fmt.money,
                fmt.number,
                fmt.date,
                lambda means: names.get(means, means),
                labels["colon"],
            )
            for item in state.objectives
        }
        if state.has_results
        else {}
    )
    return {
        "objective_account": accounts,
        "month_label": lambda month: format_date(month, "LLLL yyyy", locale=labels["locale"]),
        "progress": state,
        "spend_chart": spend_chart(state, fmt, labels, labels["locale"]) if state.has_results else Markup(""),
        "status_symbol": STATUS_SYMBOL,
        "percent_width": percent_width,
        "shown": lambda metric, value: shown_value(fmt, metric, value),
    }
