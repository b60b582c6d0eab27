"""The deliverable's Forecast chapter, its budget by month and the glance's expected ROI and CAC (issue 20).

The plan is tests/assets/forecast.yaml; every expected figure is worked out
here from the formulas of docs/format.md, "Forecast before launch".
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import yaml

import mixplan
from mixplan.outputs.deliverable import view
from mixplan.views import chapters as views_chapters
from mixplan.views.forecast import Range

from ..conftest import ASSETS, EXAMPLES

D = Decimal
TODAY = dt.date(2027, 1, 15)
DATA: dict[str, Any] = yaml.safe_load((ASSETS / "forecast.yaml").read_text(encoding="utf-8"))
NNBSP = "\u202f"
DASH = f"{NNBSP}\u2013{NNBSP}"  # between the low and the high end of a range


def _plan(data: dict[str, Any] | None = None) -> mixplan.Plan:
    return mixplan.Plan.model_validate(copy.deepcopy(data or DATA))


def _render(fmt: str = "md", language: str = "en", data: dict[str, Any] | None = None) -> str:
    return mixplan.render(_plan(data), format=fmt, language=language, today=TODAY)


def _section(md: str, heading: str) -> str:
    start = md.index(f"\n{heading}\n")
    level = heading.split(" ", 1)[0]
    ends = [md.find(f"\n{'#' * n} ", start + 1) for n in range(1, len(level) + 1)]
    ends = [end for end in ends if end != -1]
    return md[start : min(ends) if ends else len(md)]


def _row(md: str, first_cell: str) -> list[str]:
    line = next(line for line in md.splitlines() if line.startswith(f"| {first_cell} |"))
    return [cell.strip() for cell in line.strip("|").split("|")][1:]


# --- hand-worked figures ----------------------------------------------------------------------

# Social ads: 2000 € phased `front` over February to May (weights 4, 3, 2, 1), cpc 0.80 (0.60 to 1.00) from the
# social_ads assumption, conversion rate 0.02 (0.015 to 0.03), new customer share 0.6, average order value 45.
ADS_CLICKS = Range(D(2000) / D("1.00"), D(2000) / D("0.80"), D(2000) / D("0.60"))
ADS_CONVERSIONS = Range(ADS_CLICKS.low * D("0.015"), ADS_CLICKS.base * D("0.02"), ADS_CLICKS.high * D("0.03"))
ADS_NEW = ADS_CONVERSIONS.scaled(D("0.6"))
ADS_REVENUE = ADS_CONVERSIONS.scaled(D(45))
# Search ads: 1000 € at its own cpc of 1.25 (no range), the same plan-wide rates.
SEARCH_CLICKS = D(1000) / D("1.25")
SEARCH_CONVERSIONS = Range(SEARCH_CLICKS * D("0.015"), SEARCH_CLICKS * D("0.02"), SEARCH_CLICKS * D("0.03"))
SEARCH_NEW = SEARCH_CONVERSIONS.scaled(D("0.6"))
SEARCH_REVENUE = SEARCH_CONVERSIONS.scaled(D(45))
# Spring discount: 600 €, new customers and revenue typed by hand.
PROMO_NEW, PROMO_REVENUE = D(20), D(1500)

SPEND = D(2000 + 1000 + 600)
NEW = Range(ADS_NEW.low + SEARCH_NEW.low + 20, ADS_NEW.base + SEARCH_NEW.base + 20, ADS_NEW.high + SEARCH_NEW.high + 20)
REVENUE = Range(
    ADS_REVENUE.low + SEARCH_REVENUE.low + 1500,
    ADS_REVENUE.base + SEARCH_REVENUE.base + 1500,
    ADS_REVENUE.high + SEARCH_REVENUE.high + 1500,
)


def test_the_hand_worked_figures_are_what_they_should_be() -> None:
    # The arithmetic above, written out: a check on the test itself (2000 ÷ 0.60 has no end, hence the rounding).
    assert (ADS_CLICKS.base, ADS_CONVERSIONS.base, ADS_NEW.base, ADS_REVENUE.base) == (2500, 50, 30, 2250)
    assert (ADS_CONVERSIONS.low, round(ADS_CONVERSIONS.high, 20)) == (30, 100)
    assert (SEARCH_CLICKS, SEARCH_CONVERSIONS.base, SEARCH_NEW.base, SEARCH_REVENUE.base) == (800, 16, D("9.6"), 720)
    assert (NEW.low, NEW.base, round(NEW.high, 20)) == (D("45.2"), D("59.6"), D("94.4"))
    assert REVENUE.base == 4470


def test_the_chapter_view_holds_the_hand_worked_figures() -> None:
    chapter = view(_plan(), "en").forecast
    assert chapter is not None
    ads, search, promo = chapter.means
    assert [line.means.id for line in chapter.means] == ["ads", "search", "promo"]
    assert ads.figures["clicks"] == ADS_CLICKS and ads.figures["revenue"] == ADS_REVENUE
    assert ads.figures["new_customers"] == ADS_NEW
    assert ads.figures["roi"].base == (D(2250) - 2000) / 2000 == D("0.125")
    assert ads.figures["cac"] == Range(D(2000) / ADS_NEW.high, D(2000) / 30, D(2000) / ADS_NEW.low)
    assert search.figures["new_customers"] == SEARCH_NEW and search.figures["revenue"] == SEARCH_REVENUE
    # The discount has no click forecast: undefined, never 0.
    assert promo.figures["clicks"] is None and promo.figures["conversions"] is None
    assert promo.figures["new_customers"] == Range.exact(PROMO_NEW)
    total = chapter.total.figures
    assert total["spend"] == Range.exact(SPEND)
    assert total["new_customers"] == NEW and total["revenue"] == REVENUE
    assert total["roi"].base == (REVENUE.base - SPEND) / SPEND
    assert total["cac"].base == SPEND / NEW.base
    # Only the figures some action forecasts are columns; impressions and leads have no rate here.
    assert chapter.figures == (
        "spend", "clicks", "conversions", "new_customers", "revenue", "roi", "roas", "cac"
    )  # fmt: skip


def test_up_to_eight_figures_make_one_table() -> None:
    chapter = view(_plan(), "en").forecast
    assert len(chapter.figures) == 8
    assert chapter.tables == (("all", chapter.figures),)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_past_eight_figures_the_tables_split_into_audience_and_results_each_opening_on_spend(example) -> None:
    chapter = view(mixplan.load_plan(example), "en").forecast
    assert len(chapter.figures) > 8
    (audience_key, audience), (results_key, results) = chapter.tables
    assert (audience_key, results_key) == ("audience", "results")
    assert audience[0] == results[0] == "spend"
    # Every figure in one of the two, in funnel order, what the actions bring in before what it turns into.
    assert audience + results[1:] == chapter.figures
    assert "new_customers" in results and "clicks" in audience and "revenue" not in audience


def test_nine_figures_split() -> None:
    chapter = view(_plan(), "en").forecast
    nine = (*chapter.figures, "leads")
    assert len(nine) == 9 and len(views_chapters.FORECAST_RESULTS) == 7
    tables = dataclasses.replace(chapter, figures=nine).tables
    assert tables == (
        ("audience", ("spend", "clicks", "leads")),
        ("results", ("spend", "conversions", "new_customers", "revenue", "roi", "roas", "cac")),
    )


def test_the_split_tables_are_headed_in_markdown_and_html() -> None:
    for language, audience, results in (
        ("en", "Audience and traffic", "Sales and return"),
        ("fr", "Audience et trafic", "Ventes et rentabilité"),
    ):
        plan = mixplan.load_plan(EXAMPLES[0])
        md = mixplan.render(plan, format="md", language=language, today=TODAY)
        html = mixplan.render(plan, format="html", language=language, today=TODAY)
        assert md.count(f"\n#### {audience}\n") == md.count(f"\n#### {results}\n") == 2
        assert html.count(f"<h4>{audience}</h4>") == html.count(f"<h4>{results}</h4>") == 2


def test_the_months_add_up_to_the_whole_plan() -> None:
    chapter = view(_plan(), "en").forecast
    assert [line.month for line in chapter.months] == [dt.date(2027, month, 1) for month in (2, 3, 4, 5)]
    # February: 800 € of social ads only, 800 ÷ 0.80 = 1000 clicks, 20 conversions, 12 new customers.
    february = chapter.months[0].figures
    assert february["spend"].base == 800 and february["clicks"].base == 1000
    assert february["new_customers"] == Range(D("7.2"), D(12), D(800) / D("0.60") * D("0.03") * D("0.6"))
    for figure in ("spend", "new_customers", "revenue"):
        summed = [line.figures[figure] for line in chapter.months]
        assert sum((r.base for r in summed), D(0)) == chapter.total.figures[figure].base


def test_the_markdown_chapter_shows_base_and_range_in_words_a_client_reads() -> None:
    md = _section(_render(), "## Forecast before launch")
    by_means = _section(md, "### By action")
    assert _row(by_means, "Social ads") == [
        "€2,000",
        f"2,500 (2,000{DASH}3,333)",
        f"50 (30{DASH}100)",
        f"30 (18{DASH}60)",
        f"€2,250 (€1,350{DASH}€4,500)",
        f"12.5% (-32.5%{DASH}125%)",
        f"1.12× (0.68×{DASH}2.25×)",
        f"€66.67 (€33.33{DASH}€111)",
    ]
    # Undefined is a dash, never 0; a hand-typed figure has no range.
    assert _row(by_means, "Spring discount") == ["€600", "—", "—", "20", "€1,500", "150%", "2.5×", "€30"]
    assert _row(by_means, "**Whole plan**")[:5] == [
        "**€3,600**",
        f"**3,300 (2,800{DASH}4,133)**",
        f"**66 (42{DASH}124)**",
        f"**60 (45{DASH}94)**",
        f"**€4,470 (€3,390{DASH}€7,080)**",
    ]
    by_month = _section(md, "### By month")
    assert _row(by_month, "February 2027")[:4] == [
        "€800",
        f"1,000 (800{DASH}1,333)",
        f"20 (12{DASH}40)",
        f"12 (7{DASH}24)",
    ]


def test_each_objective_is_told_reached_or_short_by_how_much() -> None:
    md = _section(_render(), "### Objectives against the forecast")
    # 100 new customers asked, 59.6 forecast: short by 40.4, shown whole as the counts are.
    assert _row(md, "O1") == ["Win new customers", "New customers", "100", f"60 (45{DASH}94)", "**Short by 40**"]
    # Only the social ads serve O2: 2000 ÷ 30 = 66.67 € per new customer against a ceiling of 80 €.
    assert _row(md, "O2")[3:] == [f"€66.67 (€33.33{DASH}€111)", "Reached"]
    outlooks = view(_plan(), "en").forecast.objectives
    assert [(o.verdict, o.gap) for o in outlooks] == [("short", D(100) - NEW.base), ("reached", None)]


def test_a_ceiling_missed_is_told_by_how_much_it_is_exceeded() -> None:
    data = copy.deepcopy(DATA)
    data["objectives"][1]["target"] = 50
    md = _section(_render(data=data), "### Objectives against the forecast")
    # 2000 ÷ 30 = 66.67 € against 50 €: 16.67 € too much.
    assert _row(md, "O2")[-1] == "**€16.67 above the target**"
    french = _section(_render(language="fr", data=data), "### Les objectifs face aux prévisions")
    assert _row(french, "O2")[-1] == "**16,67\u00a0€ au-dessus de l’objectif**"


def test_an_objective_its_actions_cannot_forecast_says_so() -> None:
    data = copy.deepcopy(DATA)
    data["objectives"].append(
        {"id": "list", "statement": "Grow the list", "metric": "leads", "target": 50, "deadline": "2027-06-30"}
    )
    data["means"][0]["objectives"].append("list")
    md = _section(_render(data=data), "### Objectives against the forecast")
    assert _row(md, "O3")[3:] == ["—", "Not forecast: no action serving it leads to this figure"]


def test_the_assumptions_are_listed_with_value_range_channel_and_source() -> None:
    md = _section(_render(), "### Assumptions")
    assert _row(md, "cpc-social") == [
        "Cost per click (CPC)",
        "€0.80",
        f"€0.60{DASH}€1",
        "Social media ads",
        "Meta benchmarks, 2026",
        "Social ads",
    ]
    assert _row(md, "basket") == [
        "Average order value", "€45", "—", "Every channel", "Shop sales 2026", "Social ads, Search ads, Spring discount"
    ]  # fmt: skip


def test_an_assumption_without_a_source_says_so() -> None:
    assert _row(_section(_render(), "### Assumptions"), "conv")[4] == "No source given"
    assert _row(_section(_render(language="fr"), "### Hypothèses"), "conv")[4] == "Source non indiquée"
    html = _render("html")
    row = re.search(r"<tr><td class=\"nowrap\">conv</td>.*?</tr>", html)[0]
    assert '<span class="muted">No source given</span>' in row


def test_an_assumption_no_action_takes_says_so() -> None:
    data = copy.deepcopy(DATA)
    data["assumptions"].append({"id": "cpm-tv", "metric": "cpm", "value": 9, "channel": "tv", "source": "Agency"})
    assert _row(_section(_render(data=data), "### Assumptions"), "cpm-tv")[-1] == "No action"


# --- the budget by month ----------------------------------------------------------------------


def _budget_by_month(md: str) -> tuple[list[str], list[list[str]]]:
    table = _section(md, "### Budget by month")
    lines = [line for line in table.splitlines() if line.startswith("|")]
    head = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return head, [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_the_budget_by_month_follows_the_phasing_and_adds_up_to_the_budget_section() -> None:
    md = _render()
    head, rows = _budget_by_month(md)
    assert head == ["Month", "Price", "Promotion", "Total"]
    assert rows == [
        # Social ads 800/600/400/200 (front), search ads 500 + 500 as written, the discount 600 in April.
        ["February 2027", "€0", "€800", "€800"],
        ["March 2027", "€0", "€1,100", "€1,100"],
        ["April 2027", "€600", "€900", "€1,500"],
        ["May 2027", "€0", "€200", "€200"],
        ["**Total**", "**€600**", "**€3,000**", "**€3,600**"],
    ]
    budget = _section(md, "## Budget")
    assert "| Actions | €3,600 |" in budget and "| Price promotion | Price | 1 | €600 |" in budget


@pytest.mark.parametrize("path", [ASSETS / "minimal.yaml", ASSETS / "forecast.yaml", *EXAMPLES], ids=lambda p: p.stem)
def test_the_budget_by_month_adds_up_exactly_to_the_budget_by_p(path) -> None:
    deliverable = view(mixplan.load_plan(path), "en")
    budget, mix = deliverable.monthly_budget, deliverable.mix
    assert budget.months
    for p in budget.ps:
        assert sum((row.by_p[p] for row in budget.months), D(0)) == budget.by_p[p] == mix.p(p).cost
    assert {s.key for s in mix.by_p if s.cost} == set(budget.ps)
    assert sum((row.total for row in budget.months), D(0)) == budget.total == mix.means_cost
    for row in budget.months:
        assert sum(row.by_p.values(), D(0)) == row.total


def test_the_budget_by_month_has_a_stacked_chart_in_html() -> None:
    html = _render("html")
    chart = re.search(r'<svg class="chart budget-months-chart".*?</svg>', html, re.DOTALL)[0]
    stacks = re.findall(r'<rect class="stack p-(\w+)"[^>]*data-value="([\d.]+)"', chart)
    assert stacks == [
        ("promotion", "800"),
        ("promotion", "1100"),
        ("price", "600"),
        ("promotion", "900"),
        ("promotion", "200"),
    ]
    assert "April 27: €1,500 (Price €600, Promotion €900)" in chart.replace("Apr 27", "April 27")


def test_a_plan_with_nothing_to_forecast_has_its_budget_by_month_and_no_forecast_chapter() -> None:
    md = mixplan.render(mixplan.load_plan(ASSETS / "minimal.yaml"), "md", today=TODAY)
    assert "### Budget by month" in md
    assert "Forecast before launch" not in md
    html = mixplan.render(mixplan.load_plan(ASSETS / "minimal.yaml"), "html", today=TODAY)
    assert 'id="forecast-before-launch"' not in html and 'href="#forecast-before-launch"' not in html
    assert 'id="chart-budget-months"' in html


# --- the glance, the contents, French, escaping -----------------------------------------------


def test_the_glance_expects_the_roi_and_cac_of_the_forecast_chapter() -> None:
    deliverable = view(_plan(), "en")
    total = deliverable.forecast.total.figures
    assert deliverable.glance.expected_roi == total["roi"].base == (REVENUE.base - SPEND) / SPEND
    assert deliverable.glance.expected_cac == total["cac"].base == SPEND / NEW.base
    md = _render()
    assert "- Expected return on investment (ROI): 24.2%" in md
    assert "- Expected customer acquisition cost (CAC): €60.40" in md
    assert _row(_section(md, "### By action"), "**Whole plan**")[5] == f"**24.2% (-5.8%{DASH}96.7%)**"


def test_the_glance_expects_nothing_without_a_forecast() -> None:
    glance = view(mixplan.load_plan(ASSETS / "minimal.yaml"), "en").glance
    assert glance.expected_roi is None and glance.expected_cac is None and not glance.has_forecast


def test_the_chapter_is_in_the_contents_and_its_anchor_leads_to_it() -> None:
    md = _render()
    assert "10. [Forecast before launch](#forecast-before-launch)" in md
    assert "\n## Forecast before launch\n" in md
    html = _render("html")
    assert '<a href="#forecast-before-launch">Forecast before launch</a>' in html
    assert '<section id="forecast-before-launch">' in html
    # After the KPIs, as the contents list it.
    assert html.index('id="kpis"') < html.index('id="forecast-before-launch"')


def test_the_french_chapter_speaks_french_with_french_typography() -> None:
    md = _render(language="fr")
    assert "[Prévisions avant lancement](#prévisions-avant-lancement)" in md
    assert "### Budget par mois" in md
    assert (
        _row(_section(md, "### Par action"), "Social ads")[4]
        == f"2\u202f250\u00a0€ (1\u202f350\u00a0€{DASH}4\u202f500\u00a0€)"
    )
    assert _row(_section(md, "### Les objectifs face aux prévisions"), "O1")[-1] == "**Il manque 40**"
    assert "- Retour sur investissement attendu (ROI)\u202f: 24,2\u00a0%" in md
    assert _row(_section(md, "### Hypothèses"), "conv")[3:5] == ["Tous les canaux", "Source non indiquée"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_total_is_worked_out_before_rounding_and_the_chapter_says_so(example) -> None:
    plan = mixplan.load_plan(example)
    chapter = view(plan, "en").forecast
    # Summing the rounded lines is not the total: each line is rounded on its own.
    drift = [
        figure
        for figure in ("conversions", "new_customers", "clicks")
        if chapter.total.figures[figure] is not None
        and sum(round(line.figures[figure].base) for line in chapter.means if line.figures[figure] is not None)
        != round(chapter.total.figures[figure].base)
    ]
    md = mixplan.render(plan, format="md", language="en", today=TODAY)
    assert "Figures are rounded only for display, after totals and ratios are worked out" in md
    french = mixplan.render(plan, format="md", language="fr", today=TODAY)
    assert "Les chiffres ne sont arrondis qu’à l’affichage" in french
    # The examples show the case the sentence is there for.
    if example.stem == "fr-epicerie-fine":
        assert "conversions" in drift


def test_an_objectives_own_forecast_and_the_glances_whole_plan_figure_are_told_apart() -> None:
    plan = mixplan.load_plan(next(example for example in EXAMPLES if example.stem == "en-b2b-saas"))
    deliverable = view(plan, "en")
    cac = next(o for o in deliverable.forecast.objectives if o.objective.metric == "cac")
    # O3's CAC counts its own actions up to its own deadline; the glance's, the whole plan: they differ.
    assert cac.value.base.quantize(D("0.01")) != deliverable.glance.expected_cac.quantize(D("0.01"))
    md = mixplan.render(plan, format="md", language="en", today=TODAY)
    objectives = _section(md, "### Objectives against the forecast")
    assert "Each objective is forecast over its own period, up to its deadline, from the actions that serve it" in (
        objectives
    )
    assert "cover the whole plan" in objectives
    french = _section(
        mixplan.render(plan, format="md", language="fr", today=TODAY), "### Les objectifs face aux prévisions"
    )
    assert "Chaque objectif est prévu sur sa propre période" in french


HOSTILE = "<script>alert(1)</script> | **bold** [x](javascript:alert(1))"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_plan_text_in_the_chapter_is_shown_never_obeyed(fmt: str) -> None:
    data = copy.deepcopy(DATA)
    data["means"][0]["name"] = HOSTILE
    data["assumptions"][0]["source"] = HOSTILE
    data["objectives"][0]["statement"] = HOSTILE
    text = _render(fmt, data=data)
    assert "<script>" not in text
    if fmt == "md":
        chapter = _section(text, "## Forecast before launch")
        assert "**bold**" not in chapter and "[x](javascript" not in chapter
        # No table row gains a cell from the text's `|`: the action's row keeps its 9 cells.
        row = next(line for line in chapter.splitlines() if "alert(1)" in line and "€2,000" in line)
        assert len(re.findall(r"(?<!\\)\|", row)) == 10
    else:
        chapter = re.search(r'<section id="forecast-before-launch">.*?</section>', text, re.DOTALL)[0]
        assert chapter.count("&lt;script&gt;") >= 4


def test_the_stacked_chart_draws_each_p_in_proportion_and_nothing_without_months() -> None:
    from mixplan.outputs import charts

    assert charts.monthly_budget_chart([], title="t", legend=[], tick_text=str) == ""
    bars = [
        charts.BudgetMonthBar("Jan", (("price", D(100)), ("promotion", D(300))), "400"),
        charts.BudgetMonthBar("Feb", (("price", D(0)), ("promotion", D(200))), "200"),
    ]
    svg = charts.monthly_budget_chart(
        bars, title="t", legend=[("price", "Price"), ("promotion", "Promotion")], tick_text=str
    )
    heights = {
        value: float(height)
        for height, value in re.findall(r'<rect class="stack[^"]*"[^>]*height="([\d.]+)"[^>]*data-value="(\d+)"', svg)
    }
    # A month with nothing for a P draws no empty slice for it.
    assert sorted(heights) == ["100", "200", "300"]
    assert heights["300"] == pytest.approx(3 * heights["100"]) and heights["200"] == pytest.approx(2 * heights["100"])


def test_a_render_works_the_forecast_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The funnel of every means is the costliest view of a big plan: the chapter and the dashboard share it.
    import mixplan.outputs.deliverable as deliverable
    from mixplan.views import forecast as forecasting

    worked_out: list[object] = []
    real = forecasting.forecast

    def counted(plan: object) -> object:
        worked_out.append(plan)
        return real(plan)

    monkeypatch.setattr(forecasting, "forecast", counted)
    monkeypatch.setattr(deliverable, "forecast", counted)
    plan = mixplan.load_plan(EXAMPLES[0])
    assert plan.results, "the example's dashboard compares the forecast with results"
    mixplan.render(plan, "html")
    assert len(worked_out) == 1
