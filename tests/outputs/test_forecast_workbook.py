"""The workbook's Assumptions and Forecast sheets: formulas over the assumption cells, recalculated as a spreadsheet would."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import mixplan
from mixplan.outputs.exports import to_xlsx
from mixplan.plan import vocab
from mixplan.present.labels import labels
from mixplan.views import forecast as fc

from ..conftest import ASSETS, EXAMPLES

PLAN = ASSETS / "forecast-workbook.yaml"
CENT = Decimal("0.005")
FIGURES = (*vocab.RAW_COUNTS, "roi", "roas", "cac")
ENDS = ("base", "low", "high")


def _book(plan: mixplan.Plan, **options: bool) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(plan)), **options)


def _columns(sheet, language: str = "en", end: str = "base") -> dict[str, int]:
    """Each figure's column (1-based) at one end of the forecast, from the metric labels of the header.

    The spend has no range: its one column serves every end.
    """
    words = labels(language)
    names = {label: key for key, label in words["metrics"].items()}
    if end != "base":
        names = {words["forecast"][f"{end}_of"].format(figure=label): key for label, key in names.items()}
        names[words["metrics"]["spend"]] = "spend"
    return {names[cell.value]: cell.column for cell in sheet[1] if cell.value in names}


def _places(sheet, language: str = "en") -> tuple[dict[tuple[str, dt.date], int], dict[str, int], int]:
    """Where each means' month rows, each means' total row and the whole plan's row are (1-based rows)."""
    words = labels(language)["forecast"]
    months, totals, whole = {}, {}, 0
    in_totals = False
    for row in range(2, sheet.max_row + 1):
        first, month = sheet.cell(row, 1).value, sheet.cell(row, 3).value
        if first == words["by_means"]:
            in_totals = True
        elif first == words["whole_plan"]:
            whole = row
        elif first and in_totals and not whole:
            totals[first] = row
        elif first and isinstance(month, dt.datetime):
            months[(first, month.date())] = row
    return months, totals, whole


def _expected(result: fc.Forecast, end: str = "base") -> dict[tuple[str, str], Decimal | None]:
    """The view's figure for each (place, figure): places are "means@month", "means" and "" (the whole plan)."""
    found: dict[tuple[str, str], Decimal | None] = {}

    def at_end(shown: fc.Range | None) -> Decimal | None:
        return None if shown is None else getattr(shown, end)

    for means, item in result.means.items():
        for month in item.months:
            for figure in FIGURES:
                found[(f"{means}@{month.isoformat()}", figure)] = at_end(item.month_value(month, figure))
        for figure in FIGURES:
            found[(means, figure)] = at_end(item.value(figure))
    for figure in FIGURES:
        found[("", figure)] = at_end(result.total(figure))
    return found


def _cells(sheet, language: str = "en", end: str = "base") -> dict[tuple[str, str], str]:
    """The cell of each (place, figure) at one end, as `_expected` names them."""
    columns = _columns(sheet, language, end)
    months, totals, whole = _places(sheet, language)
    letter = {figure: openpyxl.utils.get_column_letter(column) for figure, column in columns.items()}
    cells = {(f"{m}@{month.isoformat()}", f): f"{letter[f]}{row}" for (m, month), row in months.items() for f in letter}
    cells |= {(means, f): f"{letter[f]}{row}" for means, row in totals.items() for f in letter}
    cells |= {("", f): f"{letter[f]}{whole}" for f in letter}
    return cells


def _same(got: object, expected: Decimal | None) -> bool:
    if expected is None:
        return got in (None, "")  # undefined is an empty cell, never 0
    return isinstance(got, int | float) and abs(Decimal(str(got)) - expected) < CENT


@pytest.fixture(scope="module")
def plan() -> mixplan.Plan:
    return mixplan.load_plan(PLAN)


