"""`mixplan render --watch`: one render per save, the last good output kept, a clean stop."""

from __future__ import annotations

import io
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.workflows.watch import LiveRender, watch_render

runner = CliRunner()


def markdown(plan) -> str:
    return mixplan.render(plan, format="md")


def live(plan: Path, output: Path) -> tuple[LiveRender, io.StringIO]:
    stream = io.StringIO()
    return LiveRender(plan, output, markdown, stream=stream, clock=lambda: "12:00:00"), stream


def test_a_valid_plan_is_written_with_one_line(write_plan, minimal_text: str, tmp_path: Path) -> None:
    plan, out = write_plan(minimal_text), tmp_path / "out.md"
    renderer, stream = live(plan, out)
    assert renderer.once() is True
    assert out.read_text(encoding="utf-8").startswith("# Test plan")
    assert stream.getvalue() == f"12:00:00 wrote {out}\n"


def test_warnings_are_shown_under_the_render_line(write_plan, minimal_text: str, tmp_path: Path) -> None:
    plan, out = write_plan(minimal_text.replace("cost: 500", "cost: 400")), tmp_path / "out.md"
    renderer, stream = live(plan, out)
    assert renderer.once() is True
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"12:00:00 wrote {out} (1 warning)"
    assert lines[1].startswith(f"  {plan}:23:10: warning: ") and lines[1].endswith("(MP202)")


def test_an_invalid_plan_keeps_the_last_good_output(write_plan, minimal_text: str, tmp_path: Path) -> None:
    plan, out = write_plan(minimal_text), tmp_path / "out.md"
    renderer, stream = live(plan, out)
    renderer.once()
    good = out.read_text(encoding="utf-8")
    plan.write_text(minimal_text.replace("cost: 500", "cost: lots"), encoding="utf-8")
    assert renderer.once() is False
    assert out.read_text(encoding="utf-8") == good
    lines = stream.getvalue().splitlines()
    assert f"12:00:00 {plan}: 1 error, kept {out} from 12:00:00" in lines
    assert any("'lots' is not a number" in line and "(MP102)" in line for line in lines)


def test_an_invalid_plan_at_start_writes_nothing(write_plan, minimal_text: str, tmp_path: Path) -> None:
    plan, out = write_plan(minimal_text.replace("cost: 500", "cost: lots")), tmp_path / "out.md"
    renderer, stream = live(plan, out)
    assert renderer.once() is False
    assert not out.exists()
    assert f"12:00:00 {plan}: 1 error, {out} not written" in stream.getvalue()


def test_a_vanished_plan_or_a_failed_write_is_reported_not_raised(
    write_plan, minimal_text: str, tmp_path: Path
) -> None:
    plan = write_plan(minimal_text)
    renderer, stream = live(plan, tmp_path / "no-such-folder" / "out.md")
    assert renderer.once() is False
    assert "the folder" in stream.getvalue() and "does not exist" in stream.getvalue()
    plan.unlink()
    assert renderer.once() is False
    assert "plan.yaml" in stream.getvalue().splitlines()[-1]


def test_watch_stops_on_its_stop_event(write_plan, minimal_text: str, tmp_path: Path) -> None:
    plan, out = write_plan(minimal_text), tmp_path / "out.md"
    stop = threading.Event()
    stream = io.StringIO()
    timer = threading.Timer(1.0, stop.set)
    timer.start()
    try:
        assert watch_render(plan, out, markdown, stream=stream, stop_event=stop) == 0
    finally:
        timer.cancel()
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"watching {plan}; press Ctrl-C to stop"
    assert lines[-1].endswith(" stopped")
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--watch"], "--watch keeps one file up to date: give one plan and -o FILE"),
        (["-o", "{plan}", "--format", "md", "--watch"], "that is the plan itself; choose another output file"),
    ],
)
def test_watch_usage_errors(write_plan, minimal_text: str, args: list[str], message: str) -> None:
    plan = write_plan(minimal_text)
    result = runner.invoke(app, ["render", str(plan), *(a.format(plan=plan) for a in args)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_watch_refuses_several_plans(write_plan, minimal_text: str, tmp_path: Path) -> None:
    first = write_plan(minimal_text, "a.yaml")
    second = write_plan(minimal_text, "b.yaml")
    result = runner.invoke(app, ["render", str(first), str(second), "-d", str(tmp_path / "out"), "--watch"])
    assert result.exit_code == 2
    assert "--watch keeps one file up to date: give one plan and -o FILE" in result.stderr
    assert not (tmp_path / "out").exists()


def test_watch_a_missing_plan_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(tmp_path / "gone.yaml"), "-o", str(tmp_path / "o.md"), "--watch"])
    assert result.exit_code == 2
    assert "gone.yaml: no such file" in result.stderr


@pytest.mark.slow
def test_watch_in_a_real_process_follows_edits_and_stops_on_ctrl_c(
    write_plan, minimal_text: str, tmp_path: Path
) -> None:
    plan, out = write_plan(minimal_text), tmp_path / "out.html"
    process = subprocess.Popen(
        [sys.executable, "-m", "mixplan", "render", str(plan), "-o", str(out), "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    seen: list[str] = []

    def wait_for(fragment: str) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                assert process.poll() is None, seen
                continue
            seen.append(line)
            if fragment in line:
                return line
        pytest.fail(f"no line with {fragment!r} in {seen}")

    try:
        wait_for(f"wrote {out}")
        first = out.read_text(encoding="utf-8")
        assert "<h1>Test plan</h1>" in first or "Test plan</h1>" in first

        plan.write_text(minimal_text.replace("cost: 500", "cost: lots"), encoding="utf-8")
        wait_for(f"{plan}: 1 error, kept {out} from ")
        assert out.read_text(encoding="utf-8") == first

        plan.write_text(minimal_text.replace("title: Test plan", "title: Second draft"), encoding="utf-8")
        wait_for(f"wrote {out}")
        assert "Second draft" in out.read_text(encoding="utf-8")
        assert not list(tmp_path.glob(".out.html.*")), "no temporary file left behind"

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        wait_for(" stopped")
        assert "Traceback" not in "".join(seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_save_in_a_watched_folder_renders_again(write_plan, minimal_text: str, tmp_path: Path) -> None:
    """A custom template folder: any file saved in it triggers a render, like the plan."""
    plan, out = write_plan(minimal_text), tmp_path / "out.txt"
    templates = tmp_path / "templates"
    templates.mkdir()
    header = templates / "header.txt"
    header.write_text("v1 ", encoding="utf-8")
    stream = io.StringIO()
    stop = threading.Event()
    worker = threading.Thread(
        target=watch_render,
        args=(plan, out, lambda p: header.read_text(encoding="utf-8") + p.plan.title),
        kwargs={"folders": [templates], "stream": stream, "stop_event": stop},
    )
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while stream.getvalue().count(" wrote ") < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out.read_text(encoding="utf-8") == "v1 Test plan"
        header.write_text("v2 ", encoding="utf-8")
        while stream.getvalue().count(" wrote ") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out.read_text(encoding="utf-8") == "v2 Test plan"
    finally:
        stop.set()
        worker.join(timeout=20)
    assert not worker.is_alive()
    assert stream.getvalue().splitlines()[0] == f"watching {plan} and {templates}/; press Ctrl-C to stop"
