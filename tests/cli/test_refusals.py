"""Every command that needs a valid plan refuses an invalid one the same way, with the same words and exit code.

render, status, export, diff, `results import` and the watcher all go through
`api.require_valid`; these runs pin what each prints, so that sharing the code
changed no message.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import mixplan
from mixplan.workflows.watch import LiveRender

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
# 5,000 instead of 500 puts the budget over (MP201, an error); promo left unscheduled is MP301, a warning.
OVER_BUDGET = MINIMAL.replace("    cost: 500\n", "    cost: 5000\n")
UNSCHEDULED = "  - {means: promo, start: 2027-02-01, end: 2027-02-28}\n"
ERROR = (
    "bad.yaml:23:10: error: planned spending 5,450 EUR (means 5,350 EUR + lines 0 EUR + reserve 100 EUR) exceeds "
    "the budget of 1,000 EUR by 4,450 EUR: cut costs or raise budget.total (MP201)"
)
WARNING = "{name}:33:9: warning: means 'promo' is never scheduled: add {{means: promo, start: ..., end: ...}} to schedule (MP301)"


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """bad.yaml (an error and a warning), warned.yaml (a warning only) and good.yaml, in the current folder."""
    (tmp_path / "bad.yaml").write_text(OVER_BUDGET.replace(UNSCHEDULED, ""), encoding="utf-8")
    (tmp_path / "warned.yaml").write_text(MINIMAL.replace(UNSCHEDULED, ""), encoding="utf-8")
    (tmp_path / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "rows.csv").write_text("means,month,spend\nads,2027-01,10\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mixplan_run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *arguments], capture_output=True, text=True, timeout=60, check=False
    )


BAD_FINDINGS = f"{ERROR}\n{WARNING.format(name='bad.yaml')}\n"


@pytest.mark.parametrize(
    ("arguments", "stderr", "exit_code"),
    [
        (
            ["render", "bad.yaml", "-o", "out.md"],
            BAD_FINDINGS + "mixplan: bad.yaml: not rendered, the plan has 1 error\n",
            1,
        ),
        (["status", "bad.yaml"], BAD_FINDINGS + "mixplan: bad.yaml: no status, the plan has 1 error\n", 1),
        (
            ["status", "--format", "json", "bad.yaml"],
            BAD_FINDINGS + "mixplan: bad.yaml: no status, the plan has 1 error\n",
            1,
        ),
        (
            ["export", "bad.yaml", "--to", "csv"],
            BAD_FINDINGS + "mixplan: bad.yaml: not exported, the plan has 1 error\n",
            1,
        ),
        # Exit 1 means "the plans differ", so an invalid side is exit 2.
        (
            ["diff", "good.yaml", "bad.yaml"],
            BAD_FINDINGS + "mixplan: bad.yaml: not compared, the plan has 1 error\n",
            2,
        ),
        (
            ["diff", "bad.yaml", "good.yaml"],
            BAD_FINDINGS + "mixplan: bad.yaml: not compared, the plan has 1 error\n",
            2,
        ),
        # Only the errors: the import is refused for them.
        (
            ["results", "import", "bad.yaml", "rows.csv"],
            f"{ERROR}\nbad.yaml: fix the plan's errors before importing results\n",
            1,
        ),
    ],
)
def test_an_invalid_plan_is_refused_with_its_findings(plans: Path, arguments, stderr: str, exit_code: int) -> None:
    before = (plans / "bad.yaml").read_bytes()
    done = mixplan_run(*arguments)
    assert (done.stderr, done.stdout, done.returncode) == (stderr, "", exit_code)
    assert (plans / "bad.yaml").read_bytes() == before
    assert not (plans / "out.md").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["render", "missing.yaml", "-o", "out.md"],
        ["status", "missing.yaml"],
        ["export", "missing.yaml", "--to", "csv"],
        ["diff", "missing.yaml", "good.yaml"],
        ["results", "import", "missing.yaml", "rows.csv"],
    ],
)
def test_a_missing_plan_is_one_message_and_exit_2(plans: Path, arguments) -> None:
    done = mixplan_run(*arguments)
    assert (done.stderr, done.stdout, done.returncode) == ("mixplan: missing.yaml: no such file\n", "", 2)


@pytest.mark.parametrize(
    ("arguments", "stderr"),
    [
        (["render", "warned.yaml", "-o", "out.md"], "{warning}\nwrote out.md\n"),
        (["status", "--format", "json", "warned.yaml"], "{warning}\n"),
        (["export", "warned.yaml", "--to", "csv"], "{warning}\n"),
        # diff says nothing of a valid side's warnings: its output is the change.
        (["diff", "warned.yaml", "good.yaml"], ""),
    ],
)
def test_a_plan_with_warnings_only_goes_through(plans: Path, arguments, stderr: str) -> None:
    done = mixplan_run(*arguments)
    assert done.stderr == stderr.format(warning=WARNING.format(name="warned.yaml"))
    assert done.returncode == (1 if arguments[0] == "diff" else 0)  # diff: the two plans differ
    assert done.stdout or arguments[0] == "render"


def test_the_batch_renders_the_valid_plans_after_an_invalid_one(plans: Path) -> None:
    done = mixplan_run("render", "bad.yaml", "good.yaml", "-d", "out")
    assert done.stderr == BAD_FINDINGS + "mixplan: bad.yaml: not rendered, the plan has 1 error\nwrote out/good.html\n"
    assert done.returncode == 1


def test_the_watcher_keeps_the_last_output_and_lists_every_finding(plans: Path) -> None:
    stream = io.StringIO()
    watcher = LiveRender(Path("bad.yaml"), Path("out.md"), mixplan.render, stream=stream, clock=lambda: "12:00:00")
    assert watcher.once() is False
    assert stream.getvalue() == (
        f"12:00:00 bad.yaml: 1 error, out.md not written\n  {ERROR}\n  {WARNING.format(name='bad.yaml')}\n"
    )
    assert not Path("out.md").exists()
