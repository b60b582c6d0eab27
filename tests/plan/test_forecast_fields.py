"""The forecast's fields: assumptions, a means' funnel and phasing, refused in plain words when wrong."""

from __future__ import annotations

import pytest

import mixplan

PLAN = """mixplan: 1
plan: {title: T, client: C, language: en, currency: EUR, period: {start: 2027-01-01, end: 2027-12-31}}
positioning: {statement: S}
objectives:
  - {id: grow, statement: Grow, metric: signups, target: 100, deadline: 2027-12-31, baseline: 0}
targets:
  - {id: all, name: Everyone}
message: {promise: P}
budget: {total: 1000}
assumptions:
  - {id: conv, metric: conversion_rate, value: 0.02, low: 0.01, high: 0.03, source: GA4 2026}
means:
  - {id: ads, name: Ads, channel: social_ads, approach: operational, objectives: [grow], targets: [all], cost: 1000,
     forecast: {signups: 50}, funnel: {cpc: 0.8}, phasing: front}
schedule:
  - {means: ads, start: 2027-01-01, end: 2027-03-31}
"""


def test_the_forecast_fields_are_read() -> None:
    plan = mixplan.validate(text=PLAN).valid_plan
    assert plan.assumptions[0].source == "GA4 2026"
    assert plan.means[0].phasing == "front"
    assert str(plan.means[0].funnel["cpc"]) == "0.8"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "phasing: front",
            "phasing: middle",
            "means[0].phasing: phasing is even, front, back, or the amount of each month such as "
            "{2027-02: 1200, 2027-03: 800}; got middle",
        ),
        (
            "phasing: front",
            "phasing: {2027-13: 500}",
            "means[0].phasing: expected a month written YYYY-MM (like 2027-02), got 2027-13",
        ),
        (
            "phasing: front",
            "phasing: {2027-02: lots}",
            "means[0].phasing: the amount for 2027-02 must be a plain number from 0 up, got lots",
        ),
        (
            "low: 0.01",
            "low: 0.05",
            "assumptions[0]: assumption 'conv' gives low 0.05, value 0.02, high 0.03: low must be at most the value "
            "and high at least the value",
        ),
    ],
)
def test_a_wrong_forecast_field_is_explained(old: str, new: str, message: str) -> None:
    result = mixplan.validate(text=PLAN.replace(old, new))
    assert [(f.rule, f.message) for f in result.findings if f.severity == "error"] == [("MP102", message)]


def test_an_assumption_sets_a_rate_not_a_count() -> None:
    result = mixplan.validate(text=PLAN.replace("metric: conversion_rate", "metric: roi"))
    (finding,) = result.findings
    assert finding.rule == "MP102" and finding.message.startswith("assumptions[0].metric:")
    assert "cpc" in finding.message and "average_order_value" in finding.message
