"""Every computed metric against hand-computed values, zero and missing denominators included."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixplan.plan import vocab
from mixplan.views import metrics

ROW = {
    "spend": Decimal(1150),
    "revenue": Decimal(1890),
    "impressions": 98000,
    "reach": 40000,
    "clicks": 1320,
    "sessions": 1200,
    "bounces": 480,
    "engagements": 2000,
    "leads": 50,
    "conversions": 41,
    "new_customers": 23,
}


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("roi", Decimal(740) / Decimal(1150)),
        ("roas", Decimal(1890) / Decimal(1150)),
        ("cac", Decimal(50)),
        ("cpl", Decimal(23)),
        ("cpc", Decimal(1150) / Decimal(1320)),
        ("cpm", Decimal(1150000) / Decimal(98000)),
        ("ctr", Decimal(1320) / Decimal(98000)),
        ("conversion_rate", Decimal(41) / Decimal(1200)),
        ("bounce_rate", Decimal("0.4")),
        ("engagement_rate", Decimal("0.05")),
        ("clicks", Decimal(1320)),
        ("spend", Decimal(1150)),
    ],
)
def test_formula_matches_hand_computed_value(metric: str, expected: Decimal) -> None:
    value = metrics.compute(metric, ROW)
    assert isinstance(value, Decimal)
    assert value == expected


def test_fallback_denominators() -> None:
    assert metrics.compute("conversion_rate", {"conversions": 10, "clicks": 200}) == Decimal("0.05")
    assert metrics.compute("engagement_rate", {"engagements": 30, "impressions": 1000}) == Decimal("0.03")
    # sessions win over clicks, reach over impressions
    assert metrics.compute("conversion_rate", {"conversions": 10, "clicks": 200, "sessions": 100}) == Decimal("0.1")
    assert metrics.compute("engagement_rate", {"engagements": 30, "impressions": 1000, "reach": 300}) == Decimal("0.1")


@pytest.mark.parametrize(
    ("metric", "counts"),
    [
        ("roi", {"spend": 0, "revenue": 100}),
        ("roas", {"spend": 0, "revenue": 100}),
        ("cac", {"spend": 500, "new_customers": 0}),
        ("cpl", {"spend": 500, "leads": 0}),
        ("cpc", {"spend": 500, "clicks": 0}),
        ("cpm", {"spend": 500, "impressions": 0}),
        ("ctr", {"clicks": 0, "impressions": 0}),
        ("conversion_rate", {"conversions": 3, "sessions": 0}),
        ("bounce_rate", {"bounces": 0, "sessions": 0}),
        ("engagement_rate", {"engagements": 5, "reach": 0}),
    ],
)
def test_zero_denominator_is_undefined_not_zero(metric: str, counts: dict) -> None:
    assert metrics.compute(metric, counts) is None


@pytest.mark.parametrize("metric", vocab.COMPUTED_METRICS)
def test_missing_count_is_undefined(metric: str) -> None:
    assert metrics.compute(metric, {}) is None
    assert metrics.total(metric, [{}, {"sales": 3}]) is None


def test_roi_needs_both_revenue_and_spend() -> None:
    assert metrics.compute("roi", {"spend": 100}) is None
    assert metrics.compute("roi", {"revenue": 100}) is None


def test_totals_are_ratios_of_sums_over_complete_rows() -> None:
    rows = [
        {"clicks": 10, "impressions": 1000},
        {"clicks": 30, "impressions": 1000},
        {"impressions": 5000},  # no clicks: must not dilute the CTR
    ]
    assert metrics.total("ctr", rows) == Decimal("0.02")
    assert metrics.total("impressions", rows) == Decimal(7000)
    assert metrics.total("clicks", [{"impressions": 1}]) is None
    assert metrics.summed(rows) == {"clicks": Decimal(40), "impressions": Decimal(7000)}


@given(
    spend=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
    revenue=st.decimals(min_value=Decimal(0), max_value=Decimal("1e9"), places=2),
)
def test_roi_is_margin_over_spend_for_every_positive_spend(spend: Decimal, revenue: Decimal) -> None:
    assert metrics.compute("roi", {"spend": spend, "revenue": revenue}) == (revenue - spend) / spend


def test_every_metric_has_names_unit_and_direction() -> None:
    assert set(metrics.METRIC_INFO) == set(vocab.METRICS)
    for meta in metrics.METRIC_INFO.values():
        assert meta.unit in ("money", "ratio", "count")
        assert meta.name("en") and meta.name("fr")
    assert metrics.info("cac").unit == "money" and not metrics.info("cac").higher_is_better
    assert metrics.info("ctr").unit == "ratio" and metrics.info("ctr").higher_is_better
    assert metrics.info("bounce_rate").higher_is_better is False
    assert metrics.info("leads").unit == "count" and metrics.info("leads").additive
    assert metrics.info("roi").name("fr") != metrics.info("roi").name("en")
