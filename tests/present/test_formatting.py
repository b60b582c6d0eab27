"""The deliverable's money in whole units or cents, and French dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixplan.present.formatting import Formatter

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize(
    ("locale", "currency", "whole", "cents"),
    [
        ("fr_FR", "EUR", f"60{NNBSP}000{NBSP}€", f"60{NNBSP}000,00{NBSP}€"),
        ("en_US", "GBP", "£60,000", "£60,000.00"),
        ("en_US", "USD", "$60,000", "$60,000.00"),
    ],
)
def test_whole_units_or_cents_per_plan(locale: str, currency: str, whole: str, cents: str) -> None:
    assert Formatter(locale, currency, whole_units=True).money(Decimal(60000)) == whole
    assert Formatter(locale, currency).money(Decimal(60000)) == cents


def test_whole_units_round_computed_amounts_and_never_show_minus_zero() -> None:
    fmt = Formatter("en_US", "EUR", whole_units=True)
    assert fmt.money(Decimal("2315.10")) == "€2,315"
    assert fmt.money(Decimal("-256.96")) == "-€257"
    assert fmt.money(Decimal("-0.40")) == "€0"
    assert fmt.money(None) == "—"


def test_unit_costs_keep_cents_under_100_units_in_a_whole_plan() -> None:
    whole = Formatter("fr_FR", "EUR", whole_units=True)
    assert whole.metric("cac", Decimal("13.42")) == f"13,42{NBSP}€"
    assert whole.metric("cpc", Decimal("0.4")) == f"0,40{NBSP}€"
    assert whole.metric("cpl", Decimal("12")) == f"12{NBSP}€"  # whole: no ",00"
    assert whole.metric("cac", Decimal("213.42")) == f"213{NBSP}€"
    assert whole.metric("revenue", Decimal("13.42")) == f"13{NBSP}€"  # not a unit cost
    assert Formatter("fr_FR", "EUR").metric("cac", Decimal("213.42")) == f"213,42{NBSP}€"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["en", "fr", "en_US", "fr_FR"]),
    st.sampled_from(["EUR", "GBP", "USD", "JPY", "CHF", "BHD"]),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=3),
)
def test_whole_money_layout_matches_babel(language: str, currency: str, amount: Decimal) -> None:
    fmt = Formatter(language, currency, whole_units=True)
    assert fmt._whole_money_shape is not None
    rounded = amount.quantize(Decimal(1))
    assert fmt.money(amount) == fmt._babel_whole(abs(rounded) if rounded == 0 else rounded)


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (dt.date(2027, 10, 1), "1er octobre 2027", "1er oct. 2027"),
        (dt.date(2027, 10, 2), "2 octobre 2027", "2 oct. 2027"),
        (dt.date(2027, 10, 11), "11 octobre 2027", "11 oct. 2027"),
    ],
)
def test_french_writes_the_first_of_the_month_as_an_ordinal(day: dt.date, long: str, short: str) -> None:
    fmt = Formatter("fr_FR", "EUR")
    assert (fmt.date(day), fmt.short_date(day)) == (long, short)
    assert Formatter("en_US", "EUR").short_date(dt.date(2027, 10, 1)) == "Oct 1, 2027"