def test_the_funnel_formulas_refer_to_the_cell_of_the_rate_the_view_uses(plan: mixplan.Plan) -> None:
    book = _book(plan)
    assert book.sheetnames[-2:] == ["Assumptions", "Forecast"]
    rates = book["Assumptions"]
    where = {rates.cell(row, 1).value: f"Assumptions!$D${row}" for row in range(2, rates.max_row + 1)}
    own = next(row for row in rates.iter_rows(min_row=2, values_only=True) if row[0] == "search")
    assert own[3] == 1.25 and own[6] == "The action’s own rate"
    sheet = book["Forecast"]
    columns = _columns(sheet)
    months, _, _ = _places(sheet)

    def formula(means: str, month: dt.date, figure: str) -> str:
        return sheet.cell(months[(means, month)], columns[figure]).value

    march = dt.date(2027, 3, 1)
    # The channel's assumption, the action's own rate over its channel's, and the channel's over the plan-wide.
    assert where["cpc-social"] in formula("social", march, "clicks")
    assert where["search"] in formula("search", march, "clicks")
    assert where["cpc-search"] not in formula("search", march, "clicks")
    assert where["cpc-search"] in formula("brand-search", march, "clicks")
    assert formula("social", march, "clicks").startswith(f'=IF(OR({where["cpc-social"]}=""')
    row = months[("social", march)]
    clicks_cell = f"{openpyxl.utils.get_column_letter(columns['clicks'])}{row}"
    assert formula("social", march, "conversions") == (
        f'=IF(OR({clicks_cell}="",{where["conv"]}=""),"",{clicks_cell}*{where["conv"]})'
    )
    april = dt.date(2027, 4, 1)
    assert where["cpm-display"] in formula("banners", april, "impressions")
    assert where["ctr-display"] in formula("banners", april, "clicks")
    # Counts typed by hand are numbers the later steps build on.
    assert formula("mail", april, "clicks") == 900
    assert formula("mail", april, "sessions") == 700
    assert where["new-share"] in formula("mail", april, "new_customers")
    # An action the funnel cannot reach: its spend, and empty cells, never 0.
    stand = months[("stand", dt.date(2027, 9, 1))]
    assert sheet.cell(stand, columns["spend"]).value == 1200
    assert all(sheet.cell(stand, column).value is None for figure, column in columns.items() if figure != "spend")


@pytest.mark.parametrize("end", ENDS)
@pytest.mark.parametrize("path", [PLAN, *EXAMPLES], ids=lambda p: p.stem)
def test_the_cached_values_are_the_views_figures_to_the_cent(path: Path, end: str) -> None:
    plan = mixplan.load_plan(path)
    book = _book(plan, data_only=True)
    sheet = book[book.sheetnames[-1]]
    cells = _cells(sheet, plan.plan.language, end)
    expected = _expected(fc.forecast(plan), end)
    wrong = {key: (sheet[cells[key]].value, value) for key, value in expected.items() if key in cells}
    wrong = {key: pair for key, pair in wrong.items() if not _same(*pair)}
    assert not wrong
    # Every figure of the view has its cell; the other cells are columns no means fills.
    assert {key for key, value in expected.items() if value is not None} <= set(cells)


def test_the_low_and_high_formulas_take_each_rates_end_and_a_divisors_other_end(plan: mixplan.Plan) -> None:
    book = _book(plan)
    rates = book["Assumptions"]
    row_of = {rates.cell(row, 1).value: row for row in range(2, rates.max_row + 1)}
    sheet = book["Forecast"]
    months, _, _ = _places(sheet)
    march = months[("social", dt.date(2027, 3, 1))]

    def formula(figure: str, end: str) -> str:
        return sheet.cell(march, _columns(sheet, end=end)[figure]).value

    spend = f"D{march}"
    cpc, conv = row_of["cpc-social"], row_of["conv"]
    # The fewest clicks come from the dearest click; the spend column is the base's.
    assert formula("clicks", "low") == (
        f'=IF(OR(IF(Assumptions!$F${cpc}="",Assumptions!$D${cpc},Assumptions!$F${cpc})="",'
        f'IF(Assumptions!$F${cpc}="",Assumptions!$D${cpc},Assumptions!$F${cpc})<=0),"",'
        f'{spend}/IF(Assumptions!$F${cpc}="",Assumptions!$D${cpc},Assumptions!$F${cpc}))'
    )
    assert f"Assumptions!$E${cpc}" in formula("clicks", "high")
    # A product takes the same end of its rate, over the same end's count.
    low_clicks = f"{openpyxl.utils.get_column_letter(_columns(sheet, end='low')['clicks'])}{march}"
    assert f'{low_clicks}*IF(Assumptions!$E${conv}="",Assumptions!$D${conv},Assumptions!$E${conv})' in formula(
        "conversions", "low"
    )
    # A CAC's low end divides by the most new customers.
    high_customers = f"{openpyxl.utils.get_column_letter(_columns(sheet, end='high')['new_customers'])}{march}"
    assert formula("cac", "low").endswith(f"{spend}/{high_customers})")
    # A count typed by hand has no range: each end is the typed cell.
    april = months[("mail", dt.date(2027, 4, 1))]
    base_clicks = f"{openpyxl.utils.get_column_letter(_columns(sheet)['clicks'])}{april}"
    for end in ("low", "high"):
        assert sheet.cell(april, _columns(sheet, end=end)["clicks"]).value == f"={base_clicks}"


