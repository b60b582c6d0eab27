"""The library leaves the process as it found it: the cycle collector on, no size limit read
from the environment behind the caller's back, nothing written outside what it was asked to write.

The command line may do otherwise, since it is the process: these tests show
both sides.
"""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.outputs.deliverable import render_pieces
from mixplan.workflows.watch import LiveRender

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


# --- the size limit ------------------------------------------------------------------------------

TOO_LARGE = f"{MINIMAL}: is too large to be a plan ({MINIMAL.stat().st_size} bytes; the limit is 100 bytes)"


def test_a_library_caller_passes_its_own_size_limit(tmp_path: Path) -> None:
    for call in (mixplan.validate, mixplan.load_plan, mixplan.require_valid, mixplan.load):
        with pytest.raises(mixplan.UnreadableFile, match=r"the limit is 100 bytes"):
            call(MINIMAL, max_bytes=100)
    assert mixplan.validate(MINIMAL, max_bytes=None).ok


def test_the_library_does_not_read_the_environment_for_its_limit() -> None:
    # The variable is the command's default; a program says what it wants with max_bytes.
    probe = f"import mixplan; print(mixplan.validate({str(MINIMAL)!r}).ok)"
    env = {**os.environ, "MIXPLAN_MAX_BYTES": "100"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert (done.stdout, done.returncode) == ("True\n", 0), done.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate", str(MINIMAL)],
        ["render", str(MINIMAL)],
        ["status", str(MINIMAL)],
        ["export", str(MINIMAL), "--to", "csv"],
        ["diff", str(MINIMAL), str(MINIMAL)],
    ],
)
def test_the_command_reads_its_limit_when_it_runs(monkeypatch: pytest.MonkeyPatch, arguments) -> None:
    # Set after mixplan was imported, as a long-lived program (or a test runner) would.
    monkeypatch.setenv("MIXPLAN_MAX_BYTES", "100")
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert f"mixplan: {TOO_LARGE}" in result.output


def test_results_import_reads_the_limit_when_it_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "rows.csv").write_text("means,month,spend\nads,2027-01,10\n", encoding="utf-8")
    monkeypatch.setenv("MIXPLAN_MAX_BYTES", "100")
    result = CliRunner().invoke(app, ["results", "import", str(plan), str(tmp_path / "rows.csv")])
    assert result.exit_code == 2, result.output
    assert f"mixplan: {plan}: is too large to be a plan" in result.output
    assert plan.read_bytes() == MINIMAL.read_bytes()


def test_the_watcher_keeps_to_the_limit_it_is_given(tmp_path: Path) -> None:
    stream = io.StringIO()
    watcher = LiveRender(
        MINIMAL, tmp_path / "out.md", mixplan.render, stream=stream, clock=lambda: "12:00:00", max_bytes=100
    )
    assert watcher.once() is False
    assert "is too large to be a plan" in stream.getvalue() and "the limit is 100 bytes" in stream.getvalue()
    assert not (tmp_path / "out.md").exists()


# --- the compiled-template cache -------------------------------------------------------------


def _without_cache_settings(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MIXPLAN_CACHE_DIR", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    return env


def test_the_library_writes_no_cache_unless_asked(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    home.mkdir()
    out.mkdir()
    probe = (
        "import mixplan, sys\n"
        f"plan = mixplan.load_plan({str(MINIMAL)!r})\n"
        "mixplan.render(plan, 'html'); mixplan.render(plan, 'md')\n"
        f"mixplan.render_to(plan, {str(out / 'plan.html')!r}, 'html')\n"
    )
    env = _without_cache_settings(home)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert list(home.rglob("*")) == []
    assert [path.name for path in out.iterdir()] == ["plan.html"]


def test_a_library_caller_may_opt_in_to_the_cache(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    probe = f"import mixplan\nmixplan.render(mixplan.load_plan({str(MINIMAL)!r}), 'html', cache_templates=True)\n"
    env = _without_cache_settings(home)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert list((home / ".cache" / "mixplan" / "templates").glob("*/*.jinja"))


def test_the_command_keeps_its_cache_where_mixplan_cache_dir_says(tmp_path: Path) -> None:
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    env = {**_without_cache_settings(home), "MIXPLAN_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(MINIMAL), "-o", str(tmp_path / "plan.html")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert list(cache.glob("templates/*/*.jinja"))
    assert list(home.rglob("*")) == []
