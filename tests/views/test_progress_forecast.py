"""The dashboard's forecast against actual: the funnel forecast month by month and to date, worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml

import mixplan
from mixplan.views.progress import progress

D = Decimal

PLAN = """
mixplan: 1
plan: {title: T, client: C, language: en, currency: EUR, period: {start: 2027-01-01, end: 2027-03-31}}
positioning: {statement: S}
objectives:
  - {id: grow, statement: S, metric: new_customers, target: 12, deadline: 2027-03-31}
targets: [{id: all, name: All}]
message: {promise: P}
budget: {total: 2000}
assumptions:
  - {id: cpc, metric: cpc, value: 2.00, low: 1.60, high: 2.50, channel: sea}
  - {id: conv, metric: conversion_rate, value: 0.05, low: 0.04, high: 0.06}
  - {id: share, metric: new_customer_share, value: 0.5}
  - {id: basket, metric: average_order_value, value: 40}
means:
  - {id: search, name: Search, channel: sea, approach: operational, objectives: [grow], targets: [all],
     cost: 1000, phasing: {2027-01: 600, 2027-02: 400}}
  - {id: shop, name: Shop, channel: store, approach: operational, objectives: [grow], targets: [all], cost: 300}
schedule:
  - {means: search, start: 2027-01-01, end: 2027-02-28}
results:
  - {means: search, month: 2027-01, spend: 600, clicks: 280, conversions: 17, new_customers: 8, revenue: 700}
  - {means: shop, month: 2027-01, spend: 100, conversions: 50, new_customers: 20, revenue: 1500}
"""


def _progress(text: str = PLAN):
    return progress(mixplan.Plan.model_validate(yaml.safe_load(text)))


def test_each_means_forecast_to_date_and_by_month_against_its_results() -> None:
    result = _progress()
    assert result.as_of == dt.date(2027, 1, 31)
    search, shop = result.means
    checks = {c.metric: c for c in search.forecast}
    # January: 600 € at 2.00 a click (1.60 to 2.50) = 300 clicks (240 to 375), × 0.05 (0.04 to 0.06) = 15 conversions.
    conversions = checks["conversions"]
    assert (conversions.low, conversions.to_date, conversions.high) == (D("9.6"), D(15), D("22.5"))
    # The whole run adds February: 400 ÷ 2 = 200 clicks, 10 conversions.
    assert conversions.forecast == D(25)
    # 17 against 15: 2 more than forecast, over the 10 % band of 1.5.
    assert conversions.actual == D(17) and conversions.status == "ahead"
    # ROI to date: 15 conversions × 40 € = 600 € of revenue for 600 € spent, 0; actually 700 € for 600 €.
    roi = checks["roi"]
    assert roi.to_date == 0 and roi.actual == D(100) / D(600) and roi.status == "better"
    # CAC to date: 600 € ÷ 7.5 new customers = 80 € (53.33 to 125); actually 600 ÷ 8 = 75 €, inside the band of 8 €.
    cac = checks["cac"]
    assert cac.to_date == D(80) and cac.actual == D(75) and cac.status == "on_target"
    assert cac.low == D(600) / D("11.25") and cac.high == D(125)
    # Month by month: only the months with results, here January, with that month's forecast alone.
    [january] = search.forecast_months
    assert january.month == dt.date(2027, 1, 1)
    assert [(c.metric, c.forecast, c.actual, c.status) for c in january.checks] == [
        ("conversions", D(15), D(17), "ahead"),
        ("roi", D(0), D(100) / D(600), "better"),
        ("cac", D(80), D(75), "on_target"),
    ]
    # The shop forecasts nothing: no rate turns its spend into conversions.
    assert shop.forecast == [] and shop.forecast_months == []


def test_the_plan_forecast_counts_only_the_means_that_forecast_each_metric() -> None:
    result = _progress()
    plan = {c.metric: c for c in result.forecast}
    # The shop's 50 conversions are not compared with a forecast it does not make.
    assert plan["conversions"].to_date == D(15) and plan["conversions"].actual == D(17)
    assert plan["conversions"].status == "ahead"
    assert result.has_forecast


def test_before_any_result_the_forecast_is_shown_without_a_status() -> None:
    result = _progress(PLAN.split("results:")[0])
    assert result.as_of is None
    assert [(c.metric, c.forecast, c.to_date, c.status) for c in result.forecast] == [
        ("conversions", D(25), None, "no_data"),
        ("roi", D(0), None, "no_data"),
        ("cac", D(80), None, "no_data"),
    ]
    assert result.means[0].forecast_months == []


def test_a_month_outside_the_forecast_has_no_forecast_and_no_status() -> None:
    late = PLAN + "  - {means: search, month: 2027-03, spend: 50, conversions: 2, new_customers: 1, revenue: 80}\n"
    search = _progress(late).means[0]
    march = search.forecast_months[-1]
    assert march.month == dt.date(2027, 3, 1)
    assert {(c.forecast, c.status) for c in march.checks} == {(None, "no_data")}
    # To date, the months with results are compared: January's 15 (February reported nothing, March was not
    # forecast) against the 17 + 2 measured.
    conversions = search.forecast[0]
    assert conversions.to_date == D(15) and conversions.actual == D(19) and conversions.status == "ahead"


def test_a_plan_without_assumptions_funnel_or_forecast_has_no_forecast() -> None:
    bare = PLAN.replace(PLAN[PLAN.index("assumptions:") : PLAN.index("means:")], "")
    result = _progress(bare)
    assert result.forecast == [] and not result.has_forecast
    assert all(m.forecast == [] for m in result.means)


def test_the_plan_to_date_leaves_out_a_means_that_reports_nothing() -> None:
    # A second search means forecasts 15 conversions in January too, but has no results row: its whole run counts,
    # its month to date does not, or the plan would look behind for a report that is missing.
    twin = PLAN.replace(
        "schedule:",
        "  - {id: search-2, name: Search 2, channel: sea, approach: operational, objectives: [grow], targets: [all],\n"
        "     cost: 1000, phasing: {2027-01: 600, 2027-02: 400}}\nschedule:\n"
        "  - {means: search-2, start: 2027-01-01, end: 2027-02-28}",
    )
    conversions = _progress(twin).forecast[0]
    assert conversions.forecast == D(50) and conversions.to_date == D(15) and conversions.actual == D(17)
