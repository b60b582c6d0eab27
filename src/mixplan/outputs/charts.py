"""Inline SVG charts of the HTML deliverable: budget bars, the Gantt, the monthly spend and budget, the risk matrix.

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


def _open_svg(
    chart_id: str, height: float, title: str, description: str, css_class: str, width: float = WIDTH
) -> list[str]:
    return [
        (
            f'<svg class="chart {css_class}" id="{chart_id}" '
            f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
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
    """A round tick step (1, 2 or 5 times a power of ten) giving at most `ticks` intervals.

    No 2.5: its ticks (2,500, 7,500) are the ones a reader must stop to add up.
    """
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    power = Decimal(10) ** (raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)):
        if power * factor >= raw:
            return power * factor
    return power * 10


@dataclass(frozen=True)
class ValueAxis:
    """A value axis from zero: its round step and its top, the first tick at or above the biggest value."""

    step: Decimal
    top: Decimal

    @property
    def ticks(self) -> list[Decimal]:
        return [self.step * n for n in range(int(self.top / self.step) + 1)]


def value_axis(biggest: Decimal, ticks: int = 4) -> ValueAxis:
    """The axis every chart of amounts uses, so that all of them step alike."""
    step = nice_step(biggest, ticks)
    return ValueAxis(step, step * max(1, (biggest / step).to_integral_value(rounding=ROUND_CEILING)))  # type: ignore[operator]  # int 1 or a Decimal: both multiply a Decimal


def _value_grid(
    axis: ValueAxis, tick_texts: Sequence[str], plot_x: float, plot_width: float, y_of: Callable[[Decimal], float]
) -> str:
    """The horizontal gridlines of a column chart, each with its tick text left of the plot."""
    lines = "".join(
        f'<line x1="{_num(plot_x)}" y1="{_num(y_of(value))}" x2="{_num(plot_x + plot_width)}" y2="{_num(y_of(value))}" '
        f'class="gridline"/><text x="{_num(plot_x - 6)}" y="{_num(y_of(value) + 4)}" text-anchor="end" '
        f'class="tick">{_text(text)}</text>'
        for value, text in zip(axis.ticks, tick_texts, strict=True)
    )
    return f'<g class="grid" aria-hidden="true">{lines}</g>'


def _legend(x: float, y: float, entries: Sequence[tuple[str, str]]) -> str:
    """Swatches in a row, each a 12 x 10 drawing at (0, 0) followed by its label."""
    parts = ['<g class="legend">']
    for swatch, label in entries:
        parts.append(
            f'<g transform="translate({_num(x)},{_num(y)})">{swatch}<text x="17" y="9.5">{_text(label)}</text></g>'
        )
        x += 17 + len(label) * GLYPH + 22
    parts.append("</g>")
    return "".join(parts)


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    axis_label: str,
    tick_text: Callable[[Decimal], str],
    colon: str = ":",
) -> str:
    """Horizontal bars on a common scale starting at zero, with a labelled value axis; nothing without bars."""
    if not bars:
        return ""
    label_width, value_width, top_pad, row, axis_room = 190, 170, 8, 26, 46
    plot_x, plot_width = label_width, WIDTH - label_width - value_width
    axis = value_axis(max((b.value for b in bars), default=Decimal(0)))
    scale = plot_width / float(axis.top)
    plot_height = row * len(bars)
    height = top_pad + plot_height + axis_room

    description = "; ".join(f"{b.label}{colon} {b.value_text}" for b in bars)
    parts = _open_svg(chart_id, height, title, description, "bar-chart")
    parts.append(_fill_defs(chart_id, [b.fill for b in bars]))

    parts.append('<g class="grid" aria-hidden="true">')
    for value in axis.ticks:
        x = plot_x + float(value) * scale
        parts.append(
            f'<line x1="{_num(x)}" y1="{top_pad}" x2="{_num(x)}" y2="{_num(top_pad + plot_height)}" class="gridline"/>'
            f'<text x="{_num(x)}" y="{_num(top_pad + plot_height + 16)}" text-anchor="middle" class="tick">'
            f"{_text(tick_text(value))}</text>"
        )
    parts.append("</g>")

    for index, bar in enumerate(bars):
        y = top_pad + index * row
        length = float(bar.value) * scale
        parts.append(
            f'<g class="bar-row" data-key="{_text(bar.key)}">'
            f"<title>{_text(bar.label)}{_text(colon)} {_text(bar.value_text)}</title>"
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
    """One scheduled means: its flights (inclusive date ranges, in order), their hover text and short dates."""

    key: str
    label: str
    fill: str
    flights: tuple[tuple[_dt.date, _dt.date], ...]
    flight_text: tuple[str, ...] = ()
    flight_dates: tuple[str, ...] = ()  # shown beside (or on) each bar: "4 Jan – 31 Mar"


@dataclass(frozen=True)
class GanttGroup:
    label: str
    rows: tuple[GanttRow, ...]


@dataclass(frozen=True)
class GanttMilestone:
    label: str
    day: _dt.date
    day_text: str
    # Written beside the diamond, as the bars' dates are: a printed page has no tooltip.
    short_day: str = ""


@dataclass(frozen=True)
class GanttLabels:
    title: str
    milestones: str
    today: str
    axis: str
    description: str = ""
    month_text: Callable[[_dt.date], str] = field(default=lambda day: day.strftime("%b"))
    colon: str = ":"  # between a name and its dates in a tooltip; French sets a narrow space before it


_LINE_GAP = 14  # from one line of a wrapped label to the next
_DATES_FONT = 11
_DATES_GLYPH = GLYPH * _DATES_FONT / FONT


@dataclass(frozen=True)
class GanttLine:
    """A line of the Gantt: a group's name, a milestone or a means' row, as it is placed."""

    top: float
    height: float
    item: str | GanttMilestone | GanttRow
    label: tuple[str, ...] = ()  # the name in one or two lines
    bar_top: float = 0
    dates_at: tuple[tuple[float, float] | None, ...] = ()  # where each flight's dates start (x, baseline)


@dataclass(frozen=True)
class GanttAxis:
    """The time axis: which day falls where across the plot."""

    start: _dt.date
    end: _dt.date
    plot_x: float = 270
    plot_width: float = WIDTH - 270 - 16

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def plot_right(self) -> float:
        return self.plot_x + self.plot_width

    def x_of(self, day: _dt.date) -> float:
        offset = min(max((day - self.start).days, 0), self.days)
        return self.plot_x + self.plot_width * offset / self.days

    def span(self, first: _dt.date, last: _dt.date) -> tuple[float, float]:
        """A flight's bar, from its first day's left edge to its last day's right edge, at least 2 wide."""
        left = self.x_of(first)
        return left, max(self.x_of(last + _ONE_DAY), left + 2)