def test_assumptions_are_numbers_and_their_text_stays_text(plan: mixplan.Plan) -> None:
    sheet = _book(plan)["Assumptions"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert [rows["cpc-social"][n].value for n in (3, 4, 5)] == [0.8, 0.6, 1]
    assert rows["conv"][3].number_format == "0.0%"
    assert rows["conv"][2].value == "Every channel"
    # Sources that look like formulas are written as strings, never run.
    assert rows["cpc-social"][6].value == '=HYPERLINK("https://example.com","Meta benchmarks")'
    assert rows["cpc-social"][6].data_type == "s"
    assert rows["conv"][6].data_type == "s" and rows["conv"][6].value == "@last year"


def _leaves(catalogue: dict) -> set[str]:
    return {text for value in catalogue.values() for text in (_leaves(value) if isinstance(value, dict) else [value])}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_word_of_the_forecast_sheets_is_the_catalogues(plan: mixplan.Plan, language: str) -> None:
    words = labels(language)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(plan, language=language)))
    assert book.sheetnames[-2:] == [words["forecast"]["assumptions"], words["dashboard"]["forecast_title"]]
    plan_text = {item.id for item in plan.means} | {item.name for item in plan.means}
    plan_text |= {a.id for a in plan.assumptions} | {a.source for a in plan.assumptions if a.source}
    shown = {
        cell.value
        for sheet in book.worksheets[-2:]
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s" and cell.value
    }
    forecast_words = words["forecast"]
    ends = {
        forecast_words[f"{end}_of"].format(figure=label)
        for label in words["metrics"].values()
        for end in ("low", "high")
    }
    assert shown - plan_text <= _leaves(words) | ends
    for key in ("every_channel", "own_rates", "own_rate", "by_means", "whole_plan", "workbook_note", "low", "high"):
        assert forecast_words[key] in shown, key
    clicks = words["metrics"]["clicks"]
    assert {forecast_words["low_of"].format(figure=clicks), forecast_words["high_of"].format(figure=clicks)} <= shown


def test_no_forecast_sheets_without_assumptions_or_forecast(write_plan, minimal_text: str) -> None:
    assert _book(mixplan.load_plan(write_plan(minimal_text))).sheetnames == ["Action plan", "Budget"]
    typed = minimal_text.replace("    cost: 500\n", "    cost: 500\n    forecast: {clicks: 400, signups: 40}\n", 1)
    book = _book(mixplan.load_plan(write_plan(typed)))
    assert book.sheetnames == ["Action plan", "Budget", "Forecast"]
    sheet = book["Forecast"]
    months, _, _ = _places(sheet)
    clicks = [sheet.cell(row, _columns(sheet)["clicks"]).value for (means, _), row in months.items() if means == "ads"]
    # Spread over the months as the cost is; numbers the client can edit.
    assert abs(sum(Decimal(str(value)) for value in clicks) - 400) < CENT


# --- recalculated, as a spreadsheet would ------------------------------------------------


def _recalculate(path: Path, changes: dict[str, float] | None = None, sheet: str = "Forecast") -> dict[str, object]:
    """Every cell's value of `sheet` once the workbook is recalculated, after setting `changes` (Assumptions cells)."""
    import formulas

    model = formulas.ExcelModel().loads(str(path)).finish()
    book = f"[{path.name}]"
    inputs = {f"'{book}ASSUMPTIONS'!{cell}": value for cell, value in (changes or {}).items()}
    solution = model.calculate(inputs=inputs)
    values = {}
    for key, found in solution.items():
        name, _, cell = key.rpartition("!")
        if name.upper() == f"'{book}{sheet}'".upper() and ":" not in cell:
            value = found.value[0][0]
            values[cell] = "" if str(value) == "empty" else value
    return values


