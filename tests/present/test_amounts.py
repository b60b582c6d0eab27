"""Whole units or cents: decided once per plan from the amounts the plan sets."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from mixplan.plan.model import build_plan
from mixplan.present.amounts import amount_text, writes_cents

from ..conftest import ASSETS


def _plan(change: str = "", value: object = None):
    data = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))
    if change:
        *path, last = change.split(".")
        place = data
        for key in path:
            place = place[int(key)] if key.isdigit() else place.setdefault(key, {})
        place[last] = value
    return build_plan(data)


def test_a_plan_of_whole_amounts_writes_no_cents() -> None:
    assert writes_cents(_plan()) is False


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("budget.total", "1000.50"),
        ("budget.reserve", "99.99"),
        ("budget.lines", [{"name": "Print", "cost": "120.40"}]),
        ("means.0.cost", "499.90"),
        ("mix.price", {"list_price": "19.90"}),
        ("means.0.forecast", {"spend": "480.20"}),
        ("means.0.forecast", {"revenue": "1200.05"}),
        ("means.0.kpis", [{"metric": "revenue", "target": "900.50"}]),
    ],
)
def test_cents_written_in_any_planned_amount_show_cents(change: str, value: object) -> None:
    assert writes_cents(_plan(change, value)) is True


@pytest.mark.parametrize(
    ("change", "value"),
    [
        # A cost per unit has cents by nature: it does not turn the budget's euros into cents.
        ("means.0.kpis", [{"metric": "cpc", "target": "0.42"}]),
        # Measured results arrive to the cent; they do not change how the plan reads.
        ("results", [{"means": "ads", "month": "2027-01", "spend": "120.55", "revenue": "80.10"}]),
        # Trailing zeros are not cents.
        ("budget.total", "1000.00"),
    ],
)
def test_amounts_that_do_not_decide(change: str, value: object) -> None:
    assert writes_cents(_plan(change, value)) is False


def test_amount_text_whole_or_with_cents() -> None:
    assert amount_text(Decimal("12000"), "EUR") == "12,000.00 EUR"
    assert amount_text(Decimal("12000.4"), "EUR", cents=False) == "12,000 EUR"
