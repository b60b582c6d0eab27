"""`mixplan diff`: one fixture per kind of change, compared with base.yaml, exact output per format.

Expected outputs live beside the fixtures (tests/assets/diff/<kind>.expected.<ext>);
`pytest --update-goldens` rewrites them from the current output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.views.diff import compare

from ..conftest import ASSETS, EXAMPLES

DIFF = ASSETS / "diff"
KINDS = [
    "means-added",
    "means-removed",
    "means-changed",
    "budget",
    "objectives-moved",
    "milestones-moved",
    "other-sections",
]
EXTENSIONS = {"text": "txt", "md": "md", "json": "json"}

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("fmt", EXTENSIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_change_gives_its_exact_output(kind: str, fmt: str, monkeypatch, update_goldens: bool) -> None:
    monkeypatch.chdir(DIFF)
    result = invoke("diff", "base.yaml", f"{kind}.yaml", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    expected = DIFF / f"{kind}.expected.{EXTENSIONS[fmt]}"
    if update_goldens:
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_the_same_plan_written_differently_is_identical(fmt: str) -> None:
    result = invoke("diff", DIFF / "base.yaml", DIFF / "identical.yaml", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_a_plan_against_itself_is_identical() -> None:
    result = invoke("diff", EXAMPLES[0], EXAMPLES[0])
    assert (result.exit_code, result.output) == (0, "")


def test_json_amounts_are_decimal_strings_and_dates_iso() -> None:
    result = invoke("diff", DIFF / "base.yaml", DIFF / "means-changed.yaml", "--format", "json")
    document = json.loads(result.stdout)
    assert document["identical"] is False
    cost = next(c for c in document["means"]["changed"][0]["changes"] if c["field"] == "cost")
    assert (cost["before"], cost["after"]) == ("2400", "3100")
    dates = next(c for c in document["means"]["changed"][0]["changes"] if c["field"] == "dates")
    assert dates["after"] == [["2027-01-18", "2027-03-31"], ["2027-05-03", "2027-05-31"]]


def test_markdown_escapes_user_text(write_plan) -> None:
    base = (DIFF / "base.yaml").read_text(encoding="utf-8")
    old = write_plan(base, "old.yaml")
    new = write_plan(
        base.replace("cost: 2400", "cost: 2500").replace("name: Local Instagram ads", "name: Ads | *bold* <b>"),
        "new.yaml",
    )
    result = invoke("diff", old, new, "--format", "md")
    assert r"Ads \| \*bold\* \<b\>" in result.stdout


def test_a_changed_forecast_is_reported_in_every_format(write_plan) -> None:
    base = (DIFF / "base.yaml").read_text(encoding="utf-8")
    owner = "    owner: Camille\n"
    old = write_plan(
        base.replace(owner, owner + "    forecast: {spend: 2400, impressions: 120000, clicks: 3000}\n"), "old.yaml"
    )
    new = write_plan(
        base.replace(
            owner, owner + "    forecast: {spend: 2400, impressions: 120000, clicks: 3500, leads: 40}\n"
        ).replace("    cost: 900\n", "    cost: 900\n    forecast: {signups: 60}\n"),
        "new.yaml",
    )
    before = "spend 2,400 EUR; impressions 120,000; clicks 3,000"
    after = "spend 2,400 EUR; impressions 120,000; clicks 3,500; leads 40"

    text = invoke("diff", old, new)
    assert text.exit_code == 1, text.output
    assert f"  ~ insta-ads: Local Instagram ads\n      forecast: {before} → {after}\n" in text.stdout
    assert "  ~ loyalty: Loyalty card\n      forecast: none → signups 60\n" in text.stdout

    markdown = invoke("diff", old, new, "--format", "md")
    assert f"| `insta-ads` Local Instagram ads | forecast | {before} | {after} |" in markdown.stdout
    assert "| `loyalty` Loyalty card | forecast | none | signups 60 |" in markdown.stdout

    document = json.loads(invoke("diff", old, new, "--format", "json").stdout)
    changed = {item["id"]: item["changes"] for item in document["means"]["changed"]}
    assert changed["insta-ads"] == [
        {
            "field": "forecast",
            "before": {"spend": "2400", "impressions": 120000, "clicks": 3000},
            "after": {"spend": "2400", "impressions": 120000, "clicks": 3500, "leads": 40},
        }
    ]
    assert changed["loyalty"] == [{"field": "forecast", "before": None, "after": {"signups": 60}}]
    # Nothing else moved: the forecast is the whole difference.
    assert document["budget"] == [] and document["other_sections"] == []


def test_name_replaces_the_paths_in_the_heading() -> None:
    result = invoke("diff", DIFF / "base.yaml", DIFF / "budget.yaml", "--name", "plan.yaml")
    assert result.stdout.splitlines()[0] == "plan.yaml"


def test_objectives_added_and_removed_are_listed() -> None:
    old = mixplan.load_plan(DIFF / "base.yaml")
    renamed = old.model_copy(
        update={"objectives": [old.objectives[0], old.objectives[1].model_copy(update={"id": "newsletter"})]}
    )
    diff = compare(old, renamed)
    assert [o.id for o in diff.objectives_added] == ["newsletter"]
    assert [o.id for o in diff.objectives_removed] == ["signups"]
    assert {c.field for c in diff.objectives_added[0].changes} == {"metric", "target", "deadline", "measure", "scope"}


@pytest.mark.parametrize("side", ["old", "new"])
def test_an_invalid_side_gets_its_validation_messages_and_exit_2(side: str) -> None:
    broken = ASSETS / "broken" / "budget-over.yaml"
    args = (broken, DIFF / "base.yaml") if side == "old" else (DIFF / "base.yaml", broken)
    result = invoke("diff", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "(MP201)" in result.stderr
    assert f"mixplan: {broken}: not compared, the plan has 1 error" in result.stderr


def test_unreadable_file_and_unknown_format_exit_2(tmp_path: Path) -> None:
    missing = invoke("diff", tmp_path / "gone.yaml", DIFF / "base.yaml")
    assert missing.exit_code == 2 and "gone.yaml" in missing.stderr
    unknown = invoke("diff", DIFF / "base.yaml", DIFF / "budget.yaml", "--format", "html")
    assert unknown.exit_code == 2
    assert "mixplan: unknown diff format 'html': use text, md or json" in unknown.stderr


def test_diff_in_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "diff", "base.yaml", "budget.yaml"],
        check=False, cwd=DIFF, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stdout == (DIFF / "budget.expected.txt").read_text(encoding="utf-8")


# The README's driver: git appends path old-file old-hex old-mode new-file new-hex new-mode;
# `|| true` because git stops at an external diff that exits non-zero.
GIT_DRIVER = 'sh -c \'mixplan diff --name "$1" "$2" "$5" || true\' mixplan-diff'


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_uses_it_as_the_external_diff_driver(tmp_path: Path) -> None:
    """The README's .gitattributes and diff.mixplan.command, in a real repository."""
    env_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": env_bin + os.pathsep + os.environ.get("PATH", ""),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=True
        )

    git("init", "-q")
    git("config", "user.email", "test@example.com")
    git("config", "user.name", "Test")
    git("config", "diff.mixplan.command", GIT_DRIVER)
    (tmp_path / ".gitattributes").write_text("plan.yaml diff=mixplan\n")
    shutil.copy(DIFF / "base.yaml", tmp_path / "plan.yaml")
    git("add", ".")
    git("commit", "-qm", "first version")
    shutil.copy(DIFF / "budget.yaml", tmp_path / "plan.yaml")
    shown = git("diff")
    expected = (DIFF / "budget.expected.txt").read_text(encoding="utf-8").splitlines()
    assert shown.stdout.splitlines() == ["plan.yaml", *expected[1:]]


