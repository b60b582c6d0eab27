"""Planned versus actual: the status rule at its boundaries, spend spreading, the examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import yaml

import mixplan
from mixplan.views.progress import (
    Span,
    elapsed_share,
    expected_value,
    planned_by_month,
    progress,
    status_of,
)

from ..conftest import EXAMPLES

D = Decimal


@pytest.mark.parametrize(
    ("metric", "actual", "status"),
    [
        ("signups", D("110"), "on_track"),  # the band's upper edge is still on track
        ("signups", D("110.01"), "ahead"),
        ("signups", D("90"), "on_track"),
        ("signups", D("89.99"), "behind"),
        ("cac", D("89.99"), "ahead"),  # lower is better for costs
        ("cac", D("90"), "on_track"),
        ("cac", D("110"), "on_track"),
        ("cac", D("110.01"), "behind"),
        ("bounce_rate", D("111"), "behind"),
        ("signups", None, "no_data"),
    ],
)
def test_status_band_edges(metric: str, actual: Decimal | None, status: str) -> None:
    assert status_of(metric, D(100), actual) == status


def test_status_with_a_negative_expected_value() -> None:
    # ROI may be negative: the band is 10 % of its size either way.
    assert status_of("roi", D("-0.5"), D("-0.45")) == "on_track"
    assert status_of("roi", D("-0.5"), D("-0.44")) == "ahead"
    assert status_of("roi", D("-0.5"), D("-0.56")) == "behind"
    assert status_of("roi", D(0), D(0)) == "on_track"


def test_elapsed_share_boundaries() -> None:
    span = Span(dt.date(2027, 2, 1), dt.date(2027, 9, 30))  # 242 days
    assert elapsed_share(span, None) is None
    assert elapsed_share(span, dt.date(2027, 1, 31)) == 0
    assert elapsed_share(span, dt.date(2027, 2, 1)) == D(1) / D(242)
    assert elapsed_share(span, dt.date(2027, 4, 30)) == D(89) / D(242)
    assert elapsed_share(span, dt.date(2027, 9, 30)) == 1
    assert elapsed_share(span, dt.date(2028, 1, 1)) == 1


def test_expected_value_counts_pro_rata_levels_from_baseline() -> None:
    half = D("0.5")
    assert expected_value("signups", D(2400), D(950), half) == D(1200)  # a count ignores its baseline
    assert expected_value("cac", D(210), D(340), half) == D(275)
    assert expected_value("cac", D(210), None, half) == D(210)
    assert expected_value("cac", D(210), D(340), None) is None


PLAN = """
mixplan: 1
plan: {title: T, client: C, language: en, currency: EUR, period: {start: 2027-01-01, end: 2027-04-30}}
positioning: {statement: S}
objectives:
  - {id: grow, statement: S, metric: signups, target: 120, deadline: 2027-04-30}
  - {id: cheap, statement: S, metric: cac, target: 50, baseline: 90, deadline: 2027-04-30}
targets: [{id: all, name: All}]
message: {promise: P}
budget: {total: 4000}
means:
  - {id: ads, name: Ads, channel: social_ads, approach: operational, objectives: [grow, cheap], targets: [all],
     cost: 1200, kpis: [{metric: signups, target: 60}],
     forecast: {spend: 1200, signups: 60, conversions: 60, new_customers: 20, revenue: 2400}}
  - {id: shop, name: Shop, channel: store, approach: operational, objectives: [grow], targets: [all], cost: 900,
     kpis: [{metric: signups, target: 30}]}
schedule:
  - {means: ads, start: 2027-01-01, end: 2027-02-28}
  - {means: ads, start: 2027-04-01, end: 2027-04-30}
results:
  - {means: ads, month: 2027-01, spend: 600, signups: 20, conversions: 20, new_customers: 8, revenue: 1000}
  - {means: ads, month: 2027-02, spend: 620, signups: 26, conversions: 25, new_customers: 9, revenue: 1300}
