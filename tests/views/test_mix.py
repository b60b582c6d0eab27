"""The 4P view: each means under its P, costs and shares by P and by channel."""

from __future__ import annotations

from decimal import Decimal

import yaml

from mixplan.plan.model import Plan
from mixplan.views.mix import mix_view


def _plan(minimal_text: str, **budget) -> Plan:
    data = yaml.safe_load(minimal_text)
    data["budget"].update(budget)
    data["means"].append(
        {
            "id": "stand",
            "name": "Stand",
            "channel": "partnership",
            "p": "promotion",
            "approach": "relational",
            "objectives": ["grow"],
            "targets": ["locals"],
            "cost": 50,
        }
    )
    return Plan.model_validate(data)


def test_costs_and_shares_by_p(minimal_text: str) -> None:
    view = mix_view(_plan(minimal_text))
    by_p = {s.key: s for s in view.by_p}
    assert list(by_p) == ["product", "price", "place", "promotion"]
    assert by_p["promotion"].cost == Decimal(550)  # sea 500 + partnership moved to promotion 50
    assert [m.id for m in by_p["promotion"].means] == ["ads", "stand"]
    assert by_p["price"].cost == Decimal(350) and by_p["price"].share == Decimal("0.35")
    assert by_p["place"].cost == 0 and by_p["place"].means == ()


def test_by_channel_is_sorted_by_spend(minimal_text: str) -> None:
    view = mix_view(_plan(minimal_text))
    assert [(s.key, s.cost, s.p) for s in view.by_channel] == [
        ("sea", Decimal(500), "promotion"),
        ("coupon", Decimal(350), "price"),
        ("partnership", Decimal(50), "promotion"),
    ]


def test_budget_totals(minimal_text: str) -> None:
    view = mix_view(_plan(minimal_text))
    assert (view.means_cost, view.lines_cost, view.reserve) == (Decimal(900), Decimal(0), Decimal(100))
    assert view.allocated == Decimal(1000) and view.remaining == 0


def test_shares_are_undefined_when_the_budget_is_zero(minimal_text: str) -> None:
    view = mix_view(_plan(minimal_text, total=0, reserve=0))
    assert all(s.share is None for s in view.by_p + view.by_channel)
    assert view.share(Decimal(10)) is None