@dataclass(frozen=True)
class GanttLayout:
    """Where everything of a Gantt goes: the time axis and each line, in drawing order."""

    axis: GanttAxis
    lines: tuple[GanttLine, ...]
    plot_bottom: float
    height: float
    head: float = 46


_GROUP_HEAD, _GANTT_FOOT, _ONE_LINE, _TWO_LINES, _BAR = 22, 38, 20, 34, 12
_ONE_DAY = _dt.timedelta(days=1)


def _wrap(text: str, room: float, most: int = 2) -> tuple[str, ...]:
    """`text` in at most `most` lines of `room` px, broken at spaces; "…" ends the last only if words are left over."""
    width = max(4, int(room / GLYPH))
    if len(text) <= width:
        return (text,)
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:  # a word longer than a line is broken where the line ends
            if line:
                lines.append(line)
            lines.append(word[:width])
            line, word = "", word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    if len(lines) > most:
        lines[most - 1 :] = [_clip(" ".join(lines[most - 1 :]), room)]
    return tuple(lines)


def _place_dates(
    axis: GanttAxis, flights: Sequence[tuple[_dt.date, _dt.date]], texts: Sequence[str]
) -> list[tuple[float, bool] | None]:
    """Where each flight's dates start, and whether under the bars rather than beside them.

    Beside the bar: after it, else before it, else on it, never over a
    neighbouring bar or its dates. Failing all three (flights close
    together), under the bar, where the row makes room for a second line.
    """
    bars = [axis.span(first, last) for first, last in flights]
    placed: list[tuple[float, bool] | None] = []
    taken = taken_under = axis.plot_x  # the right edge of what is already drawn on each line
    for index, ((left, right), text) in enumerate(zip(bars, texts, strict=False)):
        if not text:
            placed.append(None)
            continue
        width = len(text) * _DATES_GLYPH
        limit = bars[index + 1][0] if index + 1 < len(bars) else axis.plot_right
        if right + 4 + width <= limit - 2:
            x, under = right + 4, False
        elif left - 4 - width >= taken + 2:
            x, under = left - 4 - width, False
        elif right - left >= width + 8:
            x, under = (left + right - width) / 2, False
        else:
            x, under = min(max(left, taken_under + 8), axis.plot_right - width), True
            taken_under = x + width
        placed.append((x, under))
        taken = max(taken, right, taken if under else x + width)
    return placed