"""


def _plan(text: str = PLAN) -> mixplan.Plan:
    return mixplan.Plan.model_validate(yaml.safe_load(text))


def test_spend_is_spread_over_every_flight_and_sums_to_the_cost() -> None:
    spread = planned_by_month(_plan())
    ads = spread["ads"]
    assert set(ads) == {dt.date(2027, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 4, 1)}
    assert sum(ads.values()) == D(1200)
    # Whole euros, as the plan writes them: 417.98, 377.53 and 404.49 rounded so that they add up to 1200.
    assert list(ads.values()) == [D(418), D(378), D(404)]
    # An unscheduled means runs over the whole period.
    assert sum(spread["shop"].values()) == D(900) and len(spread["shop"]) == 4


def test_progress_of_a_small_plan() -> None:
    result = progress(_plan())
    assert result.as_of == dt.date(2027, 2, 28)
    ads = result.means[0]
    assert ads.spend.actual == D(1220)
    assert ads.spend.planned_to_date == D(418 + 378)
    # ads' KPI: 60 sign-ups over 1 Jan-30 Apr (its first start to last end), 59 of 120 days gone
    kpi = ads.kpis[0]
    assert kpi.expected == D(60) * 59 / 120 and kpi.actual == D(46) and kpi.status == "ahead"
    assert result.means[1].kpis[0].status == "no_data"  # shop has no results
    grow, cheap = result.objectives
    assert grow.kpi.actual == D(46) and grow.kpi.status == "behind"  # 120 × 59/120 = 59 expected
    assert cheap.kpi.actual == D(1220) / D(17)
    # A rate is expected at its target at any time (docs/format.md, "How an objective is measured").
    assert cheap.kpi.expected == D(50) and cheap.kpi.status == "worse"
    assert [m.means.id for m in result.behind] == []
    assert [g.key for g in result.by_p] == ["place", "promotion"]
    assert result.overall.spend.planned == D(2100)
    assert [m.actual for m in result.months] == [D(600), D(620), None, None]
    forecast = {f.metric: f for f in result.forecast}
    assert forecast["roi"].forecast == D(1) and forecast["cac"].forecast == D(60)
    # The forecast to date follows the spend: January and February's 418 + 378 of the 1200 (nothing in the March gap).
    assert forecast["conversions"].to_date == D(60) * 796 / 1200 and forecast["conversions"].actual == D(45)


def test_no_results_means_no_data_everywhere() -> None:
    text = PLAN.split("results:")[0]
    result = progress(_plan(text))
    assert result.as_of is None and not result.has_results
    assert {o.kpi.status for o in result.objectives} == {"no_data"}
    assert result.overall.spend.actual is None and result.overall.spend.planned_to_date == 0
    assert result.has_forecast and {f.status for f in result.forecast} == {"no_data"}
    assert [f.to_date for f in result.forecast] == [None, None, None]
    assert [f.forecast for f in result.forecast] == [D(60), D(1), D(60)]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_have_results_and_statuses(example) -> None:
    result = progress(mixplan.load_plan(example))
    assert result.has_results
    statuses = {o.kpi.status for o in result.objectives}
    assert "behind" in statuses and statuses - {"behind"}


def test_forecast_is_checked_like_a_results_row() -> None:
    bad = PLAN.replace("forecast: {spend: 1200,", "forecast: {month: 2027-01, spend: -5,")
    report = mixplan.validate(text=bad, name="plan.yaml")
    found = sorted((f.rule, f.message.split(":")[0]) for f in report.errors)
    assert [rule for rule, _ in found] == ["MP101", "MP102"], report.findings
    assert any("unknown key 'month'" in f.message for f in report.errors)
    assert mixplan.validate(text=PLAN, name="plan.yaml").ok


def test_planned_spend_follows_the_phasing() -> None:
    # An event deposit paid up front: the dashboard's plan must be the one the forecast and the budget table use.
    text = PLAN.replace(
        "kpis: [{metric: signups, target: 30}]}", "kpis: [{metric: signups, target: 30}], phasing: front}"
    )
    text = text.replace(
        "forecast: {spend: 1200,",
        "phasing: {2027-01: 900, 2027-02: 100, 2027-04: 200},\n     forecast: {spend: 1200,",
    )
    result = progress(_plan(text))
    ads, shop = result.means
    assert ads.spend.planned_to_date == D(1000)  # January and February of the written months, as of 28 February
    # front over shop's four months: weights 4, 3, 2, 1 of 900.
    assert [m.planned for m in result.months] == [D(900 + 360), D(100 + 270), D(180), D(200 + 90)]
    assert shop.spend.planned_to_date == D(360 + 270)
    assert result.overall.spend.planned_to_date == D(1000 + 630)
