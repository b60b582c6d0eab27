"""How an objective is measured: `measure`, `from`, `measured` and `scope` (docs/format.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import mixplan

from .conftest import ASSETS

D = Decimal
MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")


def _with(objective_keys: str, *, metric: str | None = None, deadline: str = "2027-06-30", tail: str = "") -> str:
    """assets/minimal.yaml with keys added to its objective (and a different metric or deadline)."""
    text = MINIMAL.replace("    deadline: 2027-06-30\n", f"    deadline: {deadline}\n{objective_keys}", 1)
    if metric:
        text = text.replace("    metric: signups\n", f"    metric: {metric}\n", 1)
    return text + tail


def _rules(text: str) -> list[str]:
    return [f.rule for f in mixplan.validate(text=text, name="plan.yaml").findings]


# --- the model ------------------------------------------------------------------------------


def test_defaults_mean_what_a_plan_without_the_keys_meant() -> None:
    plan = mixplan.load_plan(ASSETS / "minimal.yaml")
    objective = plan.objectives[0]
    assert objective.measure is None and objective.measure_kind == "total"
    assert objective.window_start is None and objective.measured == [] and objective.scope == "attributed"
    rate = mixplan.Plan.model_validate(
        {**plan.model_dump(by_alias=True), "objectives": [{**objective.model_dump(by_alias=True), "metric": "cac"}]}
    )
    assert rate.objectives[0].measure_kind == "rate"


def test_the_new_keys_are_read() -> None:
    text = _with(
        "    measure: level\n    from: 2027-02-01\n    scope: all\n"
        "    measured:\n      - {month: 2027-02, value: 180}\n      - {month: 2027-03, value: 240}\n"
    )
    report = mixplan.validate(text=text, name="plan.yaml")
    assert report.ok, report.findings
    objective = report.plan.objectives[0]
    assert objective.measure_kind == "level" and objective.window_start == dt.date(2027, 2, 1)
    assert [(m.month, m.value) for m in objective.measured] == [(dt.date(2027, 2, 1), D(180)), (dt.date(2027, 3, 1), D(240))]
    assert objective.scope == "all"


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ("    fro: 2027-02-01\n", "unknown key 'fro' in objectives[0] (did you mean 'from'?)"),
        ("    window_start: 2027-02-01\n", "allowed keys here: id, statement, metric, target, baseline, measure, from,"),
        ("    from: 12\n", "objectives[0].from: '12' is not a valid date"),
        ("    measure: stock\n", "objectives[0].measure: 'stock' is not one of the allowed values; allowed: total, level, rate"),
        ("    scope: every\n", "objectives[0].scope: 'every' is not one of the allowed values; allowed: attributed, all"),
        ("    measured: [{month: 2027-13, value: 3}]\n", "expected a month written YYYY-MM (like 2027-02), got 2027-13"),
        ("    measured: [{month: 2027-02}]\n", "objectives[0].measured[0]: missing required key 'value'"),
    ],
)
def test_a_wrong_key_or_value_is_located_and_explained(keys: str, words: str) -> None:
    report = mixplan.validate(text=_with(keys), name="plan.yaml")
    assert [(f.line, f.severity) for f in report.findings] == [(17, "error")], report.findings
    assert words in report.findings[0].message


# --- MP409 and MP410: pass cases beside the fail cases in test_validate_errors ----------------


@pytest.mark.parametrize(
    ("metric", "measure", "rules"),
    [
        ("signups", "total", []),
        ("signups", "level", []),
        ("signups", "rate", ["MP409"]),
        ("cac", "rate", []),
        ("cac", "total", ["MP409"]),
        ("conversion_rate", "level", ["MP409"]),
    ],
)
def test_measure_fits_the_metric(metric: str, measure: str, rules: list[str]) -> None:
    # cac's target must not ask for a step backwards over the baseline (MP408): give it a higher baseline.
    text = _with(f"    measure: {measure}\n", metric=metric)
    if metric != "signups":
        text = text.replace("    target: 500\n    baseline: 100\n", "    target: 0.5\n    baseline: 0.4\n" if metric != "cac" else "    target: 50\n    baseline: 90\n")
    assert _rules(text) == rules


@pytest.mark.parametrize(
    ("start", "deadline", "rules"),
    [
        ("2027-01-01", "2027-06-30", []),  # the period's first day
        ("2027-04-30", "2027-04-30", []),  # a one-day window
        ("2026-12-31", "2027-06-30", ["MP410"]),
        ("2027-05-01", "2027-04-30", ["MP410"]),
    ],
)
def test_window_starts_inside_the_period_and_by_the_deadline(start: str, deadline: str, rules: list[str]) -> None:
    assert _rules(_with(f"    from: {start}\n", deadline=deadline)) == rules


def test_window_message_outside_the_period() -> None:
    report = mixplan.validate(text=_with("    from: 2026-12-31\n"), name="plan.yaml")
    assert report.findings[0].message == "from 2026-12-31 is outside the plan's period (2027-01-01 to 2027-06-30)"