def gantt_layout(
    groups: Sequence[GanttGroup],
    milestones: Sequence[GanttMilestone],
    start: _dt.date,
    end: _dt.date,
    milestones_label: str,
) -> GanttLayout:
    """The milestones first, then each P's rows under its name; a row is as tall as its name's lines need."""
    axis = GanttAxis(start, end)
    room = axis.plot_x - 20
    lines: list[GanttLine] = []
    y: float = GanttLayout.head

    def add(
        item: str | GanttMilestone | GanttRow,
        label: tuple[str, ...] = (),
        dates: Sequence[tuple[float, bool] | None] = (),
    ) -> None:
        nonlocal y
        under = any(place is not None and place[1] for place in dates)
        height = _GROUP_HEAD if isinstance(item, str) else _TWO_LINES if len(label) > 1 or under else _ONE_LINE
        # Dates under the bars push the bar up to make room for them.
        bar_top = y + 5 if under else y + (height - _BAR) / 2
        placed = tuple(
            None if place is None else (place[0], bar_top + (_BAR + 11 if place[1] else _BAR - 2)) for place in dates
        )
        lines.append(GanttLine(y, height, item, label, bar_top, placed))
        y += height

    if milestones:
        add(milestones_label)
        for stone in milestones:
            add(stone, _wrap(stone.label, room))
    for group in groups:
        if not group.rows:
            continue
        add(group.label)
        for item in group.rows:
            add(item, _wrap(item.label, room), _place_dates(axis, item.flights, item.flight_dates))
    plot_bottom = y + 4
    return GanttLayout(axis, tuple(lines), plot_bottom, plot_bottom + _GANTT_FOOT)


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
    """Rows grouped by P, a bar per flight with its dates, diamonds for milestones, a month grid."""
    layout = gantt_layout(groups, milestones, start, end, labels.milestones)
    axis = layout.axis
    parts = _open_svg(chart_id, layout.height, labels.title, labels.description, "gantt")
    parts.append(_fill_defs(chart_id, [r.fill for g in groups for r in g.rows]))
    parts.extend(_month_grid(layout, labels.month_text))
    for line in layout.lines:
        if isinstance(line.item, GanttRow):
            parts.extend(_gantt_row(axis, line, line.item, chart_id, labels.colon))
        elif isinstance(line.item, GanttMilestone):
            parts.append(_gantt_milestone(axis, line, line.item, labels.colon))
        else:
            parts.append(f'<text class="group" x="4" y="{_num(line.top + 15)}">{_text(line.item)}</text>')
    if today is not None and start <= today <= end:
        tx = axis.x_of(today)
        parts.append(
            f'<g class="today"><line x1="{_num(tx)}" y1="{layout.head - 4}" x2="{_num(tx)}" '
            f'y2="{_num(layout.plot_bottom)}"/><text x="{_num(tx)}" y="{_num(layout.plot_bottom + 14)}" '
            f'text-anchor="middle">{_text(labels.today)}</text></g>'
        )
    parts.append(
        f'<text class="axis-label" x="{_num(axis.plot_x + axis.plot_width / 2)}" y="{_num(layout.height - 4)}" '
        f'text-anchor="middle">{_text(labels.axis)}</text></svg>'
    )
    return "".join(parts)


