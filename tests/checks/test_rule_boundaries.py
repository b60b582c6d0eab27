"""Rules at their edges: for each rule a passing plan, the boundary case that still passes, and the first case that fails.

Each case starts from tests/assets/minimal.yaml (which passes every rule),
changes one thing, and states which of the family's rules fire. The cases at
a threshold are the ones a flipped comparison (`>` for `>=`) would get wrong.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import yaml

import mixplan

from ..conftest import ASSETS

BASE: dict[str, Any] = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))


class _Dumper(yaml.SafeDumper):
    """Amounts written as the exact decimals they are (a float would round 400.01)."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def findings(change: Callable[[dict[str, Any]], None]) -> list[mixplan.Finding]:
    data = copy.deepcopy(BASE)
    change(data)
    return mixplan.validate(text=yaml.dump(data, Dumper=_Dumper, sort_keys=False), name="plan.yaml").findings


def fired(change: Callable[[dict[str, Any]], None], scope: str) -> list[str]:
    return sorted(f.rule for f in findings(change) if f.rule.startswith(scope))


def nothing(_: dict[str, Any]) -> None:
    pass


def budget(total: str, reserve: str, costs: tuple[str, str]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["budget"].update(total=Decimal(total), reserve=Decimal(reserve))
        for means, cost in zip(data["means"], costs):
            means["cost"] = Decimal(cost)

    return change


def milestone_on(day: dt.date) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["schedule"][2]["date"] = day

    return change


def flight(start: dt.date, end: dt.date) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["schedule"][0].update(start=start, end=end)

    return change


def objective(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["objectives"][0].update(fields)

    return change


def typed_forecast(ads: int, promo: int) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["means"][0]["forecast"] = {"signups": ads}
        data["means"][1]["forecast"] = {"signups": promo}

    return change


def chain(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for each in changes:
            each(data)

    return change


def phasing(*amounts: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["means"][0]["phasing"] = {f"2027-0{n + 1}": Decimal(amount) for n, amount in enumerate(amounts)}

    return change


def _per_means(key: str, *values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for means, value in zip(data["means"], values, strict=True):
            if value is not None:
                means[key] = value

    return change


def assumptions(*written: dict[str, Any], metric: str | None = None) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["assumptions"] = [dict(item) for item in written]
        if metric is not None:
            data["objectives"][0]["metric"] = metric

    return change


def stages(*written: str | None) -> Callable[[dict[str, Any]], None]:
    return _per_means("stage", *written)


def responsible(*written: str | None) -> Callable[[dict[str, Any]], None]:
    return _per_means("responsible", *written)


def accountable(*written: str | None) -> Callable[[dict[str, Any]], None]:
    return _per_means("accountable", *written)


def serves_other(means_id: str) -> Callable[[dict[str, Any]], None]:
    """`means_id` serves a second objective alone (a sign-up one, so that it needs no stage)."""

    def change(data: dict[str, Any]) -> None:
        extra = dict(data["objectives"][0], id="other", metric="signups")
        data["objectives"].append(extra)
        for means in data["means"]:
            if means["id"] == means_id:
                means["objectives"] = ["other"]

    return change


def risk(impact: str, mitigation: str | None = None, likelihood: str = "low") -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        item = {"risk": "Supplier late", "likelihood": likelihood, "impact": impact}
        if mitigation is not None:
            item["mitigation"] = mitigation
        data["risks"] = [item]

    return change


def next_step_on(day: dt.date) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["next_steps"] = [{"step": "Sign off the budget", "owner": "Client", "date": day}]

    return change


CPC = {"id": "cpc", "metric": "cpc", "value": Decimal("1.2")}
CONV = {"id": "conv", "metric": "conversion_rate", "value": Decimal("0.02")}
SHARE = {"id": "share", "metric": "new_customer_share", "value": Decimal("0.5")}


CASES = [
    # --- 2xx budget: MP201 over the total, MP202 more than 10 % unallocated.
    ("2", "pass: the minimal plan", nothing, []),
    ("201", "MP201 boundary: spending exactly the total", budget("1000", "100", ("500", "400")), []),
    ("201", "MP201 fail: one cent over", budget("1000", "100", ("500", "400.01")), ["MP201"]),
    ("202", "MP202 boundary: exactly 10 % unallocated", budget("1000", "100", ("500", "300")), []),
    ("202", "MP202 fail: a cent more than 10 %", budget("1000", "100", ("500", "299.99")), ["MP202"]),
    # --- 3xx schedule: MP302 a date outside the period, means and milestones alike.
    ("3", "pass: the minimal plan", nothing, []),
    ("302", "MP302 boundary: a flight on the period's first and last days",
     flight(dt.date(2027, 1, 1), dt.date(2027, 6, 30)), []),
    ("302", "MP302 fail: a flight ending the day after the period", flight(dt.date(2027, 1, 1), dt.date(2027, 7, 1)),
     ["MP302"]),
    ("302", "MP302 boundary: a milestone on the period's last day", milestone_on(dt.date(2027, 6, 30)), []),
    ("302", "MP302 fail: a milestone the day after the period", milestone_on(dt.date(2027, 7, 1)), ["MP302"]),
    ("302", "MP302 fail: a milestone the day before the period", milestone_on(dt.date(2026, 12, 31)), ["MP302"]),
    # --- 4xx objectives: MP404 a rate outside 0-1, MP408 no progress over the baseline.
    ("4", "pass: the minimal plan", nothing, []),
    ("404", "MP404 boundary: a rate target of 0", objective(metric="ctr", target=0, baseline=None), []),
    ("404", "MP404 boundary: a rate target of 1", objective(metric="ctr", target=1, baseline=None), []),
    ("404", "MP404 fail: a rate target over 1", objective(metric="ctr", target=2, baseline=None), ["MP404"]),
    ("404", "MP404 fail: a negative rate target", objective(metric="ctr", target=-0.1, baseline=None), ["MP404"]),
    ("408", "MP408 boundary: a target one above the baseline", objective(target=101, baseline=100), []),
    ("408", "MP408 fail: a target equal to the baseline", objective(target=100, baseline=100), ["MP408"]),
    ("408", "MP408 fail: a target below the baseline", objective(target=99, baseline=100), ["MP408"]),
    # --- 6xx forecast: MP621 short of the target, MP622 unreachable, MP623 phasing, MP624 unused, MP625 rate > 1.
    ("6", "pass: the minimal plan", nothing, []),
    ("621", "MP621 boundary: the forecast is the target exactly", typed_forecast(300, 200), []),
    ("621", "MP621 fail: one short of the target", typed_forecast(300, 199), ["MP621"]),
    ("622", "MP622 pass: every rate the funnel needs is there",
     assumptions(CPC, CONV, SHARE, metric="new_customers"), []),
    ("622", "MP622 fail: no new customer share", assumptions(CPC, CONV, metric="new_customers"), ["MP622", "MP622"]),
    ("622", "MP622 pass: a metric no rate leads to lacks no assumption", assumptions(CPC), []),
    ("623", "MP623 boundary: the months add up to the cost", phasing("200", "200", "100"), []),
    ("623", "MP623 fail: a cent over the cost", phasing("200", "200", "100.01"), ["MP623"]),
    ("624", "MP624 pass: a plan-wide assumption", assumptions(CPC), []),
    ("624", "MP624 fail: on a channel no means uses", assumptions({**CPC, "channel": "tv"}), ["MP624"]),
    ("624", "MP624 fail: the second of two for the same rate", assumptions(CPC, {**CPC, "id": "cpc2"}), ["MP624"]),
    ("625", "MP625 boundary: a rate of exactly 1", assumptions({**CONV, "value": 1}), []),
    ("625", "MP625 fail: a rate just over 1", assumptions({**CONV, "value": Decimal("1.01")}), ["MP625"]),
    ("625", "MP625 fail: a high over 1", assumptions({**CONV, "high": Decimal("1.5")}), ["MP625"]),
    # --- 6xx chapters: MP601 a journey stage an objective needs and its means leave empty, MP602 a means
    # without a responsible when others have one.
    ("6", "pass: the minimal plan", nothing, []),
    ("601", "MP601 pass: a conversion objective in a plan that places no means on the journey",
     objective(metric="new_customers"), []),
    ("601", "MP601 pass: stages used, but sign-ups need no stage of their own",
     stages("awareness", "awareness"), []),
    ("601", "MP601 boundary: one serving means on the conversion stage, the other on none",
     chain(objective(metric="new_customers"), stages("conversion", None)), []),
    ("601", "MP601 fail: a conversion objective, its means on awareness and on no stage",
     chain(objective(metric="new_customers"), stages("awareness", None)), ["MP601"]),
    ("601", "MP601 fail: the conversion means serves another objective, not this one",
     chain(objective(metric="new_customers"), stages("awareness", "conversion"), serves_other("promo")), ["MP601"]),
    ("601", "MP601 fail: a reach objective and no means on awareness",
     chain(objective(metric="reach"), stages("conversion", "loyalty")), ["MP601"]),
    ("602", "MP602 boundary: every means names its responsible", responsible("Studio Nord", "Léa"), []),
    ("602", "MP602 pass: no means names one", responsible(None, None), []),
    ("602", "MP602 fail: one means of two names one", responsible("Studio Nord", None), ["MP602"]),
    ("602", "MP602 fail: an accountable is not a responsible",
     chain(responsible("Studio Nord", None), accountable(None, "Léa")), ["MP602"]),
    # --- 6xx the plan's other chapters: MP611 a high-impact risk unmitigated, MP612 a next step outside the period.
    ("6", "pass: the minimal plan", nothing, []),
    ("611", "MP611 pass: a high impact with a mitigation", risk("high", "Second supplier on call"), []),
    ("611", "MP611 boundary: a medium impact needs no mitigation", risk("medium", likelihood="high"), []),
    ("611", "MP611 fail: a high impact without mitigation", risk("high"), ["MP611"]),
    ("611", "MP611 fail: even when unlikely", risk("high", likelihood="low"), ["MP611"]),
    ("612", "MP612 boundary: a next step on the period's first day", next_step_on(dt.date(2027, 1, 1)), []),
    ("612", "MP612 boundary: a next step on the period's last day", next_step_on(dt.date(2027, 6, 30)), []),
    ("612", "MP612 fail: a next step the day before the period", next_step_on(dt.date(2026, 12, 31)), ["MP612"]),
    ("612", "MP612 fail: a next step the day after the period", next_step_on(dt.date(2027, 7, 1)), ["MP612"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("scope", "change", "expected"),
    [pytest.param(scope, change, expected, id=name) for scope, name, change, expected in CASES],
)
def test_rule_case(scope: str, change: Callable[[dict[str, Any]], None], expected: list[str]) -> None:
    # The scope is a family (every rule of it) or one rule: a case may trip a neighbour (no baseline: MP403).
    assert fired(change, "MP" + scope) == expected


def test_a_milestone_outside_the_period_is_located_at_its_date() -> None:
    data = copy.deepcopy(BASE)
    milestone_on(dt.date(2027, 7, 1))(data)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False)
    [finding] = [f for f in mixplan.validate(text=text, name="plan.yaml").findings if f.rule == "MP302"]
    line = text.splitlines()[finding.line - 1]
    assert line[finding.column - 1 :] == "2027-07-01" and line.strip() == "date: 2027-07-01"
    assert finding.severity == "error"
    assert finding.message == "milestone date 2027-07-01 is outside the plan's period (2027-01-01 to 2027-06-30)"


def test_a_negative_rate_is_told_it_cannot_be_negative() -> None:
    [finding] = [f for f in findings(objective(metric="ctr", target=-0.1, baseline=None)) if f.rule == "MP404"]
    assert finding.message == "a ctr target cannot be negative"


def test_a_target_equal_to_its_baseline_asks_for_no_progress() -> None:
    [finding] = [f for f in findings(objective(target=100, baseline=100)) if f.rule == "MP408"]
    assert finding.message == "objective 'grow' targets 100, its baseline: it asks for no progress"


def test_a_high_impact_risk_without_mitigation_is_told_what_to_add() -> None:
    [finding] = [f for f in findings(risk("high")) if f.rule == "MP611"]
    assert finding.severity == "warning"
    assert finding.message == (
        "the risk 'Supplier late' has a high impact but no mitigation: add a mitigation: what you will do to "
        "prevent it or soften the blow"
    )


def test_a_next_step_before_the_start_reads_as_preparation_that_may_stay() -> None:
    [finding] = [f for f in findings(next_step_on(dt.date(2026, 12, 15))) if f.rule == "MP612"]
    assert finding.severity == "warning"
    assert finding.message == (
        "the next step 'Sign off the budget' is dated 2026-12-15, 17 days before the plan starts on 2027-01-01: "
        "correct the date, or, if it is preparation due before the start, keep it and add MP612 to lint.ignore"
    )


def test_a_next_step_after_the_end_is_told_to_move_to_the_next_plan() -> None:
    [finding] = [f for f in findings(next_step_on(dt.date(2027, 7, 1))) if f.rule == "MP612"]
    assert finding.message == (
        "the next step 'Sign off the budget' is dated 2027-07-01, 1 day after the plan ends on 2027-06-30: "
        "correct the date, or move the step to the next plan"
    )


def test_a_next_step_outside_the_period_is_located_at_its_date_and_can_be_ignored() -> None:
    data = copy.deepcopy(BASE)
    next_step_on(dt.date(2026, 12, 15))(data)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False)
    [finding] = [f for f in mixplan.validate(text=text, name="plan.yaml").findings if f.rule == "MP612"]
    assert text.splitlines()[finding.line - 1][finding.column - 1 :] == "2026-12-15"
    data["lint"] = {"ignore": ["MP612"]}
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False)
    assert [f.rule for f in mixplan.validate(text=text, name="plan.yaml").findings] == []


@pytest.mark.parametrize(("name", "rule"), [("risk-unmitigated", "MP611"), ("next-step-outside-period", "MP612")])
def test_the_chapter_warnings_fail_a_strict_validate_in_a_real_process(name: str, rule: str) -> None:
    import subprocess
    import sys

    path = ASSETS / "broken" / f"{name}.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", "--strict", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert ": warning: the " in done.stdout and f"({rule})" in done.stdout
    assert "Traceback" not in done.stderr
    relaxed = subprocess.run([sys.executable, "-m", "mixplan", "validate", str(path)], capture_output=True, text=True)
    assert relaxed.returncode == 0


def test_the_forecast_rules_share_one_forecast_per_check_and_keep_no_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    from mixplan.checks import rules
    from mixplan.views import forecast

    worked_out: list[object] = []
    real = forecast.forecast

    def counted(plan: Any) -> Any:
        worked_out.append(plan)
        return real(plan)

    monkeypatch.setattr(forecast, "forecast", counted)
    # MP621 and MP622 both read the forecast: once per check, and a second check works out its own.
    assert [f.rule for f in findings(typed_forecast(300, 199)) if f.rule == "MP621"] == ["MP621"]
    assert [f.rule for f in findings(typed_forecast(300, 200)) if f.rule == "MP621"] == []
    assert len(worked_out) == 2 and worked_out[0] is not worked_out[1]
    # Nothing is left over once the check ends: the plan can go.
    assert rules._shared.get() is None
