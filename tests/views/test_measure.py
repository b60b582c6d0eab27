"""How an objective is measured: `measure`, `from`, `measured` and `scope` (docs/format.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import mixplan

from ..conftest import ASSETS

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
    assert [(m.month, m.value) for m in objective.measured] == [
        (dt.date(2027, 2, 1), D(180)),
        (dt.date(2027, 3, 1), D(240)),
    ]
    assert objective.scope == "all"


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ("    fro: 2027-02-01\n", "unknown key 'fro' in objectives[0] (did you mean 'from'?)"),
        (
            "    window_start: 2027-02-01\n",
            "allowed keys here: id, statement, metric, target, baseline, measure, from,",
        ),
        ("    from: 12\n", "objectives[0].from: '12' is not a valid date"),
        (
            "    measure: stock\n",
            "objectives[0].measure: 'stock' is not one of the allowed values; allowed: total, level, rate",
        ),
        (
            "    scope: every\n",
            "objectives[0].scope: 'every' is not one of the allowed values; allowed: attributed, all",
        ),
        (
            "    measured: [{month: 2027-13, value: 3}]\n",
            "expected a month written YYYY-MM (like 2027-02), got 2027-13",
        ),
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
        text = text.replace(
            "    target: 500\n    baseline: 100\n",
            "    target: 0.5\n    baseline: 0.4\n" if metric != "cac" else "    target: 50\n    baseline: 90\n",
        )
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


# --- the computation --------------------------------------------------------------------------

SHOP = """
mixplan: 1
plan: {title: T, client: C, language: fr, currency: EUR, period: {start: 2027-01-01, end: 2027-12-31}}
positioning: {statement: S}
objectives:
  - {id: ca-fetes, statement: Réaliser 60 000 € de ventes sur novembre-décembre, metric: revenue, target: 60000,
     baseline: 48000, measure: total, from: 2027-11-01, deadline: 2027-12-31}
  - {id: newsletter, statement: Passer de 350 à 1 500 abonnés, metric: signups, target: 1500, baseline: 350,
     measure: level, deadline: 2027-12-31}
  - {id: cac, statement: CAC de 20 €, metric: cac, target: 20, baseline: 30, deadline: 2027-12-31}
targets: [{id: all, name: All}]
message: {promise: P}
budget: {total: 9000}
means:
  - {id: vitrine, name: Vitrine, channel: merchandising, approach: operational, objectives: [ca-fetes, newsletter],
     targets: [all], cost: 3000}
  - {id: coffrets, name: Coffrets, channel: bundle, approach: operational, objectives: [ca-fetes, cac], targets: [all],
     cost: 3000}
  - {id: caisse, name: Caisse, channel: store, approach: operational, objectives: [newsletter], targets: [all], cost: 3000}
results:
  - {means: vitrine, month: 2027-10, revenue: 4000, signups: 40}
  - {means: vitrine, month: 2027-11, revenue: 1300, signups: 60}
  - {means: coffrets, month: 2027-11, revenue: 800, spend: 500, new_customers: 10}
  - {means: caisse, month: 2027-11, revenue: 8800, signups: 100, spend: 0, new_customers: 0}
