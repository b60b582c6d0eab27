"""What mixplan prints never drives the terminal: control characters from outside are shown, not obeyed.

A plan is refused when it holds a control character, but a file name, a CSV
cell or a message built from them still reaches the terminal. Every test
runs the real command and looks at the raw bytes it wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
HOSTILE_NAME = "\x1b[2J\x9b31m\u202e.yaml"


def _mixplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *args],
        capture_output=True,
        cwd=cwd,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _assert_nothing_obeyed(done: subprocess.CompletedProcess[bytes]) -> str:
    both = done.stdout + done.stderr
    assert b"\x1b" not in both and b"\r" not in both, both
    text = both.decode("utf-8")
    assert "\x9b" not in text and "\u202e" not in text, text
    assert "Traceback" not in text and "internal error" not in text, text
    return text


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_a_hostile_file_name_is_shown_escaped(output_format: str, tmp_path: Path) -> None:
    (tmp_path / HOSTILE_NAME).write_text(MINIMAL.replace("cost: 500", "cost: 5000"), encoding="utf-8")
    done = _mixplan("validate", "--format", output_format, HOSTILE_NAME, cwd=tmp_path)
    assert done.returncode == 1
    text = _assert_nothing_obeyed(done)
    if output_format == "json":
        findings = json.loads(done.stdout)
        assert findings and all(f["file"] == HOSTILE_NAME for f in findings)  # JSON says the true name, escaped
    else:
        assert "\\x1b[2J\\x9b31m\\u202e.yaml" in text


def test_a_hostile_name_in_a_summary_and_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / HOSTILE_NAME).write_text(MINIMAL, encoding="utf-8")
    done = _mixplan("validate", HOSTILE_NAME, "missing\x1b[1A.yaml", cwd=tmp_path)
    assert done.returncode == 2
    text = _assert_nothing_obeyed(done)
    assert '\\x1b[2J\\x9b31m\\u202e.yaml: ok, "Test plan"' in text
    assert "mixplan: missing\\x1b[1A.yaml: no such file" in text


def test_an_unknown_key_holding_a_control_character(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(
        MINIMAL.replace("    cost: 500\n", '    cost: 500\n    "co\\e[2Jst": 1\n'), encoding="utf-8"
    )
    done = _mixplan("validate", "plan.yaml", cwd=tmp_path)
    assert done.returncode == 1
    text = _assert_nothing_obeyed(done)
    assert "plan.yaml:33:5: error: the key holds the control character U+001B" in text


@pytest.mark.parametrize(
    "command", [["render", HOSTILE_NAME], ["export", "--to", "csv", HOSTILE_NAME], ["status", HOSTILE_NAME]]
)
def test_generic_errors_echo_names_escaped(command: list[str], tmp_path: Path) -> None:
    done = _mixplan(*command, cwd=tmp_path)
    assert done.returncode == 2
    text = _assert_nothing_obeyed(done)
    assert "\\x1b[2J" in text and "no such file" in text


def test_a_csv_cell_in_a_results_import_error(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "export.csv").write_text("means,month,spend\nads\x1b[2J\x9b1m,2027-02,10\n", encoding="utf-8")
    done = _mixplan("results", "import", "plan.yaml", "export.csv", cwd=tmp_path)
    assert done.returncode == 1
    text = _assert_nothing_obeyed(done)
    assert "ads\\x1b[2J\\x9b1m" in text
