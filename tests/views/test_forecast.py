"""The forecast before launch: the funnel's formulas, its bounds, the precedence of its inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml
from hypothesis import given
from hypothesis import strategies as st

import mixplan
from mixplan.plan import vocab
from mixplan.views import forecast as fc

D = Decimal
CENT = D("0.01")

PLAN = """
mixplan: 1
plan: {title: T, client: C, language: en, currency: EUR, period: {start: 2027-01-01, end: 2027-12-31}}
positioning: {statement: S}
objectives:
  - {id: grow, statement: Grow, metric: new_customers, target: 400, deadline: 2027-06-30, baseline: 0}
  - {id: cost, statement: Cheap, metric: cac, target: 50, deadline: 2027-12-31}
targets:
  - {id: all, name: Everyone}
message: {promise: P}
budget: {total: 5000}
assumptions:
  - {id: cpc-social, metric: cpc, value: 0.80, low: 0.60, high: 1.00, channel: social_ads, source: Meta benchmarks}
  - {id: cpc-any, metric: cpc, value: 2.50}
  - {id: conv, metric: conversion_rate, value: 0.02, low: 0.015, high: 0.03}
  - {id: new-share, metric: new_customer_share, value: 0.6}
  - {id: basket, metric: average_order_value, value: 45}
means:
  - {id: ads, name: Ads, channel: social_ads, approach: operational, objectives: [grow, cost], targets: [all],
     cost: 2000, phasing: front}
  - {id: search, name: Search, channel: sea, approach: operational, objectives: [grow], targets: [all], cost: 1000,
     funnel: {cpc: 1.25}}
  - {id: mail, name: Mail, channel: emailing, approach: direct, objectives: [grow], targets: [all], cost: 600,
     forecast: {clicks: 900, new_customers: 20}}
schedule:
  - {means: ads, start: 2027-02-01, end: 2027-05-31}
  - {means: search, start: 2027-03-01, end: 2027-08-31}
  - {means: mail, start: 2027-04-01, end: 2027-04-30}