"""


def _progress(text: str):
    from mixplan.views.progress import progress

    return progress(mixplan.Plan.model_validate(__import__("yaml").safe_load(text)))


def _objective(text: str, objective_id: str):
    return next(o for o in _progress(text).objectives if o.objective.id == objective_id)


def test_a_total_counts_its_window_and_shows_every_figure() -> None:
    sales = _objective(SHOP, "ca-fetes")
    figures = sales.figures
    # October is outside the window; caisse does not serve the objective but is in the plan's figure.
    assert figures.attributed == D(2100) and figures.all_actions == D(1300 + 800 + 8800)
    assert [(c.means, c.value) for c in figures.contributions] == [("vitrine", D(1300)), ("coffrets", D(800))]
    assert figures.source == "attributed" and sales.kpi.actual == D(2100)
    assert sales.window.start == dt.date(2027, 11, 1)
    # As of 30 November, 30 of the window's 61 days are gone: the target, not the baseline, is due pro rata.
    assert sales.kpi.expected == D(60000) * 30 / 61
    assert sales.kpi.status == "behind" and sales.share == D(2100) / D(60000)


def test_measured_figures_are_the_actual_and_the_others_stay_beside_them() -> None:
    text = SHOP.replace(
        "deadline: 2027-12-31}\n  - {id: newsletter",
        "deadline: 2027-12-31,\n     measured: [{month: 2027-11, value: 31200}]}\n  - {id: newsletter",
        1,
    )
    sales = _objective(text, "ca-fetes")
    assert sales.figures.source == "measured" and sales.kpi.actual == D(31200)
    assert sales.figures.attributed == D(2100) and sales.figures.all_actions == D(10900)
    assert sales.kpi.status == "on_track"  # 31 200 against 60 000 × 30/61 ≈ 29 508 due, inside the 10 % band


def test_scope_all_counts_every_means() -> None:
    text = SHOP.replace(
        "from: 2027-11-01, deadline: 2027-12-31}", "from: 2027-11-01, deadline: 2027-12-31, scope: all}"
    )
    sales = _objective(text, "ca-fetes")
    assert sales.figures.source == "all" and sales.kpi.actual == D(10900)
    assert [c.means for c in sales.figures.contributions] == ["vitrine", "coffrets", "caisse"]


def test_a_level_starts_from_its_baseline() -> None:
    newsletter = _objective(SHOP, "newsletter")
    # 350 subscribers today, plus the 40 + 60 + 100 sign-ups of the means serving it.
    assert newsletter.kpi.actual == D(550) and newsletter.figures.attributed == D(550)
    share = D(334) / D(365)
    assert newsletter.kpi.expected == D(350) + D(1150) * share
    assert newsletter.share == D(200) / D(1150)
    assert newsletter.kpi.status == "behind"


def test_a_measured_level_is_its_latest_figure() -> None:
    text = SHOP.replace(
        "measure: level, deadline: 2027-12-31}",
        "measure: level, deadline: 2027-12-31, measured: [{month: 2027-11, value: 1210}, {month: 2027-10, value: 900}]}",
    )
    newsletter = _objective(text, "newsletter")
    assert newsletter.kpi.actual == D(1210) and newsletter.figures.source == "measured"
    # Judged on the gain: 860 gained where 1 150 × 334/365 ≈ 1 052 were due.
    assert newsletter.kpi.status == "behind" and newsletter.share == D(860) / D(1150)


def test_a_level_is_never_expected_below_its_baseline() -> None:
    from mixplan.views.measure import expected

    assert expected("level", D(1500), D(350), D(0)) == D(350)
    assert expected("level", D(300), D(350), D("0.5")) == D(350)  # a target under the baseline
    assert expected("total", D(60000), D(48000), D("0.5")) == D(30000)  # a total's baseline is a reference
    assert expected("rate", D(20), D(30), D("0.5")) == D(20)


def test_a_cost_above_target_is_worse_not_late() -> None:
    cac = _objective(SHOP, "cac")
    assert cac.kpi.actual == D(50)  # coffrets: 500 spent for 10 new customers
    assert cac.kpi.expected == D(20) and cac.kpi.status == "worse"
    assert cac.share == D(0)  # further from the target than the baseline: no progress, not 1 860 %
    better = _objective(SHOP.replace("spend: 500, new_customers: 10", "spend: 170, new_customers: 10"), "cac")
    assert better.kpi.status == "better" and better.share == D(1)
    halfway = _objective(SHOP.replace("spend: 500, new_customers: 10", "spend: 250, new_customers: 10"), "cac")
    assert halfway.share == D("0.5") and halfway.kpi.status == "worse"


def test_a_rate_is_the_ratio_of_sums_never_an_average_of_rates() -> None:
    text = SHOP.replace("objectives: [ca-fetes, newsletter],", "objectives: [ca-fetes, newsletter, cac],").replace(
        "{means: vitrine, month: 2027-11, revenue: 1300, signups: 60}",
        "{means: vitrine, month: 2027-11, revenue: 1300, signups: 60, spend: 100, new_customers: 90}",
    )
    cac = _objective(text, "cac")
    # (100 + 500) / (90 + 10) = 6, where the average of 1.11 and 50 would be 25.56.
    assert cac.kpi.actual == D(6) and cac.figures.attributed_parts == (D(600), D(100))


def test_a_zero_denominator_leaves_the_rate_undefined() -> None:
    text = SHOP.replace("spend: 500, new_customers: 10", "spend: 500, new_customers: 0")
    cac = _objective(text, "cac")
    assert cac.kpi.actual is None and cac.kpi.status == "no_data" and cac.share is None


def test_a_window_not_yet_started_has_no_status() -> None:
    text = SHOP.replace("from: 2027-11-01", "from: 2027-12-01")
    sales = _objective(text, "ca-fetes")
    assert sales.figures.attributed is None and sales.kpi.status == "no_data"


def test_measured_figures_alone_date_the_dashboard() -> None:
    text = SHOP.split("results:")[0].replace(
        "measure: level, deadline: 2027-12-31}",
        "measure: level, deadline: 2027-12-31, measured: [{month: 2027-03, value: 500}]}",
    )
    state = _progress(text)
    assert state.as_of == dt.date(2027, 3, 31) and state.has_results
    newsletter = next(o for o in state.objectives if o.objective.id == "newsletter")
    assert newsletter.kpi.actual == D(500) and newsletter.figures.attributed is None


# --- every view says where each figure comes from ---------------------------------------------


def _plain_spaces(text: str) -> str:
    """French typography's no-break spaces as plain ones, so the expected text reads."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_the_deliverable_lists_each_figure_with_its_scope_and_the_plan_total() -> None:
    plan = mixplan.Plan.model_validate(__import__("yaml").safe_load(SHOP))
    markdown = _plain_spaces(mixplan.render(plan, "md"))
    objectives = markdown[markdown.index("### Avancement des objectifs") : markdown.index("### Mois par mois")]
    # The seed's contradiction: 2 100 € attributed beside 10 900 € in the monthly table, now both said.
    assert "| 2 100 € | issu des 2 actions qui le servent | 10 900 € |" in objectives
    assert "  - 2 100 € issu des 2 actions qui le servent : Vitrine 1 300 € ; Coffrets 800 €" in objectives
    assert "  - 10 900 € toutes actions confondues" in objectives
    assert "total du 1er novembre 2027 au 31 décembre 2027" in objectives
    # A level traced to its baseline; a cost above target is worse, not late.
    assert "  - 550 (350 au départ + 200) issu des 2 actions qui le servent" in objectives
    assert "50 € (500 € ÷ 10) issu de l’action qui le sert" in objectives
    assert "▼ Moins bien que visé" in objectives and "1 860" not in objectives
    html = _plain_spaces(mixplan.render(plan, "html"))
    assert "<li>10 900 € toutes actions confondues</li>" in html
    assert "issu des 2 actions qui le servent" in html


