"""The deliverable's layout, measured as a client meets it: on a phone, a tablet and a desktop, and on paper.

Screen: for every example (and a generated plan of 60 means) in every theme,
at 390, 768 and 1280 px, the page never scrolls sideways (wide tables and
charts scroll inside their own box) and no text is drawn under 9 px, SVG
chart text included (its font size times the chart's scale on screen).

Paper: each example prints through mixplan's own PDF step; pdftotext reads
back the page numbers and running footer on every page, the page count, and
how far down each page the text reaches, so that no page is left mostly
empty except the last page of a part (the cover, the strategy, the action
plan, the budget to the measures, the dashboard).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import statistics
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml

import mixplan
from mixplan.outputs.pdf import footer_template, html_to_pdf
from mixplan.present.labels import labels

from ..conftest import EXAMPLES, ROOT
from .test_browser import browser  # noqa: F401  (the module's Chromium, shared)

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

TODAY = dt.date(2027, 5, 10)
THEMES = ("classic", "modern", "ink")
WIDTHS = (390, 768, 1280)
SMALLEST_TEXT_PX = 9.0
# Pages of each example's PDF in the classic theme before the print stylesheet
# let sections flow (every section started a page, and the whole document was
# shrunk to fit the action plan's width).
PAGES_BEFORE = {"en-b2b-saas": 15, "fr-epicerie-fine": 14}
# The sections added to both examples since (customer journey, team): in that layout each
# would have started a page of its own.
SECTIONS_ADDED_SINCE = 2
# Pages the chapters of issue 19 added since: the plan at a glance, a page of its own, and the
# measurement, risks (with their matrix) and next steps at the end.
CHAPTER_PAGES = 2
# Pages issue 20 added since, printed at full size: the budget by month (its chart and table), the
# Forecast chapter (by action and by month, each in two tables, the objectives and the assumptions) and
# the dashboard's forecast against actual by action and by month.
FORECAST_PAGES = 8
# The page box of the built-in stylesheet: its top margin, and the bottom margin holding the footer.
TOP_MARGIN_PT = 14 / 25.4 * 72
BOTTOM_MARGIN_PT = 18 / 25.4 * 72


@pytest.fixture(scope="module")
def plans() -> dict[str, mixplan.Plan]:
    found = {example.stem: mixplan.load_plan(example) for example in EXAMPLES}
    found["plan-60"] = mixplan.Plan.model_validate(_with_long_names(yaml.safe_load(generate(60))))
    return found


def _with_long_names(data: dict) -> dict:
    """The generated plan, with some means named as long as agencies name them (up to three lines' worth)."""
    tails = (
        ", with a weekly report to the client and a review of the creative at mid-flight",
        " for the new range, in partnership with two regional retailers and their loyalty programme,"
        " supported by in-store tastings every Saturday",
    )
    for index, means in enumerate(data["means"]):
        if index % 5 == 0:
            means["name"] += tails[index % 2]
    return data


@pytest.fixture(scope="module")
def pages_on_screen(browser, plans, tmp_path_factory):  # noqa: F811
    """One open page per plan and theme, rendered once for the whole module."""
    folder = tmp_path_factory.mktemp("layout")
    opened: dict[tuple[str, str], object] = {}

    def page_for(name: str, theme: str):
        if (name, theme) not in opened:
            path = folder / f"{name}-{theme}.html"
            path.write_text(mixplan.render(plans[name], format="html", theme=theme, today=TODAY), encoding="utf-8")
            page = browser.new_page()
            page.goto(path.as_uri())
            opened[name, theme] = page
        return opened[name, theme]

    yield page_for
    for page in opened.values():
        page.close()


# The smallest text a reader sees, and where: every text node that is laid out, at its
# computed size, times the on-screen scale of the SVG it is drawn in.
SMALLEST_TEXT = """() => {
  let smallest = Infinity, where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || element.closest('title, desc, style')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    let size = parseFloat(getComputedStyle(element).fontSize);
    if (element instanceof SVGGraphicsElement) {
      const m = element.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    if (size < smallest) { smallest = size; where = element.tagName + ' "' + node.textContent.trim().slice(0, 30) + '"'; }
  }
  return [smallest, where];
}"""

ACTION_PLAN_OVERHANG = """() => {
  const main = document.querySelector('main');
  const inner = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  return document.querySelector('table.actions').getBoundingClientRect().right - inner;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", [*(e.stem for e in EXAMPLES), "plan-60"])
def test_no_sideways_scroll_and_no_tiny_text_at_any_width(pages_on_screen, name: str, theme: str) -> None:
    page = pages_on_screen(name, theme)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{width} px: the page is {scroll_width} px wide"
        smallest, where = page.evaluate(SMALLEST_TEXT)
        assert smallest >= SMALLEST_TEXT_PX, f"{width} px: text drawn at {smallest:.2f} px ({where})"
        # The tables that do not fit a phone scroll inside their own box, not the page.
        assert page.evaluate(
            "[...document.querySelectorAll('table')].every(t => t.parentElement.matches('.table-scroll'))"
        )
    # On a desktop the action plan, the deliverable's main table, fits the page without scrolling.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate(ACTION_PLAN_OVERHANG) <= 0.5


# Each table of the Forecast chapter: how far it is wider than the box it scrolls in.
FORECAST_TABLES_OVERFLOW = """() => [...document.querySelectorAll('#forecast-before-launch table')].map(
  t => t.scrollWidth - t.parentElement.clientWidth)"""


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_forecast_tables_are_read_without_scrolling_on_a_desktop(pages_on_screen, example: Path) -> None:
    page = pages_on_screen(example.stem, "classic")
    page.set_viewport_size({"width": 1280, "height": 900})
    overflows = page.evaluate(FORECAST_TABLES_OVERFLOW)
    # By action and by month, each in two tables, then the objectives and the assumptions.
    assert len(overflows) == 6
    assert max(overflows) <= 0, f"a Forecast table scrolls sideways at 1280 px: {overflows}"


# The new chapters' boxes against the page's column: the right edge each overhangs it by
# (a table's scrolling box included, not the table inside it), and the persona grid's columns.
CHAPTERS_FIT = """() => {
  const main = document.querySelector('main');
  const inner = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  const boxes = [...document.querySelectorAll('.personas, .persona, #journey, #journey .table-scroll, .chip, #team, #team .table-scroll')];
  const overhang = Math.max(...boxes.map(b => b.getBoundingClientRect().right - inner));
  const grid = document.querySelector('.personas');
  return [boxes.length, overhang, getComputedStyle(grid).gridTemplateColumns.split(' ').length];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_personas_journey_and_team_stay_in_the_page_at_any_width(pages_on_screen, example: Path) -> None:
    page = pages_on_screen(example.stem, "classic")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        count, overhang, grid_columns = page.evaluate(CHAPTERS_FIT)
        assert count > 20
        assert overhang <= 0.5, f"{width} px: a box of the new chapters runs {overhang:.1f} px past the page"
        # The persona cards reflow: one column on a phone, side by side on wider screens.
        assert (grid_columns == 1) if width < 500 else (grid_columns >= 2), (width, grid_columns)


# Every text of a chart as laid out on screen: its box, and for a Gantt the left edge of the plot.
CHART_TEXT_BOXES = """(id) => {
  const svg = document.getElementById(id);
  if (!svg) return null;
  const boxes = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom, t.getAttribute('class') || '', t.textContent];
  });
  const lines = [...svg.querySelectorAll('.months line')].map(l => l.getBoundingClientRect().left);
  return [boxes, lines.length ? Math.min(...lines) : null];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", [*(e.stem for e in EXAMPLES), "plan-60"])
def test_chart_texts_never_overlap_and_gantt_names_stay_in_their_column(pages_on_screen, name: str, theme: str) -> None:
    page = pages_on_screen(name, theme)
    page.set_viewport_size({"width": 1280, "height": 900})
    for chart in ("chart-gantt", "chart-by-p", "chart-by-channel", "chart-spend"):
        found = page.evaluate(CHART_TEXT_BOXES, chart)
        if found is None:
            continue
        boxes, plot_left = found
        assert boxes, chart
        # Sorted by left edge, each box is compared with those starting before it ends.
        boxes.sort()
        for index, (_, top, right, bottom, kind, text) in enumerate(boxes):
            for other in boxes[index + 1 :]:
                if other[0] >= right - 0.5:
                    break
                overlap = min(bottom, other[3]) - max(top, other[1])
                assert overlap <= 0.5, f"{chart}: {text!r} ({kind}) overlaps {other[5]!r} ({other[4]})"
        if chart == "chart-gantt":
            for _, _, right, _, kind, text in boxes:
                if kind == "label":
                    assert right <= plot_left, f"the name {text!r} runs into the plot"


def _word_boxes(pdf: Path) -> str:
    """pdftotext's XHTML of the PDF: every word with its box, in points."""
    return subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def _words_by_page(pdf: Path) -> list[tuple[float, float, list[tuple[float, str]]]]:
    """Each page's width and height, and its words' bottom edges and text, in points."""
    xml = _word_boxes(pdf)
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [
            (float(bottom), unescape(text))
            for bottom, text in re.findall(
                r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page.group(3)
            )
        ]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


@pytest.fixture(scope="module")
def printed(plans, tmp_path_factory) -> dict[str, Path]:
    """Each example printed once by mixplan's own PDF step (classic theme)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    from mixplan.outputs.pdf import find_browser

    if find_browser() is None:
        pytest.skip("no chromium installed")
    folder = tmp_path_factory.mktemp("printed")
    found = {}
    for example in EXAMPLES:
        pdf = folder / f"{example.stem}.pdf"
        pdf.write_bytes(html_to_pdf(mixplan.render(plans[example.stem], format="html", today=TODAY)))
        found[example.stem] = pdf
    return found


# The print stylesheet sets 9 pt text, whose words pdftotext boxes about 9.2 pt tall. Chromium shrinks the
# whole document when one table is wider than the page: the Forecast chapter's single table once printed
# every page at 71 % (words 6.6 pt tall).
SMALLEST_MEDIAN_WORD_PT = 8.5


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_printed_plan_is_not_shrunk_to_fit_a_wide_table(printed, example: Path) -> None:
    xml = _word_boxes(printed[example.stem])
    heights = [
        float(bottom) - float(top)
        for top, bottom in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', xml)
    ]
    assert len(heights) > 1000
    assert statistics.median(heights) >= SMALLEST_MEDIAN_WORD_PT, statistics.median(heights)


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_printed_plan_has_fewer_pages_each_numbered_with_a_running_footer(printed, plans, example: Path) -> None:
    plan = plans[example.stem]
    pages = _words_by_page(printed[example.stem])
    assert len(pages) < PAGES_BEFORE[example.stem] + SECTIONS_ADDED_SINCE + CHAPTER_PAGES + FORECAST_PAGES - 1, len(
        pages
    )
    of = {"en": "of", "fr": "sur"}[plan.plan.language]
    for number, (_, height, words) in enumerate(pages, start=1):
        footer = " ".join(text for bottom, text in words if bottom > height - BOTTOM_MARGIN_PT)
        assert f"Page {number} {of} {len(pages)}" in footer, (number, footer)
        assert plan.plan.client in footer and plan.plan.title in footer, (number, footer)


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_printed_page_is_less_than_a_quarter_full_but_the_last_of_a_part(printed, plans, example: Path) -> None:
    lab = labels(plans[example.stem].plan.language)
    # The headings that open a part on a new page (the contents follow the cover).
    part_openings = (
        lab["document"]["contents"],
        lab["sections"]["actions"],
        lab["sections"]["budget"],
        lab["dashboard"]["title"],
    )
    pages = _words_by_page(printed[example.stem])
    fills, firsts = [], []
    for width, height, words in pages:
        body = [(bottom, text) for bottom, text in words if bottom <= height - BOTTOM_MARGIN_PT]
        fills.append((max(bottom for bottom, _ in body) - TOP_MARGIN_PT) / (height - TOP_MARGIN_PT - BOTTOM_MARGIN_PT))
        firsts.append((width > height, " ".join(text for _, text in body[:8])))
    for index, fill in enumerate(fills[:-1]):
        landscape, _ = firsts[index]
        next_landscape, next_first = firsts[index + 1]
        last_of_part = landscape != next_landscape or next_first.startswith(part_openings)
        assert fill >= 0.25 or last_of_part, f"page {index + 1} is {fill:.0%} full; the next starts {next_first!r}"
    # The action plan has a landscape sheet of its own; every other page is portrait.
    assert [landscape for landscape, first in firsts].count(True) >= 1
    assert firsts[0][0] is False and firsts[-1][0] is False
    # The credit line ends the last page of the plan rather than filling one of its own.
    credit = lab["document"]["generated_by"]
    last_body = " ".join(text for bottom, text in pages[-1][2] if bottom <= pages[-1][1] - BOTTOM_MARGIN_PT)
    assert last_body.endswith(credit) and last_body != credit, last_body


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_plan_at_a_glance_is_the_one_page_after_the_cover(printed, plans, example: Path) -> None:
    lab = labels(plans[example.stem].plan.language)
    pages = _words_by_page(printed[example.stem])
    glance_words = lab["glance"]["title"].split()
    second = [text for _, _, words in pages[1:2] for _, text in words]
    assert second[: len(glance_words)] == glance_words
    # The whole glance is on that page: its last key date (the period's end) is there, and the contents open the next.
    ends = lab["glance"]["ends"].split()
    assert any(second[i : i + len(ends)] == ends for i in range(len(second))), second[-20:]
    third = [text for _, _, words in pages[2:3] for _, text in words]
    assert third[0] == lab["document"]["contents"]


# The risk matrix's width against its figure's, and its smallest text as drawn on screen.
RISK_MATRIX_BOX = """() => {
  const svg = document.getElementById('chart-risks');
  const figure = svg.closest('figure');
  const scale = Math.hypot(svg.getScreenCTM().a, svg.getScreenCTM().b);
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return [svg.getBoundingClientRect().width, figure.clientWidth, figure.scrollWidth, Math.min(...sizes)];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("name", [e.stem for e in EXAMPLES])
def test_the_risk_matrix_fits_its_column_without_scrolling_at_every_width(pages_on_screen, name: str) -> None:
    # Unlike the wide charts, the matrix is small enough to shrink to a phone and stay readable.
    page = pages_on_screen(name, "classic")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        svg_width, figure_width, scroll_width, smallest = page.evaluate(RISK_MATRIX_BOX)
        assert svg_width <= figure_width and scroll_width <= figure_width, (width, svg_width, figure_width)
        assert smallest >= SMALLEST_TEXT_PX, f"{width} px: matrix text drawn at {smallest:.2f} px"


def test_the_running_footer_shows_the_plans_text_as_written_never_as_markup() -> None:
    head = '<!DOCTYPE html><html lang="fr"><head><meta name="mixplan-running-footer" content="{}"></head><body>'
    hostile = "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Fils&quot; · <b>Plan</b>"
    footer = footer_template(head.format(hostile))
    assert "<img" not in footer and "onerror=alert(1)&gt;" in footer
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Fils&quot; · &lt;b&gt;Plan&lt;/b&gt;" in footer
    assert 'Page <span class="pageNumber"></span> sur <span class="totalPages"></span>' in footer


@pytest.mark.parametrize(
    ("lang", "page_of"),
    [
        ("en", 'Page <span class="pageNumber"></span> of'),
        ("en-GB", 'Page <span class="pageNumber"></span> of'),
        ("de", '<span class="pageNumber"></span> / <span class="totalPages"></span>'),
    ],
)
def test_the_page_number_follows_the_documents_language(lang: str, page_of: str) -> None:
    footer = footer_template(f'<html lang="{lang}"><head><title>t</title></head><body><p>x</p></body></html>')
    assert page_of in footer
    # A template that names no running footer still gets its page numbers, beside an empty text.
    assert 'text-overflow:ellipsis"></span>' in footer
