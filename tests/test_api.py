"""The library API on its own: `require_valid`, the one decision every command that needs a valid plan takes."""

from __future__ import annotations

from pathlib import Path

import pytest

import mixplan
from mixplan.api import PlanRefused, require_valid
from mixplan.errors import PlanInvalid, UnreadableFile
from mixplan.loading.reader import load

from .conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
OVER_BUDGET = MINIMAL.replace("    cost: 500\n", "    cost: 5000\n")
UNSCHEDULED = "  - {means: promo, start: 2027-02-01, end: 2027-02-28}\n"


def test_a_valid_plan_is_returned_from_a_path_a_document_or_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL.replace(UNSCHEDULED, ""), encoding="utf-8")  # a warning does not refuse
    for plan in (require_valid(path), require_valid(load(path)), require_valid(text=path.read_text())):
        assert plan.plan.title == "Test plan"
    assert mixplan.require_valid is require_valid


def test_a_plan_with_errors_is_refused_with_its_whole_report(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(OVER_BUDGET.replace(UNSCHEDULED, ""), encoding="utf-8")
    with pytest.raises(PlanRefused) as refused:
        require_valid(path)
    report = refused.value.report
    assert [f.rule for f in report.findings] == ["MP201", "MP301"]  # the warning too
    assert refused.value.findings == report.findings
    assert refused.value.exit_code == 1
    assert refused.value.message.startswith(f"1 error(s) in the plan; first: {path}:23:10: error: planned spending")
    # Callers that caught PlanInvalid before still do.
    assert isinstance(refused.value, PlanInvalid)


def test_ignore_and_names_reach_the_report() -> None:
    with pytest.raises(PlanRefused) as refused:
        require_valid(text=OVER_BUDGET.replace(UNSCHEDULED, ""), name="client.yaml", ignore=["MP301"])
    assert [(f.file, f.rule) for f in refused.value.report.findings] == [("client.yaml", "MP201")]


def test_a_plan_that_cannot_be_modelled_is_refused_too() -> None:
    with pytest.raises(PlanRefused) as refused:
        require_valid(text="plan: [", name="broken.yaml")
    assert refused.value.report.plan is None
    assert [f.rule for f in refused.value.findings] == ["MP100"]


def test_an_unreadable_file_is_not_a_refusal(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        require_valid(tmp_path / "missing.yaml")
