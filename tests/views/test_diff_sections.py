"""diff names a changed section its totals cannot show."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import yaml

import mixplan
from mixplan.views.diff import compare, format_diff

from ..conftest import ASSETS

BASE: dict[str, Any] = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))


def _plan(lines: list[dict[str, Any]]) -> mixplan.Plan:
    data = copy.deepcopy(BASE)
    data["budget"]["lines"] = lines
    return mixplan.Plan.model_validate(data)


def test_a_budget_line_renamed_at_the_same_cost_is_named() -> None:
    before = _plan([{"name": "Printing", "cost": 50}])
    after = _plan([{"name": "Photography", "cost": 50}])
    diff = compare(before, after)
    # The other-costs total is unchanged, so nothing in the totals shows the change.
    assert [t.key for t in diff.totals] == []
    assert diff.other_sections == ["budget lines"]
    assert format_diff(diff, "text", "a.yaml", "b.yaml").splitlines()[-1] == "Also changed: budget lines"


def test_a_budget_line_whose_cost_changes_shows_in_the_totals_alone() -> None:
    diff = compare(_plan([{"name": "Printing", "cost": 50}]), _plan([{"name": "Printing", "cost": 60}]))
    assert [(t.key, t.delta) for t in diff.totals if t.key == "other costs"] == [("other costs", Decimal(10))]
    assert "budget lines" not in diff.other_sections