def _month_grid(layout: GanttLayout, month_text: Callable[[_dt.date], str]) -> list[str]:
    """The month grid, labelled at the top under a row of years.

    With many months, one label in `every`, so that labels (about 34 px wide) never overlap.
    """
    axis, head, plot_bottom = layout.axis, layout.head, layout.plot_bottom
    plot_right = axis.plot_right
    months = month_starts(axis.start, axis.end)
    every = max(1, math.ceil(34 * len(months) / axis.plot_width))
    parts = ['<g class="months" aria-hidden="true">']
    for index, first in enumerate(months):
        following = months[index + 1] if index + 1 < len(months) else axis.end + _ONE_DAY
        left, right = axis.x_of(first), axis.x_of(following)
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
                f"{_text(_clip(month_text(first), (right - left) * every))}</text>"
            )
    parts.append(
        f'<line class="gridline" x1="{_num(plot_right)}" y1="{head - 14}" '
        f'x2="{_num(plot_right)}" y2="{_num(plot_bottom)}"/></g>'
    )
    return parts


def _label(line: GanttLine, escaped_first: str | None = None) -> str:
    """A line's name at the left, its second line (if any) under the first."""
    first = escaped_first if escaped_first is not None else _text(line.label[0])
    y = line.top + line.height / 2 + 4 - (_LINE_GAP / 2 if len(line.label) > 1 else 0)
    more = "".join(f'<tspan x="14" dy="{_LINE_GAP}">{_text(text)}</tspan>' for text in line.label[1:])
    return f'<text class="label" x="14" y="{_num(y)}">{first}{more}</text>'


def _gantt_milestone(axis: GanttAxis, line: GanttLine, stone: GanttMilestone, colon: str) -> str:
    cx, cy = axis.x_of(stone.day) + axis.plot_width / axis.days / 2, line.top + line.height / 2
    day = ""
    if stone.short_day:
        # Right of the diamond, or left of it when the text would run past the plot.
        fits_right = cx + 10 + len(stone.short_day) * _DATES_GLYPH <= axis.plot_right
        x, anchor = (cx + 10, "") if fits_right else (cx - 10, ' text-anchor="end"')
        day = (
            f'<text class="dates" x="{_num(x)}" y="{_num(cy + 4)}"{anchor} font-size="{_DATES_FONT}">'
            f"{_text(stone.short_day)}</text>"
        )
    return (
        f'<g class="milestone"><title>{_text(stone.label)}{_text(colon)} {_text(stone.day_text)}</title>{_label(line)}'
        f'<path class="diamond" d="M{_num(cx)},{_num(cy - 6)} l6,6 l-6,6 l-6,-6 z"/>{day}</g>'
    )


