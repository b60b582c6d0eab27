"""The library leaves the process as it found it: the cycle collector on, no size limit read
from the environment behind the caller's back, nothing written outside what it was asked to write.

The command line may do otherwise, since it is the process: these tests show
both sides.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.outputs.deliverable import render_pieces

from .conftest import ASSETS

MINIMAL = ASSETS / "minimal.yaml"


# --- the cycle collector ---------------------------------------------------------------------


def test_a_caller_reading_the_deliverable_piece_by_piece_has_the_collector_on() -> None:
    assert gc.isenabled()
    pieces = render_pieces(mixplan.load_plan(MINIMAL), "md")
    first = next(pieces)
    # Between two pieces the caller's own code runs: its cycles must be collected.
    assert first and gc.isenabled()
    pieces.close()  # a caller that stops early
    assert gc.isenabled()


def test_a_caller_abandoning_the_deliverable_midway_has_the_collector_on() -> None:
    pieces = render_pieces(mixplan.load_plan(MINIMAL), "html")
    next(pieces)
    del pieces
    assert gc.isenabled()


def test_a_failing_render_leaves_the_collector_on(tmp_path: Path) -> None:
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "plan.md.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    with pytest.raises(mixplan.MixplanError):
        mixplan.render(mixplan.load_plan(MINIMAL), "md", templates=tmp_path)
    assert gc.isenabled()


@pytest.mark.parametrize(
    "arguments",
    [["validate", str(MINIMAL)], ["render", str(MINIMAL)], ["render", str(MINIMAL), "-d", "{out}"]],
)
def test_a_command_run_inside_a_python_program_leaves_the_collector_on(tmp_path: Path, arguments) -> None:
    # The process's own entry point (mixplan.cli:main) may switch it off for a one-shot run; app() may not.
    result = CliRunner().invoke(app, [argument.format(out=tmp_path / "out") for argument in arguments])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


def test_the_command_in_its_own_process_still_skips_the_collection(tmp_path: Path) -> None:
    # What a one-shot run saves (docs/performance.md): kept for `mixplan ...` itself.
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'collector on: {gc.isenabled()}\\n'))\n"
        "from mixplan.cli import main\n"
        f"sys.argv = ['mixplan', 'validate', {str(MINIMAL)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("collector on: False\n")
