"""The plan at a glance reads the same views as the rest of the deliverable, and chooses what a client reads first."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

import mixplan
from mixplan.views.glance import MOST_MILESTONES, MOST_OBJECTIVES, glance
from mixplan.views.mix import mix_view

from ..conftest import ASSETS, EXAMPLES

TODAY = dt.date(2027, 5, 10)


def _minimal(**changes: Any) -> mixplan.Plan:
    data = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return mixplan.Plan.model_validate(data)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_glance_budget_split_and_biggest_means_are_the_budget_sections_figures(example: Path) -> None:
    plan = mixplan.load_plan(example)
    mix = mix_view(plan)
    seen = glance(plan, mix)
    assert [(s.key, s.cost, s.share) for s in seen.by_p] == [(s.key, s.cost, s.share) for s in mix.by_p]
    assert (seen.total, seen.lines_cost, seen.reserve, seen.remaining) == (
        mix.total,
        mix.lines_cost,
        mix.reserve,
        mix.remaining,
    )
    # Every P's slice adds up, with the other costs, the reserve and what is left, to the whole budget.
    assert sum(s.cost for s in seen.by_p) + seen.lines_cost + seen.reserve + seen.remaining == mix.total
    costs = sorted((m.cost for m in plan.means), reverse=True)[:3]
    assert [top.cost for top in seen.top_means] == costs
    for top in seen.top_means:
        assert top.share == mix.share(top.cost)
        assert top.means in mix.p(top.p).means


def _cells(html: str, section: str) -> list[str]:
    body = re.search(rf'<section id="{section}".*?</section>', html, re.DOTALL)
    assert body, f"no section {section}"
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", body[0])]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_rendered_glance_shows_the_mix_tables_amounts_and_shares(example: Path) -> None:
    plan = mixplan.load_plan(example)
    html = mixplan.render(plan, format="html", today=TODAY)
    glance_cells, mix_cells = _cells(html, "glance"), _cells(html, "mix")
    # The mix table's rows: P, number of actions, cost, share; the glance's: P, cost, share.
    mix_rows = [(mix_cells[i], mix_cells[i + 2], mix_cells[i + 3]) for i in range(0, 16, 4)]
    glance_rows = [tuple(glance_cells[i : i + 3]) for i in range(0, 12, 3)]
    assert glance_rows == mix_rows
    budget_cells = _cells(html, "budget")
    assert budget_cells[budget_cells.index("Reserve" if plan.plan.language == "en" else "Réserve") + 1] in glance_cells


def test_the_biggest_means_keep_the_plans_order_on_equal_costs() -> None:
    plan = _minimal()
    data = plan.model_dump(by_alias=True)
    for item in data["means"]:
        item["cost"] = Decimal(400)
    data["budget"]["total"] = Decimal(1000)
    plan = mixplan.Plan.model_validate(data)
    assert [top.means.id for top in glance(plan, mix_view(plan)).top_means] == ["ads", "promo"]


def test_key_dates_run_in_date_order_with_the_first_next_step() -> None:
    plan = _minimal(
        next_steps=[
            {"step": "Brief the agency", "date": "2027-01-20"},
            {"step": "Sign off", "owner": "Client", "date": "2026-12-20"},
        ]
    )
    seen = glance(plan, mix_view(plan))
    assert [(d.day.isoformat(), d.kind, d.text) for d in seen.key_dates] == [
        ("2026-12-20", "next_step", "Sign off"),
        ("2027-01-01", "start", None),
        ("2027-02-01", "milestone", "Launch"),
        ("2027-06-30", "end", None),
    ]
    assert seen.first_step is not None and seen.first_step.owner == "Client"


def test_a_long_plan_is_cut_to_what_fits_a_page_and_says_how_much_more() -> None:
    objectives = [
        {"id": f"o{n}", "statement": f"Objective {n}", "metric": "signups", "target": 10, "deadline": "2027-06-30"}
        for n in range(MOST_OBJECTIVES + 2)
    ]
    stones = [{"milestone": f"Stone {n}", "date": f"2027-03-{n + 1:02d}"} for n in range(MOST_MILESTONES + 3)]
    plan = _minimal(objectives=objectives, schedule=stones)
    seen = glance(plan, mix_view(plan))
    assert (len(seen.objectives), seen.more_objectives) == (MOST_OBJECTIVES, 2)
    assert (len(seen.milestones), seen.more_milestones) == (MOST_MILESTONES, 3)
    html = mixplan.render(plan, format="html", today=TODAY)
    assert html.count("… and 2 more (see Objectives)") == 1
    assert html.count("… and 3 more (see Schedule)") == 1


def test_no_forecast_yet_so_no_expected_roi_or_cac_is_shown() -> None:
    plan = _minimal()
    seen = glance(plan, mix_view(plan))
    assert (seen.expected_roi, seen.expected_cac, seen.has_forecast) == (None, None, False)
    html = mixplan.render(plan, format="html", today=TODAY)
    assert "Expected return on investment" not in html and "Expected results" not in html


def test_the_glance_takes_its_expected_roi_and_cac_from_the_forecast_base() -> None:
    from mixplan.views.forecast import forecast

    plan = mixplan.Plan.model_validate(yaml.safe_load((ASSETS / "forecast.yaml").read_text(encoding="utf-8")))
    seen = glance(plan, mix_view(plan), forecast(plan))
    # 3600 € of actions bring 4470 € of revenue and 59.6 new customers (tests/outputs/test_forecast_chapter.py).
    assert seen.expected_roi == (Decimal(4470) - 3600) / 3600
    assert seen.expected_cac == Decimal(3600) / Decimal("59.6")
    assert glance(plan, mix_view(plan)).expected_roi is None