def _gantt_row(axis: GanttAxis, line: GanttLine, item: GanttRow, chart_id: str, colon: str) -> list[str]:
    # One row per scheduled means, tens of thousands in a big plan: each text escaped once.
    label = _text(item.label)
    fill = _text(item.fill)
    bar_top = line.bar_top
    parts = [
        f'<g class="gantt-row" data-key="{_text(item.key)}"><title>{label}</title>'
        + _label(line, label if line.label[0] is item.label else None)
    ]
    hovers = item.flight_text or ("",) * len(item.flights)
    for (first, last), hover in zip(item.flights, hovers, strict=False):
        left, right = axis.span(first, last)
        parts.append(
            f'<rect class="bar p-{fill}" x="{_num(left)}" y="{_num(bar_top)}" '
            f'width="{_num(right - left)}" height="{_BAR}" rx="2" '
            f'fill="url(#{chart_id}-{fill})" data-start="{first}" data-end="{last}">'
            f"<title>{label}{_text(colon)} {_text(hover)}</title></rect>"
        )
    bars = [axis.span(first, last) for first, last in item.flights]
    for place, dates in zip(line.dates_at, item.flight_dates, strict=False):
        if place is not None:
            x, baseline = place
            width = len(dates) * _DATES_GLYPH
            # Dates written over a bar get a label of their own: the bar is thinner
            # than the text, and a halo alone leaves the bar's edges striking it through.
            anchor = ""
            if baseline < bar_top + _BAR and any(left < x + width and x < right for left, right in bars):
                parts.append(
                    f'<rect class="dates-label" x="{_num(x - 4)}" y="{_num(bar_top - 2)}" '
                    f'width="{_num(width + 8)}" height="{_BAR + 4}" rx="3"/>'
                )
                # Centred in its label, whatever the font's real widths.
                x, anchor = x + width / 2, ' text-anchor="middle"'
            parts.append(
                f'<text class="dates" x="{_num(x)}" y="{_num(baseline)}"{anchor} font-size="{_DATES_FONT}">'
                f"{_text(dates)}</text>"
            )
    parts.append("</g>")
    return parts


# --- monthly spend ----------------------------------------------------------------------


@dataclass(frozen=True)
class SpendMonth:
    """One month of the dashboard: planned and actual spend, and their texts."""

    label: str
    planned: Decimal
    planned_text: str
    actual: Decimal | None = None
    actual_text: str = ""
    variance_text: str = ""  # actual minus planned, shown when the month went over plan

    @property
    def over(self) -> bool:
        return self.actual is not None and self.actual > self.planned


@dataclass(frozen=True)
class SpendLabels:
    title: str
    planned: str
    actual: str
    over: str  # the legend's name for a month spent over plan
    over_by: str  # "{amount} over plan"
    colon: str = ":"


_SPEND_PLOT_HEIGHT = 180
_ACTUAL = "#1f4e79"
_OVER = "#a3300f"
_OVER_MARK = "\u25b2"


