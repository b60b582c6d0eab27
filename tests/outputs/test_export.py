"""`mixplan export`: calendars, CSV and workbooks read back with their own parsers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import icalendar
import openpyxl
import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.outputs.exports import to_csv, to_ics, to_xlsx
from mixplan.present.labels import labels
from mixplan.views.forecast import forecast
from mixplan.views.mix import mix_view

from ..conftest import ASSETS, EXAMPLES

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.stem)
def example(request) -> Path:
    return request.param


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --- ICS ------------------------------------------------------------------------------------


def test_ics_has_one_all_day_event_per_flight_and_milestone_with_the_plan_dates(example: Path) -> None:
    plan = mixplan.load_plan(example)
    found = events(to_ics(plan))
    assert len(found) == len(plan.scheduled) + len(plan.milestones)
    names = {m.id: m.name for m in plan.means}
    expected = sorted(
        [(names[e.means], e.start, e.end) for e in plan.scheduled]
        + [(m.milestone, m.date, m.date) for m in plan.milestones]
    )
    one_day = dt.timedelta(days=1)
    got = []
    for event in found:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        # All-day values are dates, not datetimes, and DTEND is exclusive.
        assert type(start) is dt.date and type(end) is dt.date
        got.append((str(event["summary"]), start, end - one_day))
    assert sorted(got) == expected


def test_ics_description_tells_channel_p_approach_targets_objectives_cost_owner() -> None:
    plan = mixplan.load_plan(EXAMPLES[0])  # en-b2b-saas
    event = next(e for e in events(to_ics(plan)) if str(e["summary"]).startswith("Search ads on trade"))
    assert str(event["description"]).splitlines() == [
        "Channel: Search ads (SEA)",
        "P: Promotion",
        "Approach: Operational",
        "Targets: Sole-trader tradespeople; Owners of small crews",
        "Objectives: "
        + "; ".join(o.statement for o in plan.objectives if o.id in ("trial-signups", "lower-cac", "site-conversion")),
        "Cost: £18,000",
        "Owner: Tom Ellery (agency, paid media)",
    ]


def test_ics_description_follows_the_plan_language() -> None:
    plan = mixplan.load_plan(EXAMPLES[1])  # fr-epicerie-fine
    description = str(events(to_ics(plan))[0]["description"])
    assert "Canal\u202f: " in description
    assert "\u202f€" in description or "\u00a0€" in description


def test_ics_uids_are_stable_across_exports_and_differ_across_plans(example: Path) -> None:
    plan = mixplan.load_plan(example)
    first = [str(e["uid"]) for e in events(to_ics(plan, stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))]
    again = [str(e["uid"]) for e in events(to_ics(mixplan.load_plan(example)))]
    assert first == again
    assert len(set(first)) == len(first)
    other = plan.model_copy(update={"plan": plan.plan.model_copy(update={"title": "Another plan"})})
    assert set(first).isdisjoint(str(e["uid"]) for e in events(to_ics(other)))


def test_ics_uid_survives_a_moved_flight(write_plan, minimal_text: str) -> None:
    before = {str(e["summary"]): str(e["uid"]) for e in events(to_ics(mixplan.load_plan(write_plan(minimal_text))))}
    moved = minimal_text.replace("{means: ads, start: 2027-01-10", "{means: ads, start: 2027-01-17")
    after = {
        str(e["summary"]): str(e["uid"]) for e in events(to_ics(mixplan.load_plan(write_plan(moved, "moved.yaml"))))
    }
    assert before == after


def test_ics_is_rfc_5545_text(example: Path) -> None:
    data = to_ics(mixplan.load_plan(example))
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    for event in events(data):
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_is_the_action_plan_in_the_plan_language(example: Path) -> None:
    plan = mixplan.load_plan(example)
    lab = labels(plan.plan.language)
    rows = list(csv.reader(io.StringIO(to_csv(plan))))
    assert rows[0] == [
        lab["export"]["id"], lab["columns"]["action"], lab["columns"]["channel"], lab["columns"]["p"],
        lab["columns"]["approach"], lab["columns"]["targets"], lab["columns"]["objectives"], lab["columns"]["owner"],
        lab["columns"]["cost"], lab["columns"]["start"], lab["columns"]["end"], lab["export"]["flights"],
    ]  # fmt: skip
    assert [r[0] for r in rows[1:]] == [m.id for m in plan.means]
    targets = {t.id: t.name for t in plan.targets}
    for row, item in zip(rows[1:], plan.means, strict=True):
        assert row[1] == item.name
        assert row[2] == lab["channels"][item.channel]
        assert row[3] == lab["ps"][item.mix_p]
        assert row[5].split("; ") == [targets[t] for t in item.targets]
        assert row[7] == (item.owner or "")
        assert Decimal(row[8]) == item.cost
        flights = [e for e in plan.scheduled if e.means == item.id]
        assert dt.date.fromisoformat(row[9]) == min(e.start for e in flights)
        assert dt.date.fromisoformat(row[10]) == max(e.end for e in flights)
        assert row[11] == "; ".join(f"{e.start}/{e.end}" for e in sorted(flights, key=lambda e: e.start))
    assert sum(Decimal(r[8]) for r in rows[1:]) == mix_view(plan).means_cost


def test_csv_amounts_are_plain_decimals(write_plan, minimal_text: str) -> None:
    plan = mixplan.load_plan(write_plan(minimal_text.replace("cost: 500", "cost: 1234567.5")))
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    assert rows[0]["Cost"] == "1234567.5"


def test_csv_leaves_dates_empty_for_an_unscheduled_means(write_plan, minimal_text: str) -> None:
    text = minimal_text.replace("  - {means: promo, start: 2027-02-01, end: 2027-02-28}\n", "")
    rows = list(csv.DictReader(io.StringIO(to_csv(mixplan.load_plan(write_plan(text))))))
    assert (rows[1]["Start"], rows[1]["End"]) == ("", "")


# --- XLSX -----------------------------------------------------------------------------------


def workbook(plan) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(plan)))


def test_xlsx_action_plan_has_numeric_costs_real_dates_and_a_sum_formula(example: Path) -> None:
    plan = mixplan.load_plan(example)
    sheet = workbook(plan).worksheets[0]
    assert sheet.title == labels(plan.plan.language)["sections"]["actions"]
    assert sheet.freeze_panes == "A2"
    count = len(plan.means)
    assert sheet.auto_filter.ref == f"A1:L{count + 1}"
    costs = [sheet.cell(row, 9).value for row in range(2, count + 2)]
    assert all(isinstance(cost, (int, float)) for cost in costs)
    assert sum(Decimal(str(cost)) for cost in costs) == mix_view(plan).means_cost
    assert sheet.cell(count + 2, 9).value == f"=SUM(I2:I{count + 1})"
    assert plan.plan.currency != "" and "0.00" in sheet.cell(2, 9).number_format
    assert isinstance(sheet.cell(2, 10).value, dt.datetime)
    assert (sheet.page_setup.orientation, sheet.print_title_rows) == ("landscape", "$1:$1")


def test_xlsx_cached_totals_match_the_plan(example: Path) -> None:
    plan = mixplan.load_plan(example)
    view = mix_view(plan)
    values = openpyxl.load_workbook(io.BytesIO(to_xlsx(plan)), data_only=True)
    budget = values.worksheets[1]
    summary = {budget.cell(row, 1).value: budget.cell(row, 2).value for row in range(2, 8)}
    b = labels(plan.plan.language)["budget"]
    assert Decimal(str(summary[b["means_total"]])) == view.means_cost
    assert Decimal(str(summary[b["lines_total"]])) == view.lines_cost
    assert Decimal(str(summary[b["allocated"]])) == view.allocated
    assert Decimal(str(summary[b["remaining"]])) == view.remaining
    assert Decimal(str(summary[b["total"]])) == view.total


def test_xlsx_budget_sheet_sums_by_p_and_channel_with_formulas(example: Path) -> None:
    plan = mixplan.load_plan(example)
    lab = labels(plan.plan.language)
    budget = workbook(plan).worksheets[1]
    cells = {budget.cell(row, 1).value: budget.cell(row, 2).value for row in range(1, budget.max_row + 1)}
    assert cells[lab["budget"]["allocated"]] == "=SUM(B2:B4)"
    assert cells[lab["budget"]["remaining"]] == "=B6-B5"
    assert cells[lab["ps"]["promotion"]].startswith("=SUMIF(")
    assert cells[lab["channels"][plan.means[0].channel]].startswith("=SUMIF(")
    titles = [budget.cell(row, 1).value for row in range(1, budget.max_row + 1)]
    for title in ("summary", "by_p", "by_channel", "lines"):
        assert lab["budget"][title] in titles


def test_xlsx_results_sheet_only_when_the_plan_has_results(example: Path, write_plan, minimal_text: str) -> None:
    plan = mixplan.load_plan(example)
    book = workbook(plan)
    # The action plan, the budget, the results and the objectives' progress, then the forecast's sheets if any.
    forecast_sheets = bool(plan.assumptions or any(m.funnel for m in plan.means)) + forecast(plan).has_funnel
    assert len(book.worksheets) == 4 + forecast_sheets
    results = book.worksheets[2]
    spend = [results.cell(row, 4).value for row in range(2, len(plan.results) + 2)]
    assert sum(Decimal(str(value)) for value in spend) == sum(r.spend or 0 for r in plan.results)
    assert isinstance(results.cell(2, 1).value, dt.datetime)
    assert results.cell(len(plan.results) + 2, 4).value == f"=SUM(D2:D{len(plan.results) + 1})"
    assert len(workbook(mixplan.load_plan(write_plan(minimal_text))).worksheets) == 2


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_xlsx_objectives_show_the_dashboard_figures_and_their_scope(example: Path) -> None:
    from mixplan.outputs.status import status_data

    plan = mixplan.load_plan(example)
    sheet = workbook(plan).worksheets[3]
    data = {o["id"]: o for o in status_data(plan)["objectives"]}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == list(data)
    for row in rows:
        shown = data[row[0]]
        for column, key in ((3, "target"), (4, "expected"), (5, "actual"), (7, "plan_total"), (8, "attainment")):
            expected = shown[key]
            assert (row[column] is None) == (expected is None), (row[0], key)
            if expected is not None:
                assert abs(Decimal(str(row[column])) - Decimal(expected)) < Decimal("0.01"), (row[0], key)
        assert row[6] and row[10]  # where the actual comes from, and how each figure is counted


def test_xlsx_sheet_reference_survives_an_apostrophe() -> None:
    plan = mixplan.load_plan(EXAMPLES[1])  # French: "Plan d’action", a name Excel must quote
    book = workbook(plan)
    assert book.worksheets[0].title == "Plan d’action"
    assert book.worksheets[1].cell(2, 2).value.startswith("='Plan d’action'!")


# --- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["ics", "csv", "xlsx"])
def test_export_takes_the_format_from_the_suffix(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"plan.{suffix}"
    result = invoke("export", EXAMPLES[0], "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    head = out.read_bytes()[:20]
    assert head.startswith({"ics": b"BEGIN:VCALENDAR", "csv": b"Id,Action", "xlsx": b"PK"}[suffix])


def test_export_to_stdout_for_text_formats() -> None:
    result = invoke("export", EXAMPLES[0], "--to", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Id,Action,Channel")


def test_export_lang_overrides_the_plan_language() -> None:
    result = invoke("export", EXAMPLES[0], "--to", "csv", "--lang", "fr")
    assert result.stdout.startswith("Identifiant,Action,Canal")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "xlsx"], "an xlsx workbook is not text: name the file to write with -o FILE.xlsx"),
        (["--to", "pdf"], "unknown export format 'pdf': use ics, csv or xlsx"),
        ([], "say which format to export: --to ics|csv|xlsx, or an -o file ending in .ics, .csv or .xlsx"),
        (
            ["-o", "plan.txt"],
            "cannot tell the format from 'plan.txt': name it .ics, .csv or .xlsx, or pass --to ics|csv|xlsx",
        ),
        (["--to", "csv", "--lang", "de"], "unknown language 'de': use fr or en"),
    ],
)
def test_export_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = invoke("export", EXAMPLES[0], *args)
    assert result.exit_code == 2, result.output
    assert f"mixplan: {message}" in result.stderr


def test_export_never_writes_over_the_plan(tmp_path: Path, minimal_text: str) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(minimal_text)
    result = invoke("export", plan, "-o", plan)
    assert result.exit_code == 2
    assert "that is the plan itself; choose another output file" in result.stderr
    assert plan.read_text() == minimal_text


def test_export_refuses_an_invalid_plan_with_the_validate_messages(tmp_path: Path) -> None:
    broken = ASSETS / "broken" / "budget-over.yaml"
    out = tmp_path / "out.csv"
    validated = invoke("validate", broken)
    result = invoke("export", broken, "-o", out)
    assert result.exit_code == 1
    for line in validated.stdout.splitlines()[:-1]:
        assert line in result.stderr
    assert "not exported, the plan has 1 error" in result.stderr
    assert not out.exists()


def test_export_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = invoke("export", tmp_path / "missing.yaml", "--to", "ics")
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr and "Traceback" not in result.output


def test_export_in_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "export", str(EXAMPLES[1]), "-o", str(out)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert len(events(out.read_bytes())) == len(mixplan.load_plan(EXAMPLES[1]).schedule)