def test_a_change_in_how_an_objective_is_measured_is_reported(write_plan) -> None:
    base = (DIFF / "base.yaml").read_text(encoding="utf-8")
    deadline = "    deadline: 2027-03-31\n"
    old = write_plan(base, "old.yaml")
    new = write_plan(
        base.replace(
            deadline,
            deadline + "    from: 2027-02-01\n    scope: all\n    measured: [{month: 2027-02, value: 4200}]\n",
            1,
        ),
        "new.yaml",
    )
    text = invoke("diff", old, new)
    assert text.exit_code == 1, text.output
    assert "      from: none → 2027-02-01\n" in text.stdout
    assert "      scope: attributed → all\n" in text.stdout
    assert "      measured: none → 2027-02 4200\n" in text.stdout
    document = json.loads(invoke("diff", old, new, "--format", "json").stdout)
    changes = {c["field"]: c for item in document["objectives"]["changed"] for c in item["changes"]}
    assert changes["measured"]["after"] == ["2027-02 4200"]
    assert "measure" not in changes  # reach stays a total


def test_a_means_moved_on_the_journey_or_handed_to_someone_else_is_reported(write_plan) -> None:
    base = (DIFF / "base.yaml").read_text(encoding="utf-8")
    owner = "    owner: Camille\n"
    old = write_plan(base.replace(owner, owner + "    stage: awareness\n    responsible: Camille\n"), "old.yaml")
    new = write_plan(
        base.replace(owner, owner + "    stage: conversion\n    responsible: Studio Nord\n    informed: [Sales]\n"),
        "new.yaml",
    )

    text = invoke("diff", old, new)
    assert text.exit_code == 1, text.output
    assert (
        "  ~ insta-ads: Local Instagram ads\n      stage: awareness → conversion\n"
        "      responsible: Camille → Studio Nord\n      informed: none → Sales\n"
    ) in text.stdout
    document = json.loads(invoke("diff", old, new, "--format", "json").stdout)
    assert document["other_sections"] == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "unknown diff format 'xml': use text, md or json"),
        ("fr", "format de comparaison inconnu «\u202fxml\u202f»\u202f: choisissez text, md ou json"),
    ],
)
def test_the_library_refuses_an_unknown_diff_format_in_the_language_spoken(language: str, message: str) -> None:
    from mixplan.errors import MixplanError
    from mixplan.language import speaking
    from mixplan.views.diff import format_diff

    plan = mixplan.load_plan(EXAMPLES[0])
    with speaking(language), pytest.raises(MixplanError) as refused:
        format_diff(compare(plan, plan), "xml", "a.yaml", "b.yaml")
    assert refused.value.message == message