def spend_chart(
    months: Sequence[SpendMonth],
    *,
    labels: SpendLabels,
    tick_text: Callable[[Decimal], str],
    chart_id: str = "chart-spend",
) -> str:
    """Planned spend as outlined bars beside actual spend as solid bars, month by month.

    Outline against solid keeps the two apart in greyscale and on a
    black-and-white printer.
    """
    if not months:
        return ""
    axis = value_axis(max(max(m.planned, m.actual or Decimal(0)) for m in months))
    tick_texts = [tick_text(value) for value in axis.ticks]
    # The value axis takes the room its longest tick needs, no more.
    plot_x = max(48.0, max(len(t) for t in tick_texts) * GLYPH + 14)
    plot_top, plot_width, plot_height = 30, WIDTH - plot_x - 12, _SPEND_PLOT_HEIGHT
    base = plot_top + plot_height
    height = base + 30
    slot = plot_width / len(months)
    bar = slot * 0.34

    def y_of(value: Decimal) -> float:
        return base - plot_height * float(value / axis.top)

    def actual_words(month: SpendMonth) -> str:
        words = f"{labels.actual} {month.actual_text}"
        return f"{words} ({labels.over_by.format(amount=month.variance_text)})" if month.over else words

    description = "; ".join(
        f"{m.label}{labels.colon} {labels.planned} {m.planned_text}"
        + (f", {actual_words(m)}" if m.actual is not None else "")
        for m in months
    )
    any_over = any(m.over for m in months)
    parts = _open_svg(chart_id, height, labels.title, description, "spend-chart")
    if any_over:
        # Red with white hatching: apart from the solid actual bars in colour and in greyscale.
        parts.append(
            f'<defs><pattern id="{chart_id}-over" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{_OVER}"/>'
            '<path d="M0,0 V6" stroke="#fff" stroke-width="2.2"/></pattern></defs>'
        )
    parts.append(_value_grid(axis, tick_texts, plot_x, plot_width, y_of))
    # With many months, one label in `every`, so that labels never overlap.
    widest = max(len(m.label) for m in months) * GLYPH + 6
    every = max(1, math.ceil(widest / slot))
    for index, month in enumerate(months):
        left = plot_x + slot * index + (slot - 2 * bar) / 2
        planned_top = y_of(month.planned)
        parts.append(
            f'<g class="spend-month"><rect class="planned" x="{_num(left)}" y="{_num(planned_top)}" '
            f'width="{_num(bar)}" height="{_num(base - planned_top)}" fill="#ffffff" stroke="#1d232b" '
            f'stroke-width="1.2"><title>{_text(labels.planned)} {_text(month.planned_text)}</title></rect>'
        )
        if month.actual is not None:
            actual_top = y_of(month.actual)
            kind, fill = ("actual over", f"url(#{chart_id}-over)") if month.over else ("actual", _ACTUAL)
            parts.append(
                f'<rect class="{kind}" x="{_num(left + bar)}" y="{_num(actual_top)}" width="{_num(bar)}" '
                f'height="{_num(base - actual_top)}" fill="{fill}"><title>{_text(actual_words(month))}</title></rect>'
            )
            if month.over:
                parts.append(
                    f'<text class="over-mark" x="{_num(left + bar * 1.5)}" y="{_num(actual_top - 4)}" '
                    f'text-anchor="middle" aria-hidden="true">{_OVER_MARK}</text>'
                )
        if index % every == 0:
            parts.append(
                f'<text class="tick" x="{_num(left + bar)}" y="{_num(base + 16)}" text-anchor="middle">'
                f"{_text(month.label)}</text>"
            )
        parts.append("</g>")
    legend = [
        ('<rect width="12" height="10" fill="#ffffff" stroke="#1d232b" stroke-width="1.2"/>', labels.planned),
        (f'<rect width="12" height="10" fill="{_ACTUAL}"/>', labels.actual),
    ]
    if any_over:
        legend.append((f'<rect width="12" height="10" fill="url(#{chart_id}-over)"/>', f"{_OVER_MARK} {labels.over}"))
    parts.append(_legend(plot_x, 6, legend))
    parts.append(
        f'<line x1="{_num(plot_x)}" y1="{_num(base)}" x2="{_num(plot_x + plot_width)}" y2="{_num(base)}" '
        'class="axis"/></svg>'
    )
    return "".join(parts)


# --- budget by month -------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetMonthBar:
    """One month of the budget: what each P is planned to spend, and the texts to show."""

    label: str
    amounts: tuple[tuple[str, Decimal], ...]  # (P, amount), stacked in this order from the axis up
    total_text: str
    amount_texts: tuple[str, ...] = ()  # each amount formatted, in the order of `amounts`


