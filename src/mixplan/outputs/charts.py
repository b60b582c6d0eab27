"""Inline SVG charts of the HTML deliverable: budget bars and the schedule's Gantt.

Pure functions from plain values to SVG text: no I/O, no template engine,
no import beyond the standard library, so rendering stays quick to start.
Every piece of user text goes through `_text`. Callers pass formatted
strings (money, dates) so the charts know nothing of locales.

Fills follow the page's CSS variables (`--p-product`...), and each P also has
its own pattern, so bars stay apart when printed in greyscale.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from html import escape

from ..views.calendar import month_starts

WIDTH = 760
FONT = 12
# Average glyph width of a 12 px sans-serif, used to cut labels before they overflow.
GLYPH = 6.4

# Fallback colours for a page whose stylesheet does not define the variables.
_COLOURS = {
    "product": "#1f4e79",
    "price": "#b8561f",
    "place": "#4f8f5b",
    "promotion": "#d9a62e",
    "other": "#8a8f96",
}


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing `.0`."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _clip(label: str, room: float) -> str:
    most = max(4, int(room / GLYPH))
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _fill_defs(chart_id: str, keys: Sequence[str]) -> str:
    """One pattern per P: a solid colour plus a texture of its own for greyscale print."""
    textures = {
        "product": "",
        "price": '<path d="M0,6 L6,0" stroke="#fff" stroke-width="1.4" stroke-opacity=".55"/>',
        "place": '<circle cx="3" cy="3" r="1.1" fill="#fff" fill-opacity=".6"/>',
        "promotion": '<path d="M0,3 H6" stroke="#000" stroke-width="1" stroke-opacity=".35"/>',
        "other": '<path d="M0,0 L6,6" stroke="#fff" stroke-width="1.4" stroke-opacity=".55"/>',
    }
    parts = []
    for key in dict.fromkeys(keys):
        colour = _COLOURS.get(key, _COLOURS["other"])
        parts.append(
            f'<pattern id="{chart_id}-{key}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" style="fill: var(--p-{key}, {colour})"/>'
            f"{textures.get(key, textures['other'])}</pattern>"
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _open_svg(chart_id: str, height: float, title: str, description: str, css_class: str) -> list[str]:
    return [
        (
            f'<svg class="chart {css_class}" id="{chart_id}" '
            f'viewBox="0 0 {WIDTH} {_num(height)}" width="{WIDTH}" height="{_num(height)}" '
            f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{FONT}">'
        ),
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>',
    ]


# --- bar charts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: what it is, its amount and the text shown beside it."""

    key: str
    label: str
    value: Decimal
    value_text: str
    fill: str = "other"  # a P, for the colour and texture


