"""A means that runs in several flights is listed as several date ranges in every output, never as one."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal

import icalendar
import openpyxl
import pytest
import yaml

import mixplan
from mixplan.outputs.exports import to_csv, to_ics, to_xlsx
from mixplan.present.formatting import Formatter
from mixplan.present.labels import labels
from mixplan.views.mix import mix_view

JANUARY_TO_FEBRUARY = (dt.date(2027, 1, 4), dt.date(2027, 2, 28))
MAY_TO_JUNE = (dt.date(2027, 5, 1), dt.date(2027, 6, 15))


@pytest.fixture(params=["en", "fr"])
def plan(request, minimal_text: str) -> mixplan.Plan:
    """The minimal plan with its search ads running twice, the later flight written first."""
    text = minimal_text.replace(
        "  - {means: ads, start: 2027-01-10, end: 2027-03-31}\n",
        "  - {means: ads, start: 2027-05-01, end: 2027-06-15}\n  - {means: ads, start: 2027-01-04, end: 2027-02-28}\n",
    ).replace("language: en", f"language: {request.param}")
    assert text.count("means: ads,") == 2
    return mixplan.Plan.model_validate(yaml.safe_load(text))


def _ranges(plan: mixplan.Plan) -> list[str]:
    lab = labels(plan.plan.language)
    fmt = Formatter(lab["locale"], plan.plan.currency)
    return [
        lab["document"]["period_range"].format(start=fmt.short_date(start), end=fmt.short_date(end))
        for start, end in (JANUARY_TO_FEBRUARY, MAY_TO_JUNE)
    ]


def _whole_range(plan: mixplan.Plan) -> str:
    lab = labels(plan.plan.language)
    fmt = Formatter(lab["locale"], plan.plan.currency)
    return lab["document"]["period_range"].format(
        start=fmt.short_date(JANUARY_TO_FEBRUARY[0]), end=fmt.short_date(MAY_TO_JUNE[1])
    )


def test_markdown_action_plan_lists_each_flight(plan: mixplan.Plan) -> None:
    text = mixplan.render(plan, format="md")
    row = next(line for line in text.splitlines() if line.startswith("| Search ads |"))
    assert "; ".join(_ranges(plan)) in row
    assert _whole_range(plan) not in text


def test_html_action_plan_lists_each_flight_on_its_own_line(plan: mixplan.Plan) -> None:
    page = mixplan.render(plan, format="html")
    actions = page[page.index('<section id="actions">') : page.index('<section id="budget">')]
    row = next(r for r in re.findall(r"<tr>.*?</tr>", actions, re.S) if "Search ads" in r)
    cell = html.unescape(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1])
    assert [re.sub(r"<[^>]+>", "", line) for line in cell.split("<br>")] == _ranges(plan)
    assert _whole_range(plan) not in html.unescape(actions)


def test_csv_keeps_one_row_per_means_and_lists_its_flights_as_iso_intervals(plan: mixplan.Plan) -> None:
    lab = labels(plan.plan.language)
    rows = list(csv.reader(io.StringIO(to_csv(plan))))
    header = rows[0]
    assert header[-1] == lab["export"]["flights"]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    ads = by_id["ads"]
    assert (ads[lab["columns"]["start"]], ads[lab["columns"]["end"]]) == ("2027-01-04", "2027-06-15")
    assert ads[lab["export"]["flights"]] == "2027-01-04/2027-02-28; 2027-05-01/2027-06-15"
    assert by_id["promo"][lab["export"]["flights"]] == "2027-02-01/2027-02-28"
    # One row per means: the costs still add up to the means' total.
    assert len(rows) == 1 + len(plan.means)
    assert sum(Decimal(row[header.index(lab["columns"]["cost"])]) for row in rows[1:]) == mix_view(plan).means_cost


def test_csv_leaves_the_flights_empty_for_an_unscheduled_means(plan: mixplan.Plan) -> None:
    lab = labels(plan.plan.language)
    unscheduled = plan.model_copy(update={"schedule": [e for e in plan.schedule if getattr(e, "means", "") != "promo"]})
    rows = list(csv.DictReader(io.StringIO(to_csv(unscheduled))))
    assert rows[1][lab["export"]["flights"]] == ""


def test_xlsx_keeps_one_row_per_means_and_lists_its_flights(plan: mixplan.Plan) -> None:
    lab = labels(plan.plan.language)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(plan))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == lab["export"]["flights"]
    flights_column = len(header)
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(flights_column)}{len(plan.means) + 1}"
    ads = {header[n]: cell.value for n, cell in enumerate(sheet[2])}
    assert ads[lab["export"]["id"]] == "ads"
    assert (ads[lab["columns"]["start"]].date(), ads[lab["columns"]["end"]].date()) == (
        JANUARY_TO_FEBRUARY[0],
        MAY_TO_JUNE[1],
    )
    assert ads[lab["export"]["flights"]] == "2027-01-04/2027-02-28; 2027-05-01/2027-06-15"
    assert sheet.cell(len(plan.means) + 2, 9).value == f"=SUM(I2:I{len(plan.means) + 1})"


def test_ics_has_one_event_per_flight(plan: mixplan.Plan) -> None:
    events = [e for e in icalendar.Calendar.from_ical(to_ics(plan)).walk("VEVENT") if e["summary"] == "Search ads"]
    assert sorted((e.decoded("dtstart"), e.decoded("dtend") - dt.timedelta(days=1)) for e in events) == [
        JANUARY_TO_FEBRUARY,
        MAY_TO_JUNE,
    ]