def monthly_budget_chart(
    months: Sequence[BudgetMonthBar],
    *,
    title: str,
    legend: Sequence[tuple[str, str]],  # (P, its name), in stacking order
    tick_text: Callable[[Decimal], str],
    chart_id: str = "chart-budget-months",
    colon: str = ":",
) -> str:
    """Each month's planned budget as one bar, stacked by P, on a value axis from zero; nothing without months."""
    if not months:
        return ""
    axis = value_axis(max(sum((amount for _, amount in m.amounts), Decimal(0)) for m in months))
    tick_texts = [tick_text(value) for value in axis.ticks]
    plot_x = max(48.0, max(len(t) for t in tick_texts) * GLYPH + 14)
    plot_top, plot_width, plot_height = 30, WIDTH - plot_x - 12, _SPEND_PLOT_HEIGHT
    base = plot_top + plot_height
    slot = plot_width / len(months)
    bar = slot * 0.6

    def height_of(value: Decimal) -> float:
        return plot_height * float(value / axis.top)

    names = dict(legend)

    def described(month: BudgetMonthBar) -> str:
        split = [
            f"{names.get(p, p)} {text}"
            for (p, amount), text in zip(month.amounts, month.amount_texts, strict=False)
            if amount
        ]
        return f"{month.label}{colon} {month.total_text}" + (f" ({', '.join(split)})" if split else "")

    description = "; ".join(described(m) for m in months)
    parts = _open_svg(chart_id, base + 30, title, description, "budget-months-chart")
    parts.append(_fill_defs(chart_id, [p for p, _ in legend]))
    parts.append(_value_grid(axis, tick_texts, plot_x, plot_width, lambda value: base - height_of(value)))
    widest = max(len(m.label) for m in months) * GLYPH + 6
    every = max(1, math.ceil(widest / slot))
    for index, month in enumerate(months):
        left = plot_x + slot * index + (slot - bar) / 2
        parts.append(
            f'<g class="budget-month"><title>{_text(month.label)}{_text(colon)} {_text(month.total_text)}</title>'
        )
        top: float = base
        for p, amount in month.amounts:
            if not amount:
                continue
            size = height_of(amount)
            top -= size
            parts.append(
                # Not class "bar": the page's HTML bars (.bar) have a CSS height, which would override this one.
                f'<rect class="stack p-{_text(p)}" x="{_num(left)}" y="{_num(top)}" width="{_num(bar)}" '
                f'height="{_num(size)}" fill="url(#{chart_id}-{_text(p)})" stroke="#000" stroke-opacity=".35" '
                f'stroke-width=".6" data-value="{amount}"/>'
            )
        if index % every == 0:
            parts.append(
                f'<text class="tick" x="{_num(left + bar / 2)}" y="{_num(base + 16)}" text-anchor="middle">'
                f"{_text(month.label)}</text>"
            )
        parts.append("</g>")
    swatches = [(f'<rect width="12" height="10" fill="url(#{chart_id}-{_text(p)})"/>', name) for p, name in legend]
    parts.append(_legend(plot_x, 6, swatches))
    parts.append(
        f'<line x1="{_num(plot_x)}" y1="{_num(base)}" x2="{_num(plot_x + plot_width)}" y2="{_num(base)}" '
        'class="axis"/></svg>'
    )
    return "".join(parts)


# --- risk matrix ---------------------------------------------------------------------


@dataclass(frozen=True)
class RiskMark:
    """One risk placed in the matrix: its number in the risks table, and its levels (0 low, 1 medium, 2 high)."""

    number: str  # "R1"
    likelihood: int
    impact: int
    text: str  # the risk in words, for the marker's tooltip


@dataclass(frozen=True)
class RiskLabels:
    title: str
    description: str
    likelihood: str  # the horizontal axis's name
    impact: str  # the vertical axis's name
    likelihood_levels: tuple[str, str, str]  # low, medium, high
    impact_levels: tuple[str, str, str]
    colon: str = ":"


# Light to dark as likelihood and impact add up, so the cells still rank in greyscale;
# green to red on screen. Indexed by likelihood + impact (0 to 4).
_RISK_SHADES = ("#e6f0e1", "#f4e9bf", "#efcc98", "#df9172", "#bf4f3a")
_MATRIX_WIDTH = 440
_MATRIX_LEFT = 96  # the impact axis's name and level words
_MATRIX_CELL_HEIGHT = 80
_MARK_RADIUS = 14
_MARK_STEP = 33  # from one marker's centre to the next


