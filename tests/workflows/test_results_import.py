"""`mixplan results import`: a realistic export, bad rows by line, untouched plans on failure, comments kept."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app

from ..conftest import ASSETS, ROOT

EXPORT = ASSETS / "results-export.csv"
EXPORT_MAP = [
    "--map",
    "Week starting=month",
    "--map",
    "Campaign=means",
    "--map",
    "Cost=spend",
    "--map",
    "Impr.=impressions",
    "--map",
    "Sign-ups=signups",
    "--map",
    "New customers=new_customers",
    "--map",
    "CTR=-",
]

runner = CliRunner()


def _run(*args: str):
    result = runner.invoke(app, list(args))
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.fixture
def saas_plan(tmp_path: Path) -> Path:
    target = tmp_path / "plan.yaml"
    target.write_bytes((ROOT / "examples" / "en-b2b-saas.yaml").read_bytes())
    return target


def _comments(text: str) -> list[str]:
    # A comment starts at a # at the start of a line or after a space, outside quotes in these plans.
    return [match.group(0).rstrip() for match in re.finditer(r"(?:^|(?<= ))#.*$", text, re.MULTILINE)]


def test_a_realistic_export_is_merged(saas_plan: Path) -> None:
    original = saas_plan.read_text(encoding="utf-8")
    rows = list(csv.DictReader(EXPORT.open(encoding="utf-8")))
    assert len(rows) >= 100

    result, shown = _run("results", "import", str(saas_plan), str(EXPORT), *EXPORT_MAP)

    assert result.exit_code == 0, shown
    assert "114 CSV rows, 14 month(s) added, 12 replaced" in result.stderr
    merged = saas_plan.read_text(encoding="utf-8")
    assert _comments(merged) == _comments(original) and _comments(original)
    plan = mixplan.validate(saas_plan).plan
    assert plan is not None
    # Weekly rows of one campaign add up into its month.
    march = [r for r in rows if r["Campaign"] == "google-search" and r["Week starting"].startswith("2027-03")]
    row = next(r for r in plan.results if r.means == "google-search" and f"{r.month:%Y-%m}" == "2027-03")
    assert row.spend == sum(Decimal(r["Cost"]) for r in march)
    assert row.clicks == sum(int(r["Clicks"]) for r in march)
    assert row.reach is None  # a replaced month holds the imported counts only
    # Everything before results is untouched, byte for byte.
    head = original.split("\nresults:")[0]
    assert merged.startswith(head)


def test_every_comment_of_a_commented_plan_survives(tmp_path: Path) -> None:
    plan_path = mixplan.init_plan(tmp_path / "plan.yaml", language="en")
    original = plan_path.read_text(encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("means,month,spend,clicks,impressions\nsocial-ads,2027-02,410.50,380,41000\n", encoding="utf-8")

    result, shown = _run("results", "import", str(plan_path), str(export))

    assert result.exit_code == 0, shown
    merged = plan_path.read_text(encoding="utf-8")
    assert _comments(merged) == _comments(original)
    assert len(_comments(original)) > 100
    assert "  - {means: social-ads, month: 2027-02, spend: 410.50, impressions: 41000, clicks: 380}\n" in merged
    assert mixplan.validate(plan_path).ok


BAD = """means,month,spend,clicks
google-search,2027-03,100.00,40
googel-search,2027-03,100.00,40
social-ads,2026-12,50,10
social-ads,2027-05,-20,10
trade-guides,2027-05,12.5,many
trade-guides,2027-13,1,1
"""


def test_bad_rows_are_reported_by_line_and_nothing_is_written(saas_plan: Path, tmp_path: Path) -> None:
    before = saas_plan.read_bytes()
    export = tmp_path / "bad.csv"
    export.write_text(BAD, encoding="utf-8")

    result, shown = _run("results", "import", str(saas_plan), str(export))

    assert result.exit_code == 1, shown
    err = result.stderr
    assert f"{export}: 5 problem(s); the plan was not changed" in err
    assert f"{export}:3: unknown means 'googel-search' (did you mean 'google-search'?)" in err
    assert f"{export}:4: month 2026-12 is outside the plan's period (2027-02-01 to 2027-09-30)" in err
    assert f"{export}:5: column 'spend': must be 0 or more, got '-20'" in err
    assert f"{export}:6: column 'clicks': 'many' is not a whole number: write a count without decimals" in err
    assert "Input should" not in err
    assert f"{export}:7: column 'month': expected a month written YYYY-MM" in err
    assert ":2:" not in err
    assert "Traceback" not in result.output + err
    assert saas_plan.read_bytes() == before


@pytest.mark.parametrize(
    ("csv_text", "args", "message"),
    [
        ("Campaign,month\nx,2027-02\n", [], "unknown column(s) 'Campaign'"),
        ("means,spend\ngoogle-search,3\n", [], "no month column"),
        ("means,month,Cost,spend\ngoogle-search,2027-02,1,2\n", ["--map", "Cost=spend"], "several columns give spend"),
        ("means,month\n", ["--map", "Cost=spendd"], "'spendd' is not a results field (did you mean 'spend'?)"),
        ("means,month\n", ["--map", "Cost"], "write it COLUMN=FIELD"),
        ("", [], "empty file"),
    ],
)
def test_unusable_csv_is_a_usage_error(
    saas_plan: Path, tmp_path: Path, csv_text: str, args: list[str], message: str
) -> None:
    before = saas_plan.read_bytes()
    export = tmp_path / "export.csv"
    export.write_text(csv_text, encoding="utf-8")
    result, shown = _run("results", "import", str(saas_plan), str(export), *args)
    assert result.exit_code == 2, shown
    assert message in result.stderr, shown
    assert saas_plan.read_bytes() == before


def test_missing_csv_and_invalid_plan(saas_plan: Path, tmp_path: Path) -> None:
    result, shown = _run("results", "import", str(saas_plan), str(tmp_path / "none.csv"))
    assert result.exit_code == 2 and "no such file" in result.stderr, shown

    broken = tmp_path / "broken.yaml"
    broken.write_text(saas_plan.read_text(encoding="utf-8").replace("cost: 18000", "cost: -1"), encoding="utf-8")
    before = broken.read_bytes()
    export = tmp_path / "ok.csv"
    export.write_text("means,month,spend\ngoogle-search,2027-05,10\n", encoding="utf-8")
    result, shown = _run("results", "import", str(broken), str(export))
    assert result.exit_code == 1, shown
    assert "fix the plan's errors before importing results" in result.stderr
    assert broken.read_bytes() == before


def test_semicolons_bom_dates_and_decimal_counts(saas_plan: Path, tmp_path: Path) -> None:
    export = tmp_path / "fr.csv"
    export.write_bytes("\ufeffmeans;month;spend;clicks\ninstaller-show;2027-06-07;1200.00;12.0\n".encode())
    result, shown = _run("results", "import", str(saas_plan), str(export))
    assert result.exit_code == 0, shown
    row = mixplan.load_plan(saas_plan).results[-1]
    assert (row.means, f"{row.month:%Y-%m}", row.spend, row.clicks) == (
        "installer-show",
        "2027-06",
        Decimal("1200.00"),
        12,
    )


@pytest.mark.slow
def test_import_through_a_real_process(saas_plan: Path, tmp_path: Path) -> None:
    export = tmp_path / "bad.csv"
    export.write_text(BAD, encoding="utf-8")
    before = saas_plan.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "results", "import", str(saas_plan), str(export)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"{export}:3: unknown means" in done.stderr
    assert saas_plan.read_bytes() == before
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "results", "import", str(saas_plan), str(EXPORT), *EXPORT_MAP],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_a_plan_without_results_gets_the_section(tmp_path: Path, minimal_text: str) -> None:
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(minimal_text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("month,means,spend\n2027-02,ads,120\n2027-02,ads,30.5\n", encoding="utf-8")
    result, shown = _run("results", "import", str(plan_path), str(export))
    assert result.exit_code == 0, shown
    merged = plan_path.read_text(encoding="utf-8")
    assert merged.startswith(minimal_text)
    assert merged.endswith("results:\n  - {means: ads, month: 2027-02, spend: 150.5}\n")


def test_results_in_the_middle_of_a_plan(tmp_path: Path, minimal_text: str) -> None:
    # results before schedule: only the results lines change.
    text = minimal_text.replace(
        "\nschedule:", "\nresults:  # measured\n  - {means: ads, month: 2027-01, spend: 10}\n\nschedule:", 1
    )
    assert text != minimal_text
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("means,month,spend\nads,2027-01,12\nads,2027-03,\n", encoding="utf-8")
    result, shown = _run("results", "import", str(plan_path), str(export))
    assert result.exit_code == 0, shown
    merged = plan_path.read_text(encoding="utf-8")
    assert (
        "results:  # measured\n  - {means: ads, month: 2027-01, spend: 12}\n  - {means: ads, month: 2027-03}\n"
        in merged
    )
    assert merged.replace("spend: 12}\n  - {means: ads, month: 2027-03}", "spend: 10}") == text