def test_the_same_figures_in_the_deliverable_and_the_status_json() -> None:
    from mixplan.outputs.status import status_data

    text = SHOP.replace(
        "baseline: 48000, measure: total", "baseline: 48000, measure: total, measured: [{month: 2027-11, value: 31200}]"
    )
    plan = mixplan.Plan.model_validate(__import__("yaml").safe_load(text))
    sales = next(o for o in status_data(plan)["objectives"] if o["id"] == "ca-fetes")
    assert (sales["scope"], sales["actual"], sales["measured"], sales["attributed"], sales["plan_total"]) == (
        "measured",
        "31200.00",
        "31200.00",
        "2100.00",
        "10900.00",
    )
    assert sales["contributing"] == [{"id": "vitrine", "value": "1300.00"}, {"id": "coffrets", "value": "800.00"}]
    assert sales["measure"] == "total" and sales["from"] == "2027-11-01"
    markdown = _plain_spaces(mixplan.render(plan, "md"))
    assert "| 31 200 € | mesuré pour l’entreprise | 10 900 € |" in markdown
    assert "  - 31 200 € mesuré pour l’entreprise\n  - 2 100 € issu des 2 actions" in markdown


# --- MP504-MP507: pass cases beside the broken plans of test_validate_errors -------------------

RESULTS = "results:\n  - {means: ads, month: 2027-02, signups: 30}\n  - {means: promo, month: 2027-02, signups: 25}\n"


