"""`mixplan status` (text and JSON) and the dashboard in the deliverable."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.outputs.status import status_data, status_text

from ..conftest import ROOT

SAAS = ROOT / "examples" / "en-b2b-saas.yaml"
runner = CliRunner()


def _run(*args: str):
    result = runner.invoke(app, list(args))
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_status_text_shows_spend_objectives_behind_and_months() -> None:
    result, shown = _run("status", str(SAAS))
    assert result.exit_code == 0, shown
    out = result.stdout
    assert "as of 30 Apr 2027" in out
    assert "| Whole plan | " in out and "78,500 GBP" in out and "14,231 GBP" in out
    # No objective is better than expected (the forecast tables below may be).
    before_forecast = out.split("Forecast vs actual")[0]
    assert "| Generate 1,600" in out and "! behind" in out and "! worse" in out
    assert "+ better" not in before_forecast
    assert "Means behind" in out and "merchant-partnership" in out
    assert "| 2027-02 " in out and "| 2027-09 " in out
    assert "Forecast vs actual" in out
    # Piped output is plain: no colour codes, no box drawing.
    assert "\x1b[" not in out and "█" not in out
    assert result.stderr == ""


def test_status_text_in_colour_for_a_terminal() -> None:
    text = status_text(mixplan.load_plan(SAAS), width=140, color=True)
    assert "\x1b[" in text and "▼ behind" in text and "█" in text


def test_status_json_is_documented_and_exact() -> None:
    result, shown = _run("status", str(SAAS), "--format", "json")
    assert result.exit_code == 0, shown
    data = json.loads(result.stdout)
    assert data["mixplan_status"] == 1 and data["as_of"] == "2027-04-30" and data["tolerance"] == "0.1000"
    assert set(data) == {
        "mixplan_status",
        "plan",
        "as_of",
        "tolerance",
        "budget",
        "spend",
        "values",
        "by_p",
        "objectives",
        "means",
        "months",
        "forecast",
        "funnel",
    }
    assert data["spend"] == {
        "planned": "78500.00",
        "planned_to_date": "30080.00",
        "actual": "14230.95",
        "variance": "-15849.05",
        "consumed": "0.1813",
    }
    first = data["objectives"][0]
    assert (first["id"], first["metric"], first["target"], first["actual"], first["status"]) == (
        "trial-signups",
        "signups",
        "1600",
        "295",
        "behind",
    )
    assert first["expected"] == "588.43" and first["elapsed"] == "0.3678"
    assert [m["month"] for m in data["months"]][:2] == ["2027-02", "2027-03"]
    assert data["months"][5]["actual"] is None
    search = next(m for m in data["means"] if m["id"] == "google-search")
    assert search["behind"] is True and search["forecast"][0]["metric"] == "conversions"
    # Totals and levels are ahead, on track or behind; rates and costs better, on target or worse.
    assert {o["status"] for o in data["objectives"]} == {"behind", "worse"}


def test_status_without_results_says_so(minimal_text: str, write_plan) -> None:
    path = write_plan(minimal_text.split("\nresults:")[0])
    result, shown = _run("status", str(path))
    assert result.exit_code == 0, shown
    assert "no results yet" in result.stdout and "no data" in result.stdout
    data = json.loads(_run("status", str(path), "--format", "json")[0].stdout)
    assert data["as_of"] is None and data["spend"]["actual"] is None


def test_status_errors(write_plan, tmp_path: Path) -> None:
    result, shown = _run("status", str(SAAS), "--format", "xml")
    assert result.exit_code == 2 and "unknown format 'xml': use text or json" in result.stderr, shown
    result, shown = _run("status", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2 and "missing.yaml" in result.stderr, shown
    broken = write_plan(SAAS.read_text(encoding="utf-8").replace("cost: 18000", "cost: lots"))
    result, shown = _run("status", str(broken))
    assert result.exit_code == 1, shown
    assert "no status, the plan has 1 error" in result.stderr and result.stdout == ""


@pytest.mark.slow
def test_status_through_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "status", str(SAAS), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["as_of"] == "2027-04-30"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "status", str(SAAS)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and "Objectives" in done.stdout and "\x1b[" not in done.stdout


# --- the deliverable ----------------------------------------------------------------


def test_dashboard_only_with_results(minimal_text: str) -> None:
    without = mixplan.Plan.model_validate(yaml.safe_load(minimal_text))
    assert without.results == [] and all(m.forecast is None for m in without.means)
    with_results = mixplan.Plan.model_validate(
        yaml.safe_load(minimal_text + "\nresults:\n  - {means: ads, month: 2027-02, spend: 100, clicks: 40}\n")
    )
    for fmt in ("md", "html"):
        assert "Dashboard: planned versus actual" not in mixplan.render(without, fmt, language="en")
        assert "Forecast" not in mixplan.render(without, fmt, language="en")
        assert "Dashboard: planned versus actual" in mixplan.render(with_results, fmt, language="en")


def test_forecast_shows_before_results(minimal_text: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["means"][0]["forecast"] = {"spend": 400, "revenue": 1000, "new_customers": 8, "conversions": 20}
    md = mixplan.render(mixplan.Plan.model_validate(data), "md", language="en")
    assert "Dashboard: planned versus actual" not in md
    assert "| Return on investment (ROI) | 150% |" in md
    assert "| Customer acquisition cost (CAC) | €50 |" in md
    assert "| Conversions | 20 |" in md


def test_html_dashboard_reads_in_greyscale() -> None:
    html = mixplan.render(mixplan.load_plan(SAAS), "html")
    section = html[html.index('<section id="dashboard">') : html.index('<section id="forecast">')]
    assert "<svg" in section and "<title" in section
    # Each status carries a symbol and a word, not only a colour.
    assert '<span class="status status-behind"><span aria-hidden="true">▼</span> Behind</span>' in section
    assert '<span class="status status-worse"><span aria-hidden="true">▼</span> Worse</span>' in section
    # Planned bars are outlined, actual bars solid: they differ without colour.
    assert 'fill="#ffffff" stroke="#1d232b"' in section and 'fill="#1f4e79"' in section
    assert "http" not in section


def test_french_dashboard() -> None:
    md = mixplan.render(mixplan.load_plan(ROOT / "examples" / "fr-epicerie-fine.yaml"), "md")
    assert "## Tableau de bord\u202f: prévu et réalisé" in md
    assert "Chiffres au 31 mars 2027." in md
    assert "▼ En retard" in md and "| mars 2027 |" in md
    assert "## Prévisions" in md


# --- how each objective is counted, and the width of the terminal ----------------------------


def test_status_json_says_where_each_objective_figure_comes_from() -> None:
    data = status_data(mixplan.load_plan(SAAS))
    customers = next(o for o in data["objectives"] if o["id"] == "paid-customers")
    # Every key of format 1 is still there; the new ones are added.
    assert {
        "id",
        "statement",
        "deadline",
        "metric",
        "target",
        "baseline",
        "expected",
        "actual",
        "variance",
        "attainment",
        "elapsed",
        "status",
        "means",
    } < set(customers)
    # Paying accounts: a level measured by the billing system, with the actions' figures beside it.
    assert (customers["scope"], customers["measure"], customers["actual"]) == ("measured", "level", "1529")
    baseline = Decimal(customers["baseline"])
    assert Decimal(customers["plan_total"]) == baseline + Decimal(data["values"]["new_customers"])
    contributing = sum(Decimal(c["value"]) for c in customers["contributing"])
    assert Decimal(customers["attributed"]) == baseline + contributing == Decimal(1467)
    assert {c["id"] for c in customers["contributing"]} <= set(customers["means"]) | {m["id"] for m in data["means"]}


@pytest.mark.parametrize("width", [80, 160])
def test_status_fits_the_terminal_width(width: int) -> None:
    text = status_text(mixplan.load_plan(SAAS), width=width, color=False)
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    # Statements name the objectives, not ids; each scope is said.
    assert "trial-signups" not in text and "Generate 1,600 free-trial" in text
    assert "How each figure is counted" in text and "from all actions" in text
    # No figure is cut to an ellipsis or wrapped away from its currency.
    figures_cells = [cell.strip() for line in lines if line.startswith("|") for cell in line.split("|")[2:]]
    assert not any(cell.endswith("…") for cell in figures_cells)
    assert not any(line.strip(" |") in ("GBP", "") and "GBP" in line for line in lines)
    if width == 80:
        assert "Objectives (GBP)" in text and " 282 | ! worse" in text and "78.5k" in text
    else:
        assert "282 GBP" in text and "78,500 GBP" in text and "all actions" in text.split("How each")[0]


def test_a_long_statement_is_shortened_at_a_word() -> None:
    from mixplan.outputs.status import shorten

    assert shorten("Win 520 new paying businesses by the end of September 2027.", 24) == "Win 520 new paying…"
    assert shorten("Grow sign-ups.", 24) == "Grow sign-ups"
    assert len(shorten("x" * 40, 10)) == 10


@pytest.mark.parametrize(("cost", "shown"), [("500", "500 EUR"), ("499.90", "499.90 EUR")])
def test_status_shows_cents_only_when_the_plan_writes_them(minimal_text: str, cost: str, shown: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["means"][0]["cost"] = cost
    data["results"] = [{"means": "ads", "month": "2027-01", "spend": "120.55", "new_customers": 3}]
    text = status_text(mixplan.Plan.model_validate(data), width=160, color=False)
    assert f"| {shown} |" in text.replace("  ", " ").replace("  ", " ")
    # The measured spend follows the plan: whole units unless the plan writes cents.
    assert ("120.55 EUR" in text) is (cost != "500") and ("121 EUR" in text) is (cost == "500")


def test_status_json_carries_the_forecast_before_launch(tmp_path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text((ROOT / "tests" / "assets" / "broken" / "forecast-short.yaml").read_text(encoding="utf-8"))
    result, shown = _run("status", str(plan), "--format", "json")
    assert result.exit_code == 0, shown
    funnel = json.loads(result.stdout)["funnel"]
    (grow,) = funnel["objectives"]
    assert (grow["id"], grow["target"], grow["forecast"], grow["short"]) == (
        "grow",
        "500",
        {"low": "200", "base": "200", "high": "200"},
        True,
    )
    ads = funnel["means"][0]
    assert ads["total"]["signups"] == {"low": "120", "base": "120", "high": "120"}
    assert ads["total"]["spend"]["base"] == "500.00"
    assert [row["month"] for row in funnel["budget_by_month"]] == ["2027-01", "2027-02", "2027-03"]
    assert sum(Decimal(row["promotion"]) + Decimal(row["price"]) for row in funnel["budget_by_month"]) == 850


def test_the_python_api_exposes_the_forecast() -> None:
    outlook = mixplan.forecast(mixplan.load_plan(ROOT / "tests" / "assets" / "broken" / "forecast-short.yaml"))
    assert outlook.objectives[0].value.base == 200


def test_status_shows_the_funnel_forecast_against_actual_by_means_and_month() -> None:
    from ..views.test_progress_forecast import PLAN

    plan = mixplan.Plan.model_validate(yaml.safe_load(PLAN))
    data = status_data(plan)
    conversions = data["forecast"][0]
    # January's 600 € at 2.00 (1.60 to 2.50) a click, 5 % (4 to 6 %) converting: 15 (9.6 to 22.5) against 17.
    assert conversions == {
        "metric": "conversions",
        "forecast": "25",
        "to_date": "15",
        "to_date_low": "9.6",
        "to_date_high": "22.5",
        "actual": "17",
        "status": "ahead",
    }
    search, shop = data["means"]
    assert [c["metric"] for c in search["forecast"]] == ["conversions", "roi", "cac"]
    assert [(m["month"], [c["status"] for c in m["checks"]]) for m in search["forecast_months"]] == [
        ("2027-01", ["ahead", "better", "on_target"])
    ]
    assert shop["forecast"] == [] and shop["forecast_months"] == []
    text = status_text(plan, width=80, color=False)
    assert "Forecast vs actual by month, search" in text and "by month, shop" not in text
    assert "| 2027-01 | CAC         |       80 |     75 | = on target |" in text
    wide = status_text(plan, width=160, color=False)
    # Wide, the range the assumptions give is shown beside the forecast (counts as whole numbers).
    assert "| 2027-01 | conversions |       15 |             10 – 22 |     17 | + ahead     |" in wide