"""


def _plan(text: str = PLAN) -> mixplan.Plan:
    return mixplan.Plan.model_validate(yaml.safe_load(text))


def test_a_forecast_computed_by_hand_matches_to_the_cent() -> None:
    result = fc.forecast(_plan())
    ads = result.means["ads"]
    # Front phasing over February to May: weights 4, 3, 2, 1 of 2000 → 800, 600, 400, 200.
    assert {m: r["spend"].base for m, r in ads.months.items()} == {
        dt.date(2027, 2, 1): D(800),
        dt.date(2027, 3, 1): D(600),
        dt.date(2027, 4, 1): D(400),
        dt.date(2027, 5, 1): D(200),
    }
    # February by hand: clicks 800 / 0.80 = 1000; conversions 1000 × 0.02 = 20; new customers 20 × 0.6 = 12;
    # revenue 20 × 45 = 900. Low: 800 / 1.00 × 0.015 = 12 conversions; high: 800 / 0.60 × 0.03 = 40.
    february = ads.months[dt.date(2027, 2, 1)]
    assert february["clicks"].base == D(1000)
    conversions = february["conversions"]
    assert (conversions.low, conversions.base, conversions.high.quantize(CENT)) == (D(12), D(20), D(40))
    assert february["new_customers"].base == D(12)
    assert february["revenue"].base.quantize(CENT) == D("900.00")
    # Whole run: 2000 / 0.80 × 0.02 = 50 conversions, 30 new customers, revenue 2250, ROI (2250 − 2000) / 2000
    # = 12.5 %, CAC 2000 / 30 = 66.67.
    assert ads.value("revenue").base.quantize(CENT) == D("2250.00")
    assert ads.value("roi").base == D("0.125")
    assert ads.value("cac").base.quantize(CENT) == D("66.67")
    assert ads.value("roas").base == D("1.125")
    # The cautious CAC: 2000 / (2000 / 1.00 × 0.015 × 0.6) = 111.11; the hopeful one 2000 / (2000 / 0.60 × 0.03 × 0.6)
    assert ads.value("cac").high.quantize(CENT) == D("111.11")
    assert ads.value("cac").low.quantize(CENT) == D("33.33")


def test_precedence_hand_typed_then_funnel_then_channel_then_plan_wide() -> None:
    result = fc.forecast(_plan())
    # The means' funnel (1.25) wins over the plan-wide cpc (2.50): 1000 / 1.25 = 800 clicks.
    search = result.means["search"]
    assert search.rates["cpc"].source == "funnel"
    assert search.value("clicks").base == D(800)
    # The channel's assumption wins over the plan-wide one.
    assert result.means["ads"].rates["cpc"].assumption == "cpc-social"
    # Hand-typed counts win over everything, and the later steps build on them: 900 × 0.02 = 18 conversions,
    # but the 20 new customers typed stay 20, and revenue follows the conversions: 18 × 45 = 810.
    mail = result.means["mail"]
    assert mail.value("clicks").base == D(900)
    assert mail.value("conversions").base == D(18)
    assert mail.value("new_customers") == fc.Range(D(20), D(20), D(20))
    assert mail.value("revenue").base == D(810)
    assert mail.rates["cpc"].assumption == "cpc-any"  # resolved, but the typed clicks replace its step
    assert result.used_assumptions == {"cpc-social", "cpc-any", "conv", "new-share", "basket"}


def test_an_objective_counts_the_months_of_its_window_and_its_serving_means() -> None:
    grow, cost = fc.forecast(_plan()).objectives
    # Window January to June: ads 30 (all four months), search March to June: 4 of 6 months of 800 clicks
    # × 0.02 × 0.6, mail 20.
    search_months = sum(
        (r["new_customers"].base for m, r in fc.forecast(_plan()).means["search"].months.items() if m.month <= 6),
        D(0),
    )
    assert grow.value is not None
    assert grow.value.base == D(30) + search_months + D(20)
    assert grow.reaching == ["ads", "search", "mail"]
    assert grow.short  # 400 asked
    # CAC is a rate over the means serving it (ads alone): spend over new customers, not an average.
    assert cost.value is not None and cost.value.base.quantize(CENT) == D("66.67")
    assert cost.short  # 50 asked, lower is better


def test_a_step_without_its_inputs_is_undefined_not_zero() -> None:
    rates = {"cpm": fc.Rate("cpm", fc.Range.exact(D(5)), "funnel")}
    row = fc.funnel_row(D(100), rates)
    assert row["impressions"].base == D(20000)
    assert "clicks" not in row and "conversions" not in row and "revenue" not in row
    assert fc.value("roi", [row]) is None
    assert fc.missing_for("new_customers", rates) == "an assumption for ctr"
    assert fc.missing_for("clicks", {}) == "an assumption for cpc, or for cpm and ctr"
    assert fc.missing_for("revenue", {"cpc": 1, "conversion_rate": 1}) == "an assumption for average_order_value"
    assert fc.missing_for("signups", {"cpc": 1}) == "a hand-typed forecast of signups"
    assert fc.missing_for("signups", {}, ["signups"]) is None
    assert fc.missing_for("cac", {"cpc": 1, "conversion_rate": 1, "new_customer_share": 1}) is None


def test_with_cpc_and_ctr_impressions_are_clicks_over_ctr() -> None:
    rates = {
        "cpc": fc.Rate("cpc", fc.Range(D(1), D(2), D(4)), "funnel"),
        "ctr": fc.Rate("ctr", fc.Range(D("0.01"), D("0.02"), D("0.04")), "funnel"),
    }
    row = fc.funnel_row(D(100), rates)
    assert row["clicks"] == fc.Range(D(25), D(50), D(100))
    # 25 / 0.04 to 100 / 0.01.
    assert row["impressions"] == fc.Range(D(625), D(2500), D(10000))


positive = st.decimals(min_value=D("0.001"), max_value=D(1000), places=3)
share = st.decimals(min_value=D("0.001"), max_value=D(1), places=3)


@st.composite
def ranges(draw, values=positive) -> fc.Range:
    points = sorted(draw(st.lists(values, min_size=3, max_size=3)))
    return fc.Range(*points)


@given(
    spend=st.decimals(min_value=0, max_value=D(10**7), places=2),
    chosen=st.dictionaries(st.sampled_from(vocab.FUNNEL_RATES), st.none(), max_size=len(vocab.FUNNEL_RATES)),
    data=st.data(),
)
def test_low_base_high_hold_at_every_step(spend: Decimal, chosen: dict, data) -> None:
    rates = {
        metric: fc.Rate(metric, data.draw(ranges(share if metric in vocab.RATES else positive)), "funnel")
        for metric in chosen
    }
    row = fc.funnel_row(spend, rates)
    for metric in vocab.METRICS:
        found = fc.value(metric, [row])
        if found is not None:
            assert found.low <= found.base <= found.high, (metric, found)


def test_the_budget_by_month_files_a_means_without_a_p_under_other_as_the_budget_does() -> None:
    # A means of channel `other` without `p:` (MP107) is counted under "other" by the mix view, so the month × P
    # budget must not file it under promotion: otherwise its columns no longer add up to the budget by P.
    from mixplan.views.mix import mix_view

    data = yaml.safe_load(PLAN)
    data["means"].append(
        {"id": "misc", "name": "Misc", "channel": "other", "approach": "direct", "objectives": ["grow"],
         "targets": ["all"], "cost": 300}
    )  # fmt: skip
    data["schedule"].append({"means": "misc", "start": "2027-04-01", "end": "2027-04-30"})
    plan = mixplan.Plan.model_validate(data)
    by_month = fc.forecast(plan).budget_by_month
    april = by_month[dt.date(2027, 4, 1)]
    assert april["other"] == D(300)
    columns = {p: sum((month.get(p, D(0)) for month in by_month.values()), D(0)) for p in (*vocab.PS, "other")}
    assert columns == {s.key: s.cost for s in mix_view(plan).by_p}