@pytest.mark.parametrize(
    ("keys", "tail", "rules"),
    [
        ("    measured:\n      - {month: 2027-02, value: 40}\n", RESULTS, ["MP504"]),  # 55 claimed, 40 measured
        ("    measured:\n      - {month: 2027-02, value: 55}\n", RESULTS, []),  # exactly what was measured
        # Only the measured months are compared: March's rows are not held against February's figure.
        (
            "    measured:\n      - {month: 2027-02, value: 60}\n",
            RESULTS + "  - {means: ads, month: 2027-03, signups: 90}\n",
            [],
        ),
        # A level: 100 at the start + 55 gained is above the 120 measured at the end of February.
        ("    measure: level\n    measured:\n      - {month: 2027-02, value: 120}\n", RESULTS, ["MP504"]),
        ("    measure: level\n    measured:\n      - {month: 2027-02, value: 160}\n", RESULTS, []),
        ("    scope: all\n", RESULTS, []),  # nothing measured: nothing to compare
    ],
)
def test_attributed_above_measured(keys: str, tail: str, rules: list[str]) -> None:
    assert _rules(_with(keys, tail=tail)) == rules


@pytest.mark.parametrize(
    ("keys", "tail", "rules"),
    [
        ("", "results:\n  - {means: ads, month: 2027-02, clicks: 120}\n", ["MP505"]),
        ("", "results:\n  - {means: ads, month: 2027-02, clicks: 120, signups: 4}\n", []),
        (
            "    measured:\n      - {month: 2027-02, value: 40}\n",
            "results:\n  - {means: ads, month: 2027-02, clicks: 120}\n",
            [],
        ),
        ("", "", []),  # no results yet: nothing is missing
    ],
)
def test_objective_unmeasured(keys: str, tail: str, rules: list[str]) -> None:
    assert _rules(_with(keys, tail=tail)) == rules


def test_objective_unmeasured_for_a_rate_needs_both_counts() -> None:
    keys = "    measure: rate\n"
    text = _with(keys, metric="cac").replace(
        "    target: 500\n    baseline: 100\n", "    target: 50\n    baseline: 90\n"
    )
    assert _rules(text + "results:\n  - {means: ads, month: 2027-02, spend: 120}\n") == ["MP505"]
    assert _rules(text + "results:\n  - {means: ads, month: 2027-02, spend: 120, new_customers: 3}\n") == []


@pytest.mark.parametrize(
    ("keys", "rules"),
    [
        ("    from: 2027-03-01\n    measured:\n      - {month: 2027-02, value: 40}\n", ["MP506"]),
        ("    from: 2027-03-15\n    measured:\n      - {month: 2027-03, value: 40}\n", []),  # the window's first month
        ("    measured:\n      - {month: 2027-06, value: 40}\n", []),  # the deadline's month
        ("    measured:\n      - {month: 2027-02, value: 40}\n      - {month: 2027-02, value: 12}\n", ["MP507"]),
        ("    measured:\n      - {month: 2027-02, value: 40}\n      - {month: 2027-03, value: 12}\n", []),
    ],
)
def test_measured_months(keys: str, rules: list[str]) -> None:
    assert _rules(_with(keys)) == rules