def risk_matrix(risks: Sequence[RiskMark], *, labels: RiskLabels, chart_id: str = "chart-risks") -> str:
    """A 3 × 3 grid, likelihood across and impact up, each risk a numbered marker in its cell; nothing without risks.

    Narrower than the other charts, with no text under 12 px, so that it
    stays readable on a phone without scrolling.
    """
    if not risks:
        return ""
    top, cell_width = 8, (_MATRIX_WIDTH - _MATRIX_LEFT - 8) / 3
    grid_bottom = top + 3 * _MATRIX_CELL_HEIGHT
    height = grid_bottom + 48
    parts = _open_svg(chart_id, height, labels.title, labels.description, "risk-matrix", width=_MATRIX_WIDTH)
    cells: dict[tuple[int, int], list[RiskMark]] = {}
    for risk in risks:
        cells.setdefault((risk.likelihood, risk.impact), []).append(risk)
    per_row = max(1, int((cell_width - 8) // _MARK_STEP))
    room = per_row * 2  # two rows of markers fit a cell
    for impact in range(3):
        y = top + (2 - impact) * _MATRIX_CELL_HEIGHT  # high impact on top
        parts.append(
            f'<text class="level" x="{_MATRIX_LEFT - 8}" y="{_num(y + _MATRIX_CELL_HEIGHT / 2 + 4)}" '
            f'text-anchor="end">{_text(labels.impact_levels[impact])}</text>'
        )
        for likelihood in range(3):
            x = _MATRIX_LEFT + likelihood * cell_width
            score = likelihood + impact
            parts.append(
                f'<rect class="cell risk-{score}" x="{_num(x)}" y="{_num(y)}" width="{_num(cell_width)}" '
                f'height="{_MATRIX_CELL_HEIGHT}" style="fill: var(--risk-{score}, {_RISK_SHADES[score]})" '
                'stroke="#ffffff" stroke-width="2"/>'
            )
            marks = cells.get((likelihood, impact), [])
            shown = marks if len(marks) <= room else marks[: room - 1]
            spots: list[RiskMark | None] = [*shown, None] if len(shown) < len(marks) else list(shown)
            rows = 1 if len(spots) <= per_row else 2
            for index, mark in enumerate(spots):
                row, column = divmod(index, per_row)
                in_row = min(per_row, len(spots) - row * per_row)
                cx = x + cell_width / 2 + (column - (in_row - 1) / 2) * _MARK_STEP
                cy = y + _MATRIX_CELL_HEIGHT / 2 + (row - (rows - 1) / 2) * _MARK_STEP
                if mark is None:
                    hidden = marks[len(shown) :]
                    parts.append(
                        f'<g class="risk-more"><title>{_text(", ".join(m.number for m in hidden))}</title>'
                        f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_MARK_RADIUS}" fill="#ffffff" stroke="#1d232b" '
                        'stroke-width="1.2" stroke-dasharray="3 2"/>'
                        f'<text x="{_num(cx)}" y="{_num(cy + 4)}" text-anchor="middle">+{len(hidden)}</text></g>'
                    )
                    continue
                parts.append(
                    f'<g class="risk-mark" data-risk="{_text(mark.number)}"><title>{_text(mark.number)}{_text(labels.colon)} '
                    f"{_text(mark.text)}</title>"
                    f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_MARK_RADIUS}" fill="#ffffff" stroke="#1d232b" '
                    'stroke-width="1.2"/>'
                    f'<text x="{_num(cx)}" y="{_num(cy + 4)}" text-anchor="middle">{_text(mark.number)}</text></g>'
                )
    for likelihood in range(3):
        x = _MATRIX_LEFT + (likelihood + 0.5) * cell_width
        parts.append(
            f'<text class="level" x="{_num(x)}" y="{_num(grid_bottom + 18)}" text-anchor="middle">'
            f"{_text(labels.likelihood_levels[likelihood])}</text>"
        )
    parts.append(
        f'<text class="axis-name" x="{_num(_MATRIX_LEFT + 1.5 * cell_width)}" y="{_num(height - 8)}" '
        f'text-anchor="middle">{_text(labels.likelihood)} →</text>'
        f'<text class="axis-name" transform="translate(16,{_num(top + 1.5 * _MATRIX_CELL_HEIGHT)}) rotate(-90)" '
        f'text-anchor="middle">{_text(labels.impact)} →</text></svg>'
    )
    return "".join(parts)
