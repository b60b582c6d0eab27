"""Planned months are rounded to the plan's quantum and add up, and every output that shows them agrees."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from babel.dates import format_date

import mixplan
from mixplan.outputs.exports import to_xlsx
from mixplan.outputs.status import status_data
from mixplan.present.amounts import writes_cents
from mixplan.present.formatting import Formatter
from mixplan.present.labels import labels
from mixplan.views import calendar
from mixplan.views.mix import mix_view
from mixplan.views.progress import progress

from ..conftest import EXAMPLES

D = Decimal


def _twice_run(example: Path) -> str:
    """The French example with its press inserts run twice, as in issue 18."""
    text = example.read_text(encoding="utf-8")
    once = "  - {means: presse-tourisme, start: 2027-04-01, end: 2027-09-30}\n"
    assert once in text
    return text.replace(
        once,
        "  - {means: presse-tourisme, start: 2027-01-04, end: 2027-03-31}\n"
        "  - {means: presse-tourisme, start: 2027-09-01, end: 2027-10-31}\n",
    )


@pytest.fixture(params=[*EXAMPLES, "twice"], ids=lambda p: getattr(p, "stem", p))
def plan(request, write_plan) -> mixplan.Plan:
    if request.param == "twice":
        return mixplan.load_plan(write_plan(_twice_run(next(p for p in EXAMPLES if p.stem == "fr-epicerie-fine"))))
    return mixplan.load_plan(request.param)


def test_the_examples_are_written_in_whole_units(plan: mixplan.Plan) -> None:
    assert calendar.quantum(plan) == 1


def test_planned_months_are_whole_units_and_add_up_to_the_costs(plan: mixplan.Plan) -> None:
    state = progress(plan)
    costs = mix_view(plan).means_cost
    assert all(month.planned == month.planned.to_integral_value() for month in state.months), [
        m.planned for m in state.months
    ]
    assert sum(m.planned for m in state.months) == state.overall.spend.planned == costs
    assert sum(g.spend.planned for g in state.by_p) == costs
    for means in state.means:
        assert means.spend.planned == means.means.cost
    assert state.overall.spend.planned_to_date == sum(
        (m.planned for m in state.months if state.as_of and m.month <= state.as_of), D(0)
    )
    assert sum((m.spend.planned_to_date for m in state.means), D(0)) == state.overall.spend.planned_to_date


def test_status_deliverable_and_workbook_show_the_same_planned_spend(plan: mixplan.Plan) -> None:
    state = progress(plan)
    data = status_data(plan)
    assert [D(m["planned"]) for m in data["months"]] == [m.planned for m in state.months]
    assert sum(D(m["planned"]) for m in data["months"]) == D(data["spend"]["planned"]) == state.overall.spend.planned
    assert D(data["spend"]["planned_to_date"]) == state.overall.spend.planned_to_date

    # The deliverable's month table prints each month's planned spend as progress computes it.
    lab = labels(plan.plan.language)
    fmt = Formatter(lab["locale"], plan.plan.currency, whole_units=not writes_cents(plan))
    text = mixplan.render(plan, format="md")
    dashboard = text[text.index(f"\n## {lab['dashboard']['title']}\n") :].splitlines()
    # So does the budget by month (the Budget section) in its last column, for each month something is spent in.
    budget_section = text[text.index(f"\n### {lab['budget']['by_month']}\n") :]
    by_month = budget_section[: budget_section.index("\n#", 1)].splitlines()
    for month in state.months:
        label = format_date(month.month, "LLLL yyyy", locale=lab["locale"])
        (row,) = [line for line in dashboard if line.startswith(f"| {label} |")]
        assert row.split(" | ")[1] == fmt.money(month.planned)
        budget_rows = [line for line in by_month if line.startswith(f"| {label} |")]
        assert [line.rstrip(" |").rsplit(" | ", 1)[1] for line in budget_rows] == (
            [fmt.money(month.planned)] if month.planned else []
        )

    # The workbook's action plan sums to the same planned spend.
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(plan)), data_only=True)
    actions = book.worksheets[0]
    total = actions.cell(len(plan.means) + 2, 9).value
    assert D(str(total)) == state.overall.spend.planned