def nice_step(top: Decimal, ticks: int = 4) -> Decimal:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most `ticks` intervals."""
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    power = Decimal(10) ** (raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * factor >= raw:
            return power * factor
    return power * 10


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    axis_label: str,
    tick_text: Callable[[Decimal], str],
) -> str:
    """Horizontal bars on a common scale starting at zero, with a labelled value axis."""
    label_width, value_width, top_pad, row, axis_room = 190, 170, 8, 26, 46
    plot_x, plot_width = label_width, WIDTH - label_width - value_width
    top_value = max((b.value for b in bars), default=Decimal(0))
    step = nice_step(top_value)
    # The axis ends on the first round tick at or above the biggest bar.
    axis_top = step * max(1, (top_value / step).to_integral_value(rounding=ROUND_CEILING))  # type: ignore[operator]  # int 1 or a Decimal: both multiply a Decimal
    scale = plot_width / float(axis_top)
    plot_height = row * len(bars)
    height = top_pad + plot_height + axis_room

    description = "; ".join(f"{b.label}: {b.value_text}" for b in bars)
    parts = _open_svg(chart_id, height, title, description, "bar-chart")
    parts.append(_fill_defs(chart_id, [b.fill for b in bars]))

    ticks = int(axis_top / step)
    parts.append('<g class="grid" aria-hidden="true">')
    for n in range(ticks + 1):
        x = plot_x + float(step * n) * scale
        parts.append(
            f'<line x1="{_num(x)}" y1="{top_pad}" x2="{_num(x)}" y2="{_num(top_pad + plot_height)}" class="gridline"/>'
            f'<text x="{_num(x)}" y="{_num(top_pad + plot_height + 16)}" text-anchor="middle" class="tick">'
            f"{_text(tick_text(step * n))}</text>"
        )
    parts.append("</g>")

    for index, bar in enumerate(bars):
        y = top_pad + index * row
        length = float(bar.value) * scale
        parts.append(
            f'<g class="bar-row" data-key="{_text(bar.key)}">'
            f"<title>{_text(bar.label)}: {_text(bar.value_text)}</title>"
            f'<text x="{plot_x - 8}" y="{_num(y + row / 2 + 4)}" text-anchor="end" class="label">'
            f"{_text(_clip(bar.label, label_width - 12))}</text>"
            f'<rect class="bar p-{_text(bar.fill)}" x="{plot_x}" y="{_num(y + 5)}" width="{_num(length)}" '
            f'height="{row - 10}" fill="url(#{chart_id}-{_text(bar.fill)})" data-value="{bar.value}"/>'
            f'<text x="{_num(plot_x + length + 6)}" y="{_num(y + row / 2 + 4)}" class="value">'
            f"{_text(bar.value_text)}</text></g>"
        )
    parts.append(
        f'<line x1="{plot_x}" y1="{top_pad}" x2="{plot_x}" y2="{_num(top_pad + plot_height)}" class="axis"/>'
        f'<line x1="{plot_x}" y1="{_num(top_pad + plot_height)}" x2="{_num(plot_x + plot_width)}" '
        f'y2="{_num(top_pad + plot_height)}" class="axis"/>'
        f'<text x="{_num(plot_x + plot_width / 2)}" y="{_num(height - 6)}" text-anchor="middle" class="axis-label">'
        f"{_text(axis_label)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


# --- Gantt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GanttRow:
    """One scheduled means: its flights (inclusive date ranges) and their hover text."""

    key: str
    label: str
    fill: str
    flights: tuple[tuple[_dt.date, _dt.date], ...]
    flight_text: tuple[str, ...] = ()


@dataclass(frozen=True)
class GanttGroup:
    label: str
    rows: tuple[GanttRow, ...]


@dataclass(frozen=True)
class GanttMilestone:
    label: str
    day: _dt.date
    day_text: str


@dataclass(frozen=True)
class GanttLabels:
    title: str
    milestones: str
    today: str
    axis: str
    description: str = ""
    month_text: Callable[[_dt.date], str] = field(default=lambda day: day.strftime("%b"))


def gantt_chart(
    groups: Sequence[GanttGroup],
    milestones: Sequence[GanttMilestone],
    *,
    start: _dt.date,
    end: _dt.date,
    today: _dt.date | None,
    labels: GanttLabels,
    chart_id: str = "chart-gantt",
) -> str:
    """Rows grouped by P, bars from start to end, diamonds for milestones, a month grid."""
    label_width, right_pad, head, row, group_head, foot = 270, 16, 46, 20, 22, 38
    plot_x, plot_width = label_width, WIDTH - label_width - right_pad
    days = (end - start).days + 1

    def x_of(day: _dt.date) -> float:
        offset = min(max((day - start).days, 0), days)
        return plot_x + plot_width * offset / days

    # Lay out the rows first: the chart's height depends on them.
    layout: list[tuple[str, float, object]] = []
    y = head
    if milestones:
        layout.append(("group", y, labels.milestones))
        y += group_head
        for stone in milestones:
            layout.append(("milestone", y, stone))
            y += row
    for group in groups:
        if not group.rows:
            continue
        layout.append(("group", y, group.label))
        y += group_head
        for item in group.rows:
            layout.append(("row", y, item))
            y += row
    plot_bottom = y + 4
    height = plot_bottom + foot

    parts = _open_svg(chart_id, height, labels.title, labels.description, "gantt")
    parts.append(_fill_defs(chart_id, [r.fill for g in groups for r in g.rows]))

    # The month grid, labelled at the top under a row of years; with many
    # months, one label in `every` so that labels (about 34 px wide) never overlap.
    months = month_starts(start, end)
    every = max(1, math.ceil(34 * len(months) / plot_width))
    parts.append('<g class="months" aria-hidden="true">')
    for index, first in enumerate(months):
        following = months[index + 1] if index + 1 < len(months) else end + _dt.timedelta(days=1)
        left, right = x_of(first), x_of(following)
        if index % 2:
            parts.append(
                f'<rect class="month-band" x="{_num(left)}" y="{head - 4}" width="{_num(right - left)}" '
                f'height="{_num(plot_bottom - head + 4)}"/>'
            )
        parts.append(
            f'<line class="gridline" x1="{_num(left)}" y1="{head - 14}" x2="{_num(left)}" y2="{_num(plot_bottom)}"/>'
        )
        # A short first month (a period starting late in it) gets no label of its own.
        if index == 0 or first.month == 1:
            parts.append(f'<text class="tick year" x="{_num(left + 2)}" y="{head - 26}">{first.year}</text>')
        if index % every == 0 and right - left >= 20:
            centre = (left + right) / 2 if every == 1 else left + 2
            anchor = "middle" if every == 1 else "start"
            parts.append(
                f'<text class="tick" x="{_num(centre)}" y="{head - 10}" text-anchor="{anchor}">'
                f"{_text(_clip(labels.month_text(first), (right - left) * every))}</text>"
            )
    parts.append(
        f'<line class="gridline" x1="{_num(plot_x + plot_width)}" y1="{head - 14}" '
        f'x2="{_num(plot_x + plot_width)}" y2="{_num(plot_bottom)}"/></g>'
    )

    one_day = _dt.timedelta(days=1)
    for kind, top, item in layout:  # type: ignore[assignment]  # item is a label, a milestone or a row, by kind
        if kind == "group":
            parts.append(f'<text class="group" x="4" y="{_num(top + 15)}">{_text(item)}</text>')
        elif kind == "milestone":
            assert isinstance(item, GanttMilestone)
            cx, cy = x_of(item.day) + plot_width / days / 2, top + row / 2
            parts.append(
                f'<g class="milestone"><title>{_text(item.label)}: {_text(item.day_text)}</title>'
                f'<text class="label" x="14" y="{_num(cy + 4)}">{_text(_clip(item.label, label_width - 20))}</text>'
                f'<path class="diamond" d="M{_num(cx)},{_num(cy - 6)} l6,6 l-6,6 l-6,-6 z"/></g>'
            )
        else:
            assert isinstance(item, GanttRow)
            # One row per scheduled means, tens of thousands in a big plan: each text escaped once.
            label = _text(item.label)
            clipped = _clip(item.label, label_width - 20)
            fill = _text(item.fill)
            parts.append(
                f'<g class="gantt-row" data-key="{_text(item.key)}"><title>{label}</title>'
                f'<text class="label" x="14" y="{_num(top + row / 2 + 4)}">{label if clipped is item.label else _text(clipped)}</text>'
            )
            texts = item.flight_text or ("",) * len(item.flights)
            for (first, last), hover in zip(item.flights, texts, strict=False):
                left, right = x_of(first), x_of(last + one_day)
                parts.append(
                    f'<rect class="bar p-{fill}" x="{_num(left)}" y="{_num(top + 4)}" '
                    f'width="{_num(max(right - left, 2))}" height="{row - 8}" rx="2" '
                    f'fill="url(#{chart_id}-{fill})" data-start="{first}" data-end="{last}">'
                    f"<title>{label}: {_text(hover)}</title></rect>"
                )
            parts.append("</g>")

    if today is not None and start <= today <= end:
        tx = x_of(today)
        parts.append(
            f'<g class="today"><line x1="{_num(tx)}" y1="{head - 4}" x2="{_num(tx)}" y2="{_num(plot_bottom)}"/>'
            f'<text x="{_num(tx)}" y="{_num(plot_bottom + 14)}" text-anchor="middle">{_text(labels.today)}</text></g>'
        )
    parts.append(
        f'<text class="axis-label" x="{_num(plot_x + plot_width / 2)}" y="{_num(height - 4)}" text-anchor="middle">'
        f"{_text(labels.axis)}</text></svg>"
    )
    return "".join(parts)
