"""`render` with several plans, output folders, and PDF's error paths (no browser needed)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.errors import MixplanError
from mixplan.outputs import pdf

from ..conftest import ASSETS, EXAMPLES

runner = CliRunner()
BROKEN = ASSETS / "broken" / "budget-over.yaml"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_several_plans_into_an_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "deliverables"
    result = invoke("render", *EXAMPLES, "--output-dir", out)
    assert result.exit_code == 0, result.output
    for example in EXAMPLES:
        written = out / f"{example.stem}.html"
        assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        # Each plan's message in its own language.
        said = "fichier écrit :" if example.stem.startswith("fr-") else "wrote"
        assert f"{said} {written}" in result.output
    result = invoke("render", *EXAMPLES, "-o", out, "--format", "md")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{e.stem}.{x}" for e in EXAMPLES for x in ("html", "md"))


def test_a_batch_never_replaces_files_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    kept = out / f"{EXAMPLES[1].stem}.html"
    kept.write_text("mine", encoding="utf-8")
    result = invoke("render", *EXAMPLES, "-d", out)
    assert result.exit_code == 2
    assert f"{kept}: already exist(s); not overwriting (use --force to replace)" in result.output
    # Nothing at all was written: outputs are checked before any rendering.
    assert [p.name for p in out.iterdir()] == [kept.name] and kept.read_text(encoding="utf-8") == "mine"
    result = invoke("render", *EXAMPLES, "-d", out, "--force")
    assert result.exit_code == 0, result.output
    assert kept.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "several plans: give an output folder with --output-dir DIR (or -o DIR)"),
        (["-o", "{tmp}/both.html"], "with several plans, -o must be an existing folder (or use --output-dir DIR)"),
        (["-o", "{tmp}", "-d", "{tmp}"], "give either -o or --output-dir, not both"),
        (["-d", "{tmp}", "--format", "docx"], "unknown format 'docx': use md, html or pdf"),
    ],
)
def test_batch_usage_errors(tmp_path: Path, extra: list[str], message: str) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    result = invoke("render", *EXAMPLES, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_two_plans_with_the_same_name_are_refused(tmp_path: Path) -> None:
    twin = tmp_path / "twin" / EXAMPLES[0].name
    twin.parent.mkdir()
    shutil.copy(EXAMPLES[0], twin)
    result = invoke("render", EXAMPLES[0], twin, "-d", tmp_path / "out")
    assert result.exit_code == 2
    assert "would both be written to" in result.output
    assert not (tmp_path / "out").exists()


def test_an_invalid_plan_does_not_stop_the_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("render", BROKEN, EXAMPLES[0], tmp_path / "missing.yaml", "-d", out)
    assert result.exit_code == 2, result.output  # the unreadable file is the worst problem
    assert f"{BROKEN}: not rendered, the plan has 1 error" in result.output
    assert "missing.yaml" in result.output
    assert [p.name for p in out.iterdir()] == [f"{EXAMPLES[0].stem}.html"]
    result = invoke("render", BROKEN, EXAMPLES[0], "-d", out, "--force")
    assert result.exit_code == 1


def test_a_batch_output_is_never_a_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    shutil.copy(EXAMPLES[0], plan)
    result = invoke("render", plan, EXAMPLES[1], "-d", tmp_path, "--format", "md", "--force")
    assert result.exit_code == 2 and "that is the plan itself" in result.output


def test_pdf_needs_a_file(tmp_path: Path) -> None:
    result = invoke("render", EXAMPLES[0], "--format", "pdf")
    assert result.exit_code == 2
    assert "a PDF needs an output file: add -o plan.pdf" in result.output


def test_pdf_without_a_browser_says_how_to_install_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "plan.pdf"
    result = invoke("render", EXAMPLES[0], "-o", out)
    assert result.exit_code == 2
    assert "no Chromium found: PDF output needs Chromium or Google Chrome on PATH" in result.output
    assert "apt-get install chromium" in result.output
    assert not out.exists()


# Answers mixplan's DevTools commands on fds 3 and 4 as Chromium would, printing "%PDF-fake".
FAKE_DEVTOOLS = """
import base64, json, os

def say(message):
    os.write(4, json.dumps(message).encode() + b"\\0")

received = b""
while True:
    chunk = os.read(3, 65536)
    if not chunk:
        break
    received += chunk
    *messages, received = received.split(b"\\0")
    for text in messages:
        command = json.loads(text)
        method, reply = command["method"], {"id": command["id"], "result": {}}
        if method == "Target.createTarget":
            reply["result"] = {"targetId": "T"}
        elif method == "Target.attachToTarget":
            reply["result"] = {"sessionId": "S"}
        elif method == "Page.navigate":
            url = command["params"]["url"]
            say({"method": "Fetch.requestPaused", "sessionId": "S", "params": {"requestId": "r1", "request": {"url": url}}})
        elif method == "Page.printToPDF":
            reply["result"] = {"data": base64.b64encode(b"%PDF-fake").decode()}
        if "sessionId" in command:
            reply["sessionId"] = command["sessionId"]
        say(reply)
        if method == "Page.navigate":
            say({"method": "Page.loadEventFired", "sessionId": "S", "params": {}})
"""


def _fake_browser(folder: Path, script: str) -> Path:
    path = folder / "chromium"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(os.name != "posix", reason="shell-script stand-ins for the browser")
def test_pdf_browser_failures_are_reported(tmp_path: Path, monkeypatch) -> None:
    plan = mixplan.load_plan(EXAMPLES[0])
    failing = _fake_browser(tmp_path, 'echo "cannot open display" >&2; exit 7')
    with pytest.raises(MixplanError, match=r"could not print the PDF \(exit 7: cannot open display\)"):
        pdf.html_to_pdf("<p>x</p>", browser=str(failing))
    slow = _fake_browser(tmp_path, "sleep 5")
    with pytest.raises(MixplanError, match=r"did not finish printing the PDF within 0.5 s"):
        pdf.html_to_pdf("<p>x</p>", browser=str(slow), timeout=0.5)
    # A browser that prints: the arguments it gets, and the bytes written through write_bytes.
    printing = _fake_browser(tmp_path, f'echo "$@" > {tmp_path}/args\nexec {sys.executable} {tmp_path}/devtools.py')
    (tmp_path / "devtools.py").write_text(FAKE_DEVTOOLS, encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pdf.find_browser() == str(printing)
    assert mixplan.render_pdf(plan) == b"%PDF-fake"
    args = (tmp_path / "args").read_text(encoding="utf-8")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=",
        "--remote-debugging-pipe",
    ):
        assert flag in args, flag
    out = tmp_path / "plan.pdf"
    result = invoke("render", EXAMPLES[0], "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == b"%PDF-fake"
