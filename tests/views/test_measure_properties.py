"""The dashboard's figures reconcile on any plan: Ps add up to the plan, months to the total, and each
objective's attributed actual to the rows of the means serving it over its window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixplan
from mixplan.views.measure import expected
from mixplan.views.progress import HEADLINE_METRICS, progress

D = Decimal
CHANNELS = ("social_ads", "coupon", "store", "packaging", "newsletter", "marketplace")  # every P, twice promotion
COUNTS = ("revenue", "new_customers", "signups", "spend")
MONTHS = [dt.date(2027, m, 1) for m in range(1, 13)]


@st.composite
def plans(draw) -> mixplan.Plan:
    objective_count = draw(st.integers(1, 3))
    objectives = []
    for n in range(objective_count):
        start = draw(st.sampled_from(MONTHS))
        deadline_month = draw(st.sampled_from([m for m in MONTHS if m >= start]))
        objectives.append(
            {
                "id": f"o{n}",
                "statement": "S",
                "metric": draw(st.sampled_from(("revenue", "new_customers", "signups"))),
                "target": draw(st.integers(1, 10_000)),
                "baseline": draw(st.none() | st.integers(0, 5_000)),
                "measure": draw(st.sampled_from(("total", "level"))),
                "from": start,
                "deadline": deadline_month.replace(day=draw(st.integers(1, 28))),
                "scope": draw(st.sampled_from(("attributed", "all"))),
            }
        )
    means = []
    for n in range(draw(st.integers(1, 6))):
        served = draw(st.lists(st.sampled_from([o["id"] for o in objectives]), min_size=1, max_size=3))
        means.append(
            {
                "id": f"m{n}",
                "name": f"M{n}",
                "channel": draw(st.sampled_from(CHANNELS)),
                "approach": "operational",
                "objectives": served,
                "targets": ["all"],
                "cost": draw(st.integers(0, 5_000)),
            }
        )
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from([m["id"] for m in means]), st.sampled_from(MONTHS)), unique=True, max_size=20
        )
    )
    results = []
    for means_id, month in keys:
        row = {"means": means_id, "month": f"{month:%Y-%m}"}
        for count in COUNTS:
            value = draw(st.none() | st.integers(0, 1_000))
            if value is not None:
                row[count] = value
        results.append(row)
    return mixplan.Plan.model_validate(
        {
            "mixplan": 1,
            "plan": {
                "title": "T",
                "client": "C",
                "language": "en",
                "currency": "EUR",
                "period": {"start": "2027-01-01", "end": "2027-12-31"},
            },
            "positioning": {"statement": "S"},
            "objectives": objectives,
            "targets": [{"id": "all", "name": "All"}],
            "message": {"promise": "P"},
            "budget": {"total": 100_000},
            "means": means,
            "results": results,
        }
    )


def _sum(values) -> Decimal | None:
    found = [v for v in values if v is not None]
    return sum(found, D(0)) if found else None


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(plans())
def test_the_ps_add_up_to_the_whole_plan(plan: mixplan.Plan) -> None:
    state = progress(plan)
    assert sum((g.spend.planned for g in state.by_p), D(0)) == state.overall.spend.planned
    assert _sum(g.spend.actual for g in state.by_p) == state.overall.spend.actual
    for metric in HEADLINE_METRICS:
        if metric in ("revenue", "new_customers", "conversions"):
            assert _sum(g.values[metric] for g in state.by_p) == state.overall.values[metric]


@PROPERTY
@given(plans())
def test_the_months_add_up_to_the_total(plan: mixplan.Plan) -> None:
    state = progress(plan)
    assert sum((m.planned for m in state.months), D(0)) == state.overall.spend.planned
    assert _sum(m.actual for m in state.months) == state.overall.spend.actual
    for metric in ("revenue", "new_customers"):
        assert _sum(m.values[metric] for m in state.months) == state.overall.values[metric]


@PROPERTY
@given(plans())
def test_an_objective_adds_up_the_rows_of_its_means_over_its_window(plan: mixplan.Plan) -> None:
    state = progress(plan)
    for item in state.objectives:
        objective, figures = item.objective, item.figures
        first, last = item.window.start.replace(day=1), item.window.end
        serving = {m.id for m in plan.means if objective.id in m.objectives}
        in_window = [r for r in plan.results if first <= r.month <= last]
        base = (objective.baseline or D(0)) if objective.measure_kind == "level" else D(0)

        # Called within this iteration only, so the loop's current objective and base are the ones meant.
        def figure(rows) -> Decimal | None:
            summed = _sum(getattr(r, objective.metric) for r in rows)  # noqa: B023
            return None if summed is None else base + summed  # noqa: B023

        assert figures.attributed == figure(r for r in in_window if r.means in serving)
        assert figures.all_actions == figure(in_window)
        # The contributions listed beside the figure are those rows, means by means.
        if objective.scope == "attributed" and figures.attributed is not None:
            assert base + sum((c.value for c in figures.contributions), D(0)) == figures.attributed
            assert {c.means for c in figures.contributions} <= serving
        assert item.kpi.actual == (figures.all_actions if objective.scope == "all" else figures.attributed)


@PROPERTY
@given(plans())
def test_a_level_is_never_expected_below_its_baseline(plan: mixplan.Plan) -> None:
    for item in progress(plan).objectives:
        if item.objective.measure_kind == "level" and item.kpi.expected is not None:
            assert item.kpi.expected >= (item.objective.baseline or D(0))


@given(
    st.integers(0, 10_000).map(D),
    st.none() | st.integers(0, 10_000).map(D),
    st.fractions(0, 1).map(lambda f: D(f.numerator) / D(f.denominator)),
)
def test_a_level_expected_at_any_share_stays_at_or_above_the_baseline(
    target: Decimal, baseline: Decimal | None, share: Decimal
) -> None:
    assert expected("level", target, baseline, share) >= (baseline or D(0))
