"""The SVG charts, read back as XML: bars follow costs, Gantt rows stay inside the period."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise

import pytest
import yaml

import mixplan
from mixplan.outputs import charts
from mixplan.views.mix import mix_view
from mixplan.views.progress import progress

from ..conftest import EXAMPLES

TODAY = dt.date(2027, 5, 10)
HOSTILE = "<script>alert('x')</script> & {{ 7*7 }} \"quoted\""


def _svg(html: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<svg class="chart[^"]*" id="{chart_id}".*?</svg>', html, re.DOTALL)
    assert match, f"no chart {chart_id}"
    return ET.fromstring(match.group(0))


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter("rect") if "bar" in rect.get("class", "").split()]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_one_bar_per_p_with_a_length_proportional_to_its_cost(example) -> None:
    plan = mixplan.load_plan(example)
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-by-p")
    bars = _bars(svg)
    costs = {s.key: s.cost for s in mix_view(plan).by_p if s.cost}
    assert [b.get("class").split()[1] for b in bars] == [f"p-{p}" for p in costs]
    widths = {b.get("class").split()[1][2:]: float(b.get("width")) for b in bars}
    biggest = max(costs, key=lambda p: costs[p])
    for p, cost in costs.items():
        expected = widths[biggest] * float(cost / costs[biggest])
        assert widths[p] == pytest.approx(expected, abs=0.15), p
    # The chart names itself for screen readers and labels its axis.
    assert svg.find("title").text and svg.get("role") == "img"
    assert (
        "(GBP)" in svg.find(".//text[@class='axis-label']").text
        or "(EUR)" in svg.find(".//text[@class='axis-label']").text
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_one_channel_bar_per_channel_in_cost_order(example) -> None:
    plan = mixplan.load_plan(example)
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-by-channel")
    rows = svg.findall(".//g[@class='bar-row']")
    assert [row.get("data-key") for row in rows] == [s.key for s in mix_view(plan).by_channel if s.cost]
    widths = [float(row.find("rect").get("width")) for row in rows]
    assert widths == sorted(widths, reverse=True)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_one_gantt_row_per_scheduled_means_inside_the_period(example) -> None:
    plan = mixplan.load_plan(example)
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-gantt")
    rows = svg.findall(".//g[@class='gantt-row']")
    assert sorted(row.get("data-key") for row in rows) == sorted({e.means for e in plan.scheduled})
    # The plot spans from the first month line to the last grid line.
    lines = [float(line.get("x1")) for line in svg.find(".//g[@class='months']").iter("line")]
    left, right = min(lines), max(lines)
    period = plan.plan.period
    days = (period.end - period.start).days + 1
    for row in rows:
        for bar in row.iter("rect"):
            if bar.get("class") == "dates-label":  # the white label behind dates written over a bar
                continue
            start, end = dt.date.fromisoformat(bar.get("data-start")), dt.date.fromisoformat(bar.get("data-end"))
            x, width = float(bar.get("x")), float(bar.get("width"))
            assert left - 0.05 <= x and x + width <= right + 0.05
            assert x == pytest.approx(left + (right - left) * (start - period.start).days / days, abs=0.1)
            assert x + width == pytest.approx(left + (right - left) * ((end - period.start).days + 1) / days, abs=0.1)
    assert len(svg.findall(".//path[@class='diamond']")) == len(plan.milestones)
    # Rows are grouped by P in the mix's order.
    groups = [text.text for text in svg.iter("text") if text.get("class") == "group"]
    assert groups[0] in ("Milestone", "Jalon")


def test_today_line_only_inside_the_period() -> None:
    plan = mixplan.load_plan(EXAMPLES[0])
    inside = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-gantt")
    assert inside.find(".//g[@class='today']") is not None
    before = plan.plan.period.start - dt.timedelta(days=1)
    outside = _svg(mixplan.render(plan, format="html", today=before), "chart-gantt")
    assert outside.find(".//g[@class='today']") is None


def test_charts_escape_user_text() -> None:
    bars = [charts.Bar("k", HOSTILE, Decimal(5), HOSTILE, "price")]
    svg = charts.bar_chart(bars, chart_id="c", title=HOSTILE, axis_label=HOSTILE, tick_text=str)
    assert "<script>" not in svg
    tree = ET.fromstring(svg)
    assert tree.find("title").text == HOSTILE
    row = charts.GanttRow("k", HOSTILE, "place", ((dt.date(2027, 1, 1), dt.date(2027, 1, 31)),), (HOSTILE,))
    gantt = charts.gantt_chart(
        [charts.GanttGroup(HOSTILE, (row,))],
        [charts.GanttMilestone(HOSTILE, dt.date(2027, 1, 15), HOSTILE, HOSTILE)],
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        today=None,
        labels=charts.GanttLabels(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE),
    )
    assert "<script>" not in gantt
    tree = ET.fromstring(gantt)
    assert tree.find(".//g[@class='gantt-row']/title").text == HOSTILE


def test_zero_cost_rows_are_left_out_of_the_budget_charts_but_not_the_tables(minimal_text) -> None:
    # A means that costs nothing in a channel of its own, and Product and Place with no means at all.
    text = minimal_text.replace(
        "schedule:",
        "  - {id: word, name: Word of mouth, channel: pr, approach: relational, objectives: [grow], "
        "targets: [locals], cost: 0}\nschedule:",
    )
    plan = mixplan.Plan.model_validate(yaml.safe_load(text))
    html = mixplan.render(plan, format="html", today=TODAY)
    by_p = [row.get("data-key") for row in _svg(html, "chart-by-p").findall(".//g[@class='bar-row']")]
    by_channel = [row.get("data-key") for row in _svg(html, "chart-by-channel").findall(".//g[@class='bar-row']")]
    assert by_p == ["price", "promotion"]
    assert by_channel == ["sea", "coupon"]
    assert "0 %" not in html.split('id="chart-by-p"')[1].split("</svg>")[0]
    # The tables still list every P and the free channel.
    assert html.count('<td class="strong"><span class="tag p-product">') == 1
    assert '<tr class="p-promotion"><td>Press relations</td>' in html


def test_a_plan_that_costs_nothing_draws_no_budget_chart(minimal_text) -> None:
    plan = mixplan.Plan.model_validate(
        yaml.safe_load(minimal_text.replace("cost: 500", "cost: 0").replace("cost: 350", "cost: 0"))
    )
    html = mixplan.render(plan, format="html", today=TODAY)
    assert 'id="chart-by-p"' not in html and 'id="chart-by-channel"' not in html
    assert "<figure" in html  # the Gantt still is


def test_a_zero_budget_draws_empty_bars() -> None:
    bars = [charts.Bar(p, p, Decimal(0), "—", p) for p in ("product", "price")]
    tree = ET.fromstring(charts.bar_chart(bars, chart_id="z", title="t", axis_label="a", tick_text=str))
    assert [float(b.get("width")) for b in _bars(tree)] == [0, 0]


@pytest.mark.parametrize(
    ("top", "step"),
    [
        (Decimal(50400), Decimal(20000)),
        (Decimal(18000), Decimal(5000)),
        (Decimal(9), Decimal(5)),
        (Decimal(5000), Decimal(2000)),
        (Decimal(0), Decimal(1)),
    ],
)
def test_nice_step(top, step) -> None:
    assert charts.nice_step(top) == step


def test_axis_steps_follow_1_2_5_and_end_at_most_four_steps_up() -> None:
    for top in (Decimal(n) * Decimal(10) ** k for n in range(1, 100) for k in (-2, 0, 3)):
        axis = charts.value_axis(top)
        assert axis.step.normalize().as_tuple().digits in ((1,), (2,), (5,)), top
        assert axis.top >= top and len(axis.ticks) <= 5, top
        assert axis.ticks[-1] == axis.top


def _tick_texts(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter("text") if t.get("class") == "tick"]


@pytest.mark.parametrize(
    ("example", "chart_id", "expected"),
    [
        # Ticks in the plan's currency, as the language writes whole amounts.
        ("fr-epicerie-fine", "chart-by-p", ["0\u00a0€", "5\u202f000\u00a0€", "10\u202f000\u00a0€"]),
        (
            "fr-epicerie-fine",
            "chart-spend",
            ["0\u00a0€", "1\u202f000\u00a0€", "2\u202f000\u00a0€", "3\u202f000\u00a0€"],
        ),
        ("en-b2b-saas", "chart-by-channel", ["£0", "£5,000", "£10,000", "£15,000", "£20,000"]),
        ("en-b2b-saas", "chart-spend", ["£0", "£10,000", "£20,000", "£30,000"]),
    ],
)
def test_axes_show_whole_amounts_in_the_plans_currency(example, chart_id, expected) -> None:
    plan = mixplan.load_plan(next(e for e in EXAMPLES if e.stem == example))
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), chart_id)
    assert _tick_texts(svg)[: len(expected)] == expected


def test_an_axis_of_small_amounts_shows_their_cents() -> None:
    from mixplan.outputs.deliverable import axis_money
    from mixplan.present.formatting import Formatter

    tick = axis_money(Formatter("en_US", "EUR"))
    assert [tick(Decimal(v)) for v in ("0", "0.5", "2", "2000")] == ["€0", "€0.50", "€2", "€2,000"]


def test_month_starts_cover_the_period() -> None:
    assert charts.month_starts(dt.date(2027, 11, 15), dt.date(2028, 2, 1)) == [
        dt.date(2027, 11, 15),
        dt.date(2027, 12, 1),
        dt.date(2028, 1, 1),
        dt.date(2028, 2, 1),
    ]


def test_long_periods_label_fewer_months() -> None:
    row = charts.GanttRow("k", "x", "product", ((dt.date(2027, 1, 1), dt.date(2028, 12, 31)),))
    svg = charts.gantt_chart(
        [charts.GanttGroup("P", (row,))],
        [],
        start=dt.date(2027, 1, 1),
        end=dt.date(2028, 12, 31),
        today=None,
        labels=charts.GanttLabels("t", "m", "today", "months"),
    )
    ticks = [float(t.get("x")) for t in ET.fromstring(svg).iter("text") if t.get("class") == "tick"]
    assert 4 <= len(ticks) < 24
    assert min(b - a for a, b in pairwise(ticks)) >= 34
    years = [t.text for t in ET.fromstring(svg).iter("text") if t.get("class") == "tick year"]
    assert years == ["2027", "2028"]


def _spend(months: list[tuple[int, int | None]]) -> ET.Element:
    rows = [
        charts.SpendMonth(
            label=f"M{n}",
            planned=Decimal(planned),
            planned_text=f"€{planned}",
            actual=None if actual is None else Decimal(actual),
            actual_text="" if actual is None else f"€{actual}",
            variance_text="" if actual is None else f"€{actual - planned}",
        )
        for n, (planned, actual) in enumerate(months, start=1)
    ]
    labels = charts.SpendLabels("Monthly spend", "Planned", "Actual", "Over plan", "{amount} over plan")
    return ET.fromstring(charts.spend_chart(rows, labels=labels, tick_text=str))


def test_a_month_spent_over_plan_is_marked_in_colour_texture_and_words() -> None:
    svg = _spend([(1000, 800), (1000, 1300), (1000, 1000), (1000, None)])
    actual = [r for r in svg.iter("rect") if "actual" in r.get("class", "").split()]
    assert [("over" in r.get("class").split()) for r in actual] == [False, True, False]
    within, over, equal = actual
    # A hatched fill of its own, so it reads apart from the solid bars in greyscale too.
    assert over.get("fill") == "url(#chart-spend-over)" and within.get("fill") == equal.get("fill") != over.get("fill")
    assert svg.find(".//pattern[@id='chart-spend-over']") is not None
    assert over.find("title").text == "Actual €1300 (€300 over plan)"
    assert within.find("title").text == "Actual €800"
    # A mark above the bar, explained by the legend.
    marks = [t for t in svg.iter("text") if t.get("class") == "over-mark"]
    assert len(marks) == 1 and marks[0].text == "▲"
    assert float(marks[0].get("y")) < float(over.get("y"))
    legend = [t.text for t in svg.find(".//g[@class='legend']").iter("text")]
    assert legend == ["Planned", "Actual", "▲ Over plan"]
    assert "M2: Planned €1000, Actual €1300 (€300 over plan)" in svg.find("desc").text


def test_no_overspend_no_mark_and_no_legend_entry() -> None:
    svg = _spend([(1000, 800), (1000, 1000)])
    assert not [r for r in svg.iter("rect") if "over" in r.get("class", "").split()]
    assert [t.text for t in svg.find(".//g[@class='legend']").iter("text")] == ["Planned", "Actual"]


@pytest.mark.parametrize(("example", "over"), [("fr-epicerie-fine", "févr. 27"), ("en-b2b-saas", None)])
def test_the_dashboards_spend_chart_marks_the_months_over_plan(example, over) -> None:
    plan = mixplan.load_plan(next(e for e in EXAMPLES if e.stem == example))
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-spend")
    marked = [
        g.find("text[@class='tick']").text for g in svg.iter("g") if g.find("rect[@class='actual over']") is not None
    ]
    over_months = [m for m in progress(plan).months if m.actual is not None and m.actual > m.planned]
    assert len(marked) == len(over_months)
    if over:
        assert over in marked


LONG_NAME = (
    "Soirées dégustation mensuelles avec un producteur invité, une planche offerte aux membres "
    "de la carte de fidélité et une remise de dix pour cent sur les coffrets du mois"
)


def _gantt(rows: list[charts.GanttRow], **labels) -> ET.Element:
    svg = charts.gantt_chart(
        [charts.GanttGroup("Produit", tuple(rows))],
        [],
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 12, 31),
        today=None,
        labels=charts.GanttLabels("t", "m", "today", "months", **labels),
    )
    return ET.fromstring(svg)


def _label_lines(row: ET.Element) -> list[str]:
    text = row.find("text[@class='label']")
    return [text.text, *(span.text for span in text.iter("tspan"))]


def test_a_long_means_name_wraps_to_two_lines_then_ends_in_an_ellipsis_with_the_whole_name_as_tooltip() -> None:
    name_of_40 = "Planches apéritives à emporter le soir"
    rows = [
        charts.GanttRow("short", name_of_40, "product", ((dt.date(2027, 3, 1), dt.date(2027, 12, 31)),)),
        charts.GanttRow("two", LONG_NAME[:70], "product", ((dt.date(2027, 3, 1), dt.date(2027, 12, 31)),)),
        charts.GanttRow("long", LONG_NAME, "product", ((dt.date(2027, 3, 1), dt.date(2027, 12, 31)),)),
    ]
    short, two, long = _gantt(rows).findall(".//g[@class='gantt-row']")
    # Once cut at about 35 characters: a name that fits a line is whole.
    assert _label_lines(short) == [name_of_40]
    assert " ".join(_label_lines(two)) == LONG_NAME[:70].rstrip() and len(_label_lines(two)) == 2
    lines = _label_lines(long)
    assert len(lines) == 2 and lines[1].endswith("…") and not lines[0].endswith("…")
    assert LONG_NAME.startswith(" ".join(lines)[:-1].rstrip())
    assert long.find("title").text == LONG_NAME
    # Every line fits the label column, and a two-line row is taller than a one-line row.
    assert all(len(line) * charts.GLYPH <= 250 for line in lines)
    assert (
        float(long.find("rect").get("y")) - float(two.find("rect").get("y"))
        > float(two.find("rect").get("y")) - float(short.find("rect").get("y")) - 1
    )


def test_a_word_longer_than_the_label_column_is_broken_not_spilled() -> None:
    word = "x" * 100
    row = charts.GanttRow("k", word, "product", ((dt.date(2027, 3, 1), dt.date(2027, 3, 31)),))
    lines = _label_lines(_gantt([row]).find(".//g[@class='gantt-row']"))
    assert len(lines) == 2 and all(len(line) * charts.GLYPH <= 250 for line in lines)


def test_each_flight_is_its_own_bar_with_its_dates_beside_it() -> None:
    flights = ((dt.date(2027, 1, 4), dt.date(2027, 3, 31)), (dt.date(2027, 9, 1), dt.date(2027, 10, 31)))
    row = charts.GanttRow(
        "k", "Emailing", "promotion", flights, ("a", "b"), ("4 janv. – 31 mars", "1er sept. – 31 oct.")
    )
    svg_row = _gantt([row]).find(".//g[@class='gantt-row']")
    bars = [rect for rect in svg_row.findall("rect") if rect.get("class") != "dates-label"]
    dates = svg_row.findall("text[@class='dates']")
    assert [(b.get("data-start"), b.get("data-end")) for b in bars] == [
        ("2027-01-04", "2027-03-31"),
        ("2027-09-01", "2027-10-31"),
    ]
    assert [d.text for d in dates] == ["4 janv. – 31 mars", "1er sept. – 31 oct."]
    # The first flight's dates start just after its bar and stop before the next one; the
    # second's, with no room beside its bar, go under it (the row grows to hold them).
    first_right = float(bars[0].get("x")) + float(bars[0].get("width"))
    assert float(dates[0].get("x")) == pytest.approx(first_right + 4, abs=0.1)
    assert float(dates[0].get("x")) + len(dates[0].text) * charts.GLYPH * 11 / 12 < float(bars[1].get("x"))
    bar_bottom = float(bars[1].get("y")) + float(bars[1].get("height"))
    assert float(dates[1].get("y")) - 9 > bar_bottom
    assert float(dates[1].get("x")) + len(dates[1].text) * charts.GLYPH * 11 / 12 <= 744


def test_dates_go_before_a_bar_that_ends_the_period_and_on_one_that_fills_it() -> None:
    late = charts.GanttRow(
        "late", "Late", "price", ((dt.date(2027, 9, 1), dt.date(2027, 12, 31)),), (), ("1 Sep – 31 Dec",)
    )
    whole = charts.GanttRow(
        "whole", "Whole", "price", ((dt.date(2027, 1, 1), dt.date(2027, 12, 31)),), (), ("1 Jan – 31 Dec",)
    )
    svg = _gantt([late, whole])
    for row in svg.findall(".//g[@class='gantt-row']"):
        bar, dates = row.find("rect"), row.find("text[@class='dates']")
        left, right = float(bar.get("x")), float(bar.get("x")) + float(bar.get("width"))
        x, width = float(dates.get("x")), len(dates.text) * charts.GLYPH * 11 / 12
        if row.get("data-key") == "late":
            assert x + width <= left
        else:
            assert left <= x and x + width <= right


@pytest.mark.parametrize(("language", "expected"), [("fr", "4 janv. – 1er mars"), ("en", "Jan 4 – Mar 1")])
def test_the_deliverables_gantt_shows_short_local_dates_on_each_flight(minimal_text, language, expected) -> None:
    text = minimal_text.replace("language: en", f"language: {language}").replace(
        "  - {means: promo, start: 2027-02-01, end: 2027-02-28}",
        "  - {means: promo, start: 2027-01-04, end: 2027-03-01}\n  - {means: promo, start: 2027-05-03, end: 2027-06-15}",
    )
    plan = mixplan.Plan.model_validate(yaml.safe_load(text))
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-gantt")
    promo = svg.find(".//g[@data-key='promo']")
    assert len([rect for rect in promo.findall("rect") if rect.get("class") != "dates-label"]) == 2
    assert [d.text for d in promo.findall("text[@class='dates']")][0] == expected


def test_dates_written_over_a_bar_sit_on_a_label_of_their_own() -> None:
    # A flight over the whole year leaves no room beside it: its dates go on the bar,
    # which is thinner than the text, so a label keeps the bar's edges off the letters.
    whole_year = charts.GanttRow(
        "k",
        "Carte de fidélité",
        "product",
        ((dt.date(2027, 1, 1), dt.date(2027, 12, 31)),),
        ("a",),
        ("1er janv. – 31 déc.",),
    )
    row = _gantt([whole_year]).find(".//g[@class='gantt-row']")
    (label,) = row.findall("rect[@class='dates-label']")
    (dates,) = row.findall("text[@class='dates']")
    assert dates.get("text-anchor") == "middle"
    middle = float(label.get("x")) + float(label.get("width")) / 2
    assert abs(float(dates.get("x")) - middle) <= 0.1  # coordinates are written to a tenth
    # Beside a short bar, no label: the dates stand on the page itself.
    spring = charts.GanttRow(
        "k", "Printemps", "product", ((dt.date(2027, 3, 1), dt.date(2027, 4, 30)),), ("a",), ("1er mars – 30 avr.",)
    )
    row = _gantt([spring]).find(".//g[@class='gantt-row']")
    assert row.findall("rect[@class='dates-label']") == []
    assert row.find("text[@class='dates']").get("text-anchor") is None


# --- the risk matrix -------------------------------------------------------------------

RISK_LABELS = charts.RiskLabels(
    title="Risks",
    description="R1 ...",
    likelihood="Likelihood",
    impact="Impact",
    likelihood_levels=("Low", "Medium", "High"),
    impact_levels=("Low", "Medium", "High"),
)


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


def test_each_risk_sits_in_the_cell_of_its_likelihood_and_impact() -> None:
    marks = [charts.RiskMark("R1", 0, 2, "a"), charts.RiskMark("R2", 2, 0, "b"), charts.RiskMark("R3", 1, 1, "c")]
    svg = ET.fromstring(charts.risk_matrix(marks, labels=RISK_LABELS))
    cells = {
        (rect.get("class").split()[1], float(rect.get("x")), float(rect.get("y"))): rect
        for rect in svg.iter("rect")
        if "cell" in rect.get("class", "")
    }
    assert len(cells) == 9
    column = sorted({x for _, x, _ in cells})
    row = sorted({y for _, _, y in cells}, reverse=True)  # the lowest impact at the bottom
    for group in svg.iter("g"):
        if group.get("class") != "risk-mark":
            continue
        mark = next(m for m in marks if m.number == group.get("data-risk"))
        circle = group.find("circle")
        x, y = float(circle.get("cx")), float(circle.get("cy"))
        assert column[mark.likelihood] < x < column[mark.likelihood] + 112
        assert row[mark.impact] < y < row[mark.impact] + 80
        assert group.find("text").text == mark.number


def test_the_cells_darken_as_the_risk_grows_so_the_matrix_reads_in_greyscale() -> None:
    assert [_luminance(c) for c in charts._RISK_SHADES] == sorted(
        (_luminance(c) for c in charts._RISK_SHADES), reverse=True
    )
    # A marker's number is dark on white, whatever the cell beneath it.
    svg = ET.fromstring(charts.risk_matrix([charts.RiskMark("R1", 2, 2, "x")], labels=RISK_LABELS))
    circle = next(svg.iter("circle"))
    assert (circle.get("fill"), circle.get("stroke")) == ("#ffffff", "#1d232b")


def test_a_crowded_cell_shows_what_fits_and_counts_the_rest() -> None:
    marks = [charts.RiskMark(f"R{n}", 2, 2, "x") for n in range(1, 13)]
    svg = ET.fromstring(charts.risk_matrix(marks, labels=RISK_LABELS))
    shown = [g.get("data-risk") for g in svg.iter("g") if g.get("class") == "risk-mark"]
    [more] = [g for g in svg.iter("g") if g.get("class") == "risk-more"]
    assert len(shown) + int(more.find("text").text.lstrip("+")) == 12
    assert more.find("title").text == ", ".join(f"R{n}" for n in range(len(shown) + 1, 13))
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter("circle")]
    assert all(abs(a[0] - b[0]) >= 28 or abs(a[1] - b[1]) >= 28 for a, b in pairwise(circles))


def test_the_matrix_escapes_plan_text_and_draws_nothing_without_risks() -> None:
    assert charts.risk_matrix([], labels=RISK_LABELS) == ""
    hostile = charts.RiskLabels(HOSTILE, HOSTILE, HOSTILE, HOSTILE, (HOSTILE,) * 3, (HOSTILE,) * 3)  # type: ignore[arg-type]
    svg = charts.risk_matrix([charts.RiskMark("R1", 0, 0, HOSTILE)], labels=hostile)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert any(HOSTILE in (element.text or "") for element in root.iter())


def test_the_example_risks_are_drawn_with_their_numbers_and_text_at_least_12_px() -> None:
    plan = mixplan.load_plan(next(e for e in EXAMPLES if e.stem == "fr-epicerie-fine"))
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-risks")
    numbers = [g.get("data-risk") for g in svg.iter("g") if g.get("class") == "risk-mark"]
    assert sorted(numbers) == sorted(f"R{n}" for n in range(1, len(plan.risks) + 1))
    assert svg.get("font-size") == "12"
    assert "Probabilité" in "".join(svg.itertext())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_each_milestone_shows_its_date_beside_its_diamond_on_paper_too(example) -> None:
    # A tooltip is lost in print: the date is written next to the diamond, inside the plot.
    plan = mixplan.load_plan(example)
    svg = _svg(mixplan.render(plan, format="html", today=TODAY), "chart-gantt")
    stones = svg.findall(".//g[@class='milestone']")
    assert len(stones) == len(plan.milestones) > 0
    width = float(svg.get("viewBox").split()[2])
    for stone in stones:
        dates = stone.find("text[@class='dates']")
        assert dates is not None and re.search(r"\d", dates.text), ET.tostring(stone)
        # The date named in the tooltip is the one written beside the diamond.
        assert dates.text.split()[0] in stone.find("title").text.rsplit(":", 1)[1]
        assert 0 < float(dates.get("x")) < width


def test_a_milestone_near_the_end_writes_its_date_to_the_left() -> None:
    late = charts.GanttMilestone("Launch", dt.date(2027, 3, 30), "30 March 2027", "30 Mar")
    gantt = charts.gantt_chart(
        [],
        [late],
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        today=None,
        labels=charts.GanttLabels("Gantt", "Milestones", "x", "y", "z"),
    )
    dates = ET.fromstring(gantt).find(".//g[@class='milestone']/text[@class='dates']")
    assert dates.text == "30 Mar" and dates.get("text-anchor") == "end"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_chart_tooltips_and_descriptions_put_the_colon_as_the_language_does(example, language: str) -> None:
    # French sets a narrow no-break space before a colon; English none. Every chart is drawn: the
    # budget by P, channel and month, the timeline, the risk matrix and the dashboard's spend.
    html = mixplan.render(mixplan.load_plan(example), format="html", language=language, today=dt.date(2027, 5, 10))
    texts = re.findall(r"<(?:title|desc)[^>]*>([^<]*)</(?:title|desc)>", html)
    with_colon = [text for text in texts if ":" in text]
    assert len(with_colon) > 30
    for text in with_colon:
        if language == "fr":
            assert not re.search(r"(?<!\u202f):", text), text
        else:
            assert not re.search(r"\s:", text), text