@pytest.fixture(scope="module")
def saved(plan: mixplan.Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workbook") / "forecast.xlsx"
    path.write_bytes(to_xlsx(plan))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("path", [PLAN, *EXAMPLES], ids=lambda p: p.stem)
def test_the_recalculated_workbook_gives_the_views_figures_to_the_cent(path: Path, tmp_path: Path) -> None:
    plan = mixplan.load_plan(path)
    saved = tmp_path / "plan.xlsx"
    saved.write_bytes(to_xlsx(plan))
    book = _book(plan)
    sheet_name = book.sheetnames[-1]
    values = _recalculate(saved, sheet=sheet_name)
    result = fc.forecast(plan)
    for end in ENDS:
        cells = _cells(book[sheet_name], plan.plan.language, end)
        expected = {key: value for key, value in _expected(result, end).items() if key in cells}
        assert {key for key, value in _expected(result, end).items() if value is not None} <= set(cells), end
        wrong = {key: (values.get(cells[key]), value) for key, value in expected.items()}
        assert not {key: pair for key, pair in wrong.items() if not _same(*pair)}, end


@pytest.mark.slow
def test_a_cpc_changed_in_the_workbook_moves_clicks_customers_revenue_and_roi(plan: mixplan.Plan, saved: Path) -> None:
    rates = _book(plan)["Assumptions"]
    cpc_row = next(row for row in range(2, rates.max_row + 1) if rates.cell(row, 1).value == "cpc-social")
    values = _recalculate(saved, {f"D{cpc_row}": 1.0})
    cells = _cells(_book(plan)["Forecast"])

    def at(place: str, figure: str) -> Decimal:
        return Decimal(str(values[cells[(place, figure)]]))

    # February by hand at 1.00 a click: 1200 clicks, × 2 % = 24 conversions, × 0.6 = 14.4 new customers, × 45 = 1080.
    february = "social@2027-02-01"
    assert at(february, "clicks") == 1200
    assert at(february, "conversions").quantize(Decimal("0.01")) == Decimal("24.00")
    assert at(february, "new_customers").quantize(Decimal("0.01")) == Decimal("14.40")
    assert at(february, "revenue").quantize(Decimal("0.01")) == Decimal("1080.00")
    # The whole run: 2000 clicks, 40 conversions, 1800 of revenue: ROI (1800 − 2000) / 2000 = −10 %, CAC 2000 / 24.
    assert at("social", "revenue").quantize(Decimal("0.01")) == Decimal("1800.00")
    assert at("social", "roi").quantize(Decimal("0.0001")) == Decimal("-0.1000")
    assert at("social", "cac").quantize(Decimal("0.01")) == Decimal("83.33")
    # The other actions keep their figures; the whole plan moves by the difference (2250 − 1800 of revenue).
    before = _expected(fc.forecast(plan))
    assert abs(at("search", "revenue") - before[("search", "revenue")]) < CENT
    assert abs(at("", "revenue") - (before[("", "revenue")] - 450)) < CENT


@pytest.mark.slow
def test_a_range_edited_in_the_workbook_moves_the_low_and_high_ends(plan: mixplan.Plan, saved: Path) -> None:
    rates = _book(plan)["Assumptions"]
    cpc_row = next(row for row in range(2, rates.max_row + 1) if rates.cell(row, 1).value == "cpc-social")
    # The High cleared counts as the Value (1.00 now); the Low set to 0.50.
    values = _recalculate(saved, {f"D{cpc_row}": 1.0, f"E{cpc_row}": 0.5, f"F{cpc_row}": ""})
    sheet = _book(plan)["Forecast"]
    low, high = _cells(sheet, end="low"), _cells(sheet, end="high")
    february = "social@2027-02-01"
    # February's 1200 spent: at 1.00 a click at most 1200 clicks for the low end, at 0.50 2400 for the high end.
    assert values[low[(february, "clicks")]] == 1200
    assert values[high[(february, "clicks")]] == 2400
    # The high end then takes the high conversion rate (3 %): 72 conversions, × 45 = 3240 of revenue.
    assert Decimal(str(values[high[(february, "revenue")]])).quantize(Decimal("0.01")) == Decimal("3240.00")


@pytest.mark.slow
def test_a_cpc_cleared_or_zero_in_the_workbook_empties_its_steps_without_errors(
    plan: mixplan.Plan, saved: Path
) -> None:
    rates = _book(plan)["Assumptions"]
    cpc_row = next(row for row in range(2, rates.max_row + 1) if rates.cell(row, 1).value == "cpc-social")
    cells = _cells(_book(plan)["Forecast"])
    before = _expected(fc.forecast(plan))
    for cleared in (0, ""):
        values = _recalculate(saved, {f"D{cpc_row}": cleared})
        assert not [value for value in values.values() if str(value).startswith("#")]  # no #DIV/0!, no #VALUE!
        for place in ("social@2027-02-01", "social"):
            for figure in ("clicks", "conversions", "new_customers", "revenue", "roi", "roas", "cac"):
                assert values[cells[(place, figure)]] == "", (cleared, place, figure)
        assert values[cells[("social", "spend")]] == 2000
        # The whole plan counts the other actions alone.
        social_revenue = before[("social", "revenue")]
        assert abs(Decimal(str(values[cells[("", "revenue")]])) - (before[("", "revenue")] - social_revenue)) < CENT
