"""The plan's calendar: flights kept as written, spans, months, and a cost spread over them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import mixplan
from mixplan.views import calendar
from mixplan.views.calendar import Span

D = Decimal

PLAN = """
mixplan: 1
plan: {title: T, client: C, language: en, currency: EUR, period: {start: 2027-01-01, end: 2027-12-31}}
positioning: {statement: S}
objectives:
  - {id: grow, statement: Grow, metric: signups, target: 100, deadline: 2027-12-31}
targets:
  - {id: all, name: Everyone}
message: {promise: P}
budget: {total: 10000}
means:
  - {id: fair, name: Fair, channel: event, approach: operational, objectives: [grow], targets: [all], cost: 3000}
  - {id: ads, name: Ads, channel: social_ads, approach: operational, objectives: [grow], targets: [all], cost: 1200}
  - {id: shop, name: Shop, channel: store, approach: operational, objectives: [grow], targets: [all], cost: 900}
schedule:
  - {means: fair, start: 2027-09-01, end: 2027-10-31}
  - {means: ads, start: 2027-02-10, end: 2027-02-20}
  - {means: fair, start: 2027-01-04, end: 2027-03-31}
  - {milestone: Launch, date: 2027-01-04}
"""


def _plan() -> mixplan.Plan:
    return mixplan.Plan.model_validate(yaml.safe_load(PLAN))


def test_flights_are_kept_as_written_in_date_order_never_merged() -> None:
    flights = calendar.flights(_plan())
    assert flights["fair"] == (
        Span(dt.date(2027, 1, 4), dt.date(2027, 3, 31)),
        Span(dt.date(2027, 9, 1), dt.date(2027, 10, 31)),
    )
    assert flights["ads"] == (Span(dt.date(2027, 2, 10), dt.date(2027, 2, 20)),)
    assert "shop" not in flights  # never scheduled


def test_a_means_whole_span_runs_from_its_first_day_to_its_last_gaps_included() -> None:
    spans = calendar.spans(_plan())
    assert spans == {
        "fair": Span(dt.date(2027, 1, 4), dt.date(2027, 10, 31)),
        "ads": Span(dt.date(2027, 2, 10), dt.date(2027, 2, 20)),
    }
    assert calendar.period(_plan()) == Span(dt.date(2027, 1, 1), dt.date(2027, 12, 31))


def test_span_days_count_both_ends() -> None:
    assert Span(dt.date(2027, 2, 10), dt.date(2027, 2, 10)).days == 1
    assert Span(dt.date(2027, 1, 1), dt.date(2027, 12, 31)).days == 365
    assert Span(dt.date(2028, 2, 1), dt.date(2028, 2, 29)).days == 29


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [
        (("2027-01-01", "2027-01-31"), ("2027-02-01", "2027-02-28"), 0),  # next to each other
        (("2027-01-01", "2027-01-31"), ("2027-01-31", "2027-02-28"), 1),  # one day in common
        (("2027-01-01", "2027-12-31"), ("2027-03-01", "2027-03-31"), 31),  # one inside the other
        (("2027-03-01", "2027-03-31"), ("2027-01-01", "2027-02-15"), 0),
    ],
)
def test_overlap_in_days(first: tuple[str, str], second: tuple[str, str], days: int) -> None:
    a = Span(*(dt.date.fromisoformat(d) for d in first))
    b = Span(*(dt.date.fromisoformat(d) for d in second))
    assert calendar.overlap(a, b) == calendar.overlap(b, a) == days


def test_months_a_span_touches_cross_the_year() -> None:
    assert calendar.months(dt.date(2027, 11, 15), dt.date(2028, 2, 1)) == (
        dt.date(2027, 11, 1),
        dt.date(2027, 12, 1),
        dt.date(2028, 1, 1),
        dt.date(2028, 2, 1),
    )
    assert calendar.months(dt.date(2027, 3, 5), dt.date(2027, 3, 9)) == (dt.date(2027, 3, 1),)


def test_month_starts_begin_with_the_start_itself() -> None:
    # The timeline's grid: its first line at the period's start, then each month begun.
    assert calendar.month_starts(dt.date(2027, 11, 15), dt.date(2028, 2, 1)) == [
        dt.date(2027, 11, 15),
        dt.date(2027, 12, 1),
        dt.date(2028, 1, 1),
        dt.date(2028, 2, 1),
    ]


def test_month_numbers_follow_each_other_across_a_year() -> None:
    assert calendar.month_number(dt.date(2028, 1, 31)) == calendar.month_number(dt.date(2027, 12, 1)) + 1
    span = Span(dt.date(2027, 12, 20), dt.date(2028, 1, 5))
    assert list(calendar.month_numbers(span)) == [
        calendar.month_number(m) for m in calendar.months(span.start, span.end)
    ]


def test_a_cost_is_spread_over_the_days_of_every_flight() -> None:
    fair = calendar.planned_by_month(_plan())["fair"]
    # 87 days in January to March, 61 in September and October: 148 days in all, none in between.
    assert set(fair) == {dt.date(2027, m, 1) for m in (1, 2, 3, 9, 10)}
    assert sum(fair.values()) == D(3000)


def test_a_flight_inside_one_month_puts_the_whole_cost_there() -> None:
    assert calendar.planned_by_month(_plan())["ads"] == {dt.date(2027, 2, 1): D("1200.00")}


def test_a_means_never_scheduled_runs_over_the_plan_period() -> None:
    shop = calendar.planned_by_month(_plan())["shop"]
    assert list(shop) == [dt.date(2027, m, 1) for m in range(1, 13)]
    assert sum(shop.values()) == D(900)


def test_two_flights_in_one_month_add_up_there() -> None:
    runs = [Span(dt.date(2027, 1, 1), dt.date(2027, 1, 10)), Span(dt.date(2027, 1, 21), dt.date(2027, 2, 9))]
    spread = calendar.spread_cost(D(300), runs)
    assert spread == {dt.date(2027, 1, 1): D("300") * 21 / 30, dt.date(2027, 2, 1): D("300") * 9 / 30}


DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def flight_lists(draw) -> list[Span]:
    runs = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(DAYS)
        runs.append(Span(start, start + dt.timedelta(days=draw(st.integers(0, 400)))))
    return runs


@given(
    cost=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    runs=flight_lists(),
)
def test_a_spread_cost_sums_back_to_the_cost_and_stays_inside_its_flights(cost: Decimal, runs: list[Span]) -> None:
    spread = calendar.spread_cost(cost, runs)
    assert sum(spread.values(), D(0)) == cost
    for month, amount in spread.items():
        assert amount >= 0
        if amount:
            month_span = Span(month, calendar.month_end(month))
            assert any(calendar.overlap(run, month_span) for run in runs), (month, amount)


# --- to the plan's quantum ------------------------------------------------------------------


def test_a_plan_written_in_whole_units_spreads_whole_units() -> None:
    plan = _plan()
    assert calendar.quantum(plan) == D(1)
    fair = calendar.planned_by_month(plan)["fair"]
    # 3000 over 148 days: 28 in January and in February (567.57 each), 31 in March and in October
    # (628.38), 30 in September (608.11). Rounded down they make 2998; the 2 units left go to the
    # largest remainders, January's and February's.
    assert fair == {
        dt.date(2027, 1, 1): D(568),
        dt.date(2027, 2, 1): D(568),
        dt.date(2027, 3, 1): D(628),
        dt.date(2027, 9, 1): D(608),
        dt.date(2027, 10, 1): D(628),
    }
    assert sum(fair.values()) == D(3000)


def test_one_amount_with_cents_anywhere_in_the_budget_keeps_cents() -> None:
    cents = PLAN.replace("cost: 900}", "cost: 900.50}")
    plan = mixplan.Plan.model_validate(yaml.safe_load(cents))
    assert calendar.quantum(plan) == D("0.01")
    fair = calendar.planned_by_month(plan)["fair"]
    # In cents the remainders are .76 (January, February), .84 (March, October) and .81 (September):
    # 4 cents left go to March, October, September and, on the tie, to January before February.
    assert list(fair.values()) == [D("567.57"), D("567.56"), D("628.38"), D("608.11"), D("628.38")]
    assert sum(fair.values()) == D(3000)
    for key, amount in (("total: 10000", "total: 10000.5"), ("{total: 10000}", "{total: 10000, reserve: 0.25}")):
        other = mixplan.Plan.model_validate(yaml.safe_load(PLAN.replace(key, amount)))
        assert calendar.quantum(other) == D("0.01"), amount


def test_a_cost_written_finer_than_the_quantum_is_spread_to_its_own_precision() -> None:
    runs = [Span(dt.date(2027, 1, 1), dt.date(2027, 3, 31))]
    spread = calendar.spread_cost(D("100.005"), runs, D("0.01"))
    assert sum(spread.values()) == D("100.005")
    assert all(amount.as_tuple().exponent >= -3 for amount in spread.values())


@given(
    cost=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    runs=flight_lists(),
    quantum=st.sampled_from([D(1), D("0.01")]),
)
def test_a_spread_to_a_quantum_adds_up_exactly_in_whole_steps(
    cost: Decimal, runs: list[Span], quantum: Decimal
) -> None:
    if quantum == 1:
        cost = cost.to_integral_value()  # a whole-unit plan writes whole costs
    spread = calendar.spread_cost(cost, runs, quantum)
    assert sum(spread.values(), D(0)) == cost
    days = dict.fromkeys(spread, 0)
    for run in runs:
        for month in calendar.months(run.start, run.end):
            days[month] += calendar.overlap(run, Span(month, calendar.month_end(month)))
    total_days = sum(run.days for run in runs)
    for month, amount in spread.items():
        assert amount % quantum == 0, (month, amount)
        # Largest remainder: each month is its exact share rounded down or up by one step, never further.
        exact = cost * days[month] / total_days
        assert exact - quantum < amount < exact + quantum, (month, amount, exact)


# --- phasing (issue 20) ---------------------------------------------------------------------


def test_front_phasing_weighs_the_months_n_down_to_1_whatever_their_days() -> None:
    # Three months, weights 3, 2, 1: 600 in units gives 300, 200, 100, even though January is one day long.
    runs = [Span(dt.date(2027, 1, 31), dt.date(2027, 3, 31))]
    assert calendar.spread_cost(D(600), runs, D(1), "front") == {
        dt.date(2027, 1, 1): D(300),
        dt.date(2027, 2, 1): D(200),
        dt.date(2027, 3, 1): D(100),
    }


def test_back_phasing_weighs_the_months_1_up_to_n() -> None:
    runs = [Span(dt.date(2027, 1, 1), dt.date(2027, 2, 28)), Span(dt.date(2027, 6, 1), dt.date(2027, 6, 30))]
    # Months touched: January, February, June (the gap has no weight): 1, 2, 3 of 1000 in units.
    # 166.67, 333.33, 500 rounded down make 999; the unit left goes to January's remainder (.67).
    assert calendar.spread_cost(D(1000), runs, D(1), "back") == {
        dt.date(2027, 1, 1): D(167),
        dt.date(2027, 2, 1): D(333),
        dt.date(2027, 6, 1): D(500),
    }


def test_explicit_phasing_is_taken_as_written_in_month_order() -> None:
    runs = [Span(dt.date(2027, 1, 1), dt.date(2027, 3, 31))]
    written = {dt.date(2027, 3, 1): D(50), dt.date(2027, 1, 1): D(1200)}
    assert list(calendar.spread_cost(D(1250), runs, D(1), written).items()) == [
        (dt.date(2027, 1, 1), D(1200)),
        (dt.date(2027, 3, 1), D(50)),
    ]


def test_a_means_phasing_reaches_the_planned_months() -> None:
    plan = mixplan.Plan.model_validate(
        yaml.safe_load(PLAN.replace("cost: 3000}", "cost: 3000, phasing: {2027-01: 2000, 2027-09: 1000}}"))
    )
    assert calendar.planned_by_month(plan)["fair"] == {dt.date(2027, 1, 1): D(2000), dt.date(2027, 9, 1): D(1000)}


@given(
    cost=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    runs=flight_lists(),
    quantum=st.sampled_from([D(1), D("0.01")]),
    phasing=st.sampled_from(["front", "back"]),
)
def test_front_and_back_add_up_exactly_and_lean_the_way_they_say(
    cost: Decimal, runs: list[Span], quantum: Decimal, phasing: str
) -> None:
    if quantum == 1:
        cost = cost.to_integral_value()
    spread = calendar.spread_cost(cost, runs, quantum, phasing)
    assert sum(spread.values(), D(0)) == cost
    amounts = list(spread.values())
    step = min(quantum, D("0.01"))
    for earlier, later in zip(amounts, amounts[1:]):
        # One step of rounding is all that may go against the slope.
        if phasing == "front":
            assert earlier + step >= later
        else:
            assert earlier <= later + step
