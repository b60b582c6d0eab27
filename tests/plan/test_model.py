"""The models of format 1: types, defaults, and properties that hold for any input."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mixplan.plan import vocab
from mixplan.plan.fields import SLUG_PATTERN
from mixplan.plan.model import Means, Milestone, Plan, ResultRow, ScheduledMeans


def _means(**changes):
    data = {
        "id": "ads",
        "name": "Ads",
        "channel": "sea",
        "approach": "operational",
        "objectives": ["grow"],
        "targets": ["locals"],
        "cost": 100,
    }
    data.update(changes)
    return data


def test_minimal_plan_models(minimal_text: str) -> None:
    plan = Plan.model_validate(yaml.safe_load(minimal_text))
    assert plan.budget.total == Decimal(1000) and isinstance(plan.budget.total, Decimal)
    assert [type(e) for e in plan.schedule] == [ScheduledMeans, ScheduledMeans, Milestone]
    assert plan.targets[0].priority == "primary"
    assert plan.results == [] and plan.context is None


@pytest.mark.parametrize("channel", vocab.CHANNELS)
def test_every_channel_has_its_default_p(channel: str) -> None:
    means = Means.model_validate(_means(channel=channel))
    assert means.mix_p == vocab.CHANNEL_DEFAULT_P[channel]


def test_p_overrides_the_channel_default() -> None:
    assert Means.model_validate(_means(channel="partnership", p="promotion")).mix_p == "promotion"
    assert Means.model_validate(_means(channel="other", p="product")).mix_p == "product"


def test_vocabulary_of_the_format_is_complete() -> None:
    # The contract's lists, counted: 21 promotion, 4 price, 7 place, 4 product channels, and `other`.
    ps = list(vocab.CHANNEL_DEFAULT_P.values())
    assert (ps.count("promotion"), ps.count("price"), ps.count("place"), ps.count("product")) == (21, 4, 7, 4)
    assert len(vocab.RAW_COUNTS) == 13 and len(vocab.COMPUTED_METRICS) == 12
    assert set(vocab.METRIC_UNIT) == set(vocab.METRICS)


def test_months_accept_text_and_dates() -> None:
    row = ResultRow.model_validate({"means": "ads", "month": "2027-02"})
    assert row.month.isoformat() == "2027-02-01"


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False))
def test_any_sane_amount_is_kept_exactly(amount: Decimal) -> None:
    assert Means.model_validate(_means(cost=amount)).cost == amount


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.decimals(max_value=Decimal("-0.01"), allow_nan=False, allow_infinity=False),
        st.decimals(min_value=Decimal("1e12") + 1, allow_nan=False, allow_infinity=False),
        st.sampled_from([float("nan"), float("inf"), "12 000 €", "abc", True]),
    )
)
def test_bad_amounts_are_refused(amount) -> None:
    with pytest.raises(ValidationError) as caught:
        Means.model_validate(_means(cost=amount))
    assert caught.value.errors()[0]["loc"] == ("cost",)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_ids_are_slugs(candidate: str) -> None:
    is_slug = re.fullmatch(SLUG_PATTERN.strip("^$"), candidate) is not None
    try:
        Means.model_validate(_means(id=candidate))
    except ValidationError:
        assert not is_slug
    else:
        assert is_slug


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=10), st.integers(), min_size=1, max_size=3))
def test_unknown_keys_are_always_refused(extra) -> None:
    known = set(Means.model_fields)
    unknown = {k: v for k, v in extra.items() if k not in known}
    if not unknown:
        return
    with pytest.raises(ValidationError) as caught:
        Means.model_validate({**_means(), **unknown})
    kinds = {e["type"] for e in caught.value.errors()}
    assert kinds == {"extra_forbidden"}
