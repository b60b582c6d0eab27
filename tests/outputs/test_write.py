"""The writer: whatever happens during a write, the old file stays whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mixplan.errors import MixplanError
from mixplan.outputs.write import WouldOverwrite, write_bytes, write_chunks, write_text

from ..conftest import EXAMPLES


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("failure", "reported_as"),
    [(OSError(28, "No space left on device"), MixplanError), (KeyboardInterrupt(), KeyboardInterrupt)],
)
def test_a_write_interrupted_before_the_rename_keeps_the_old_file(
    tmp_path: Path, monkeypatch, failure, reported_as
) -> None:
    target = tmp_path / "plan.html"
    target.write_text("the old deliverable\n", encoding="utf-8")

    def fail(_fd: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(reported_as):
        write_text(target, "<html>new</html>\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "the old deliverable\n"
    assert _leftovers(tmp_path) == []


def test_refuses_to_overwrite_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"mine")
    with pytest.raises(WouldOverwrite, match="already exists"):
        write_bytes(target, b"theirs")
    assert target.read_bytes() == b"mine"
    write_bytes(target, b"theirs", overwrite=True)
    assert target.read_bytes() == b"theirs"


def test_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "new", overwrite=True)
    assert target.stat().st_mode & 0o777 == 0o640


def test_missing_folder_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(MixplanError, match="does not exist"):
        write_text(tmp_path / "nope" / "x.md", "x")
    with pytest.raises(MixplanError, match="is a directory"):
        write_text(tmp_path, "x", overwrite=True)


def test_a_killed_render_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    """A real process, stopped by SIGKILL in the middle of writing: the old output survives."""
    target = tmp_path / "plan.html"
    target.write_text("previous version\n", encoding="utf-8")
    script = (
        "import os, sys, time\n"
        "import mixplan.outputs.write as w\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    print('writing', flush=True); time.sleep(30); real(fd)\n"
        "os.fsync = slow\n"
        "w.write_text(sys.argv[1], 'x' * 1_000_000, overwrite=True)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "writing"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert target.read_text(encoding="utf-8") == "previous version\n"


def test_render_writes_whole_files(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mixplan.cli import app

    out = tmp_path / "plan.md"
    result = CliRunner().invoke(app, ["render", str(EXAMPLES[0]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").endswith("\n")
    assert _leftovers(tmp_path) == []


def test_pieces_are_written_in_order_as_utf8_and_bytes_alike(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    assert write_chunks(target, iter(["Budget : ", b"12\xc2\xa0000 ", "€\n"])) == target
    assert target.read_text(encoding="utf-8") == "Budget : 12\u00a0000 €\n"


def test_a_refused_write_asks_for_no_piece(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("mine", encoding="utf-8")
    asked = []

    def pieces():
        asked.append(True)
        yield "theirs"

    with pytest.raises(WouldOverwrite):
        write_chunks(target, pieces())
    assert asked == [] and target.read_text(encoding="utf-8") == "mine"


def test_a_piece_that_fails_keeps_the_old_file_and_closes_the_producer(tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")
    closed = []

    def pieces():
        try:
            yield "<html>" * 100_000
            raise ValueError("the template broke")
        finally:
            closed.append(True)

    with pytest.raises(ValueError, match="the template broke"):
        write_chunks(target, pieces(), overwrite=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == [] and closed == [True]
