"""What an output path names is written, never destroyed: devices, pipes, links, full disks, signals."""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixplan.cli import app
from mixplan.errors import MixplanError
from mixplan.outputs.write import write_chunks, write_text

from ..conftest import ROOT

PLAN = ROOT / "examples" / "en-b2b-saas.yaml"
runner = CliRunner()


def _mixplan(*args: str, **options) -> subprocess.CompletedProcess:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([sys.executable, "-m", "mixplan", *args], timeout=120, **streams)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def _csv_export() -> bytes:
    done = _mixplan("export", str(PLAN), "--to", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout


# Devices, pipes, descriptors: written into, never replaced.


def test_render_into_a_character_device_keeps_the_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))

    done = _mixplan("render", str(PLAN), "--format", "html", "-o", str(null))

    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.makedev(1, 3)
    assert _leftovers(tmp_path) == []


def test_export_into_a_fifo_reaches_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the writer opens it
    try:
        done = _mixplan("export", str(PLAN), "--to", "csv", "-o", str(fifo))
        received = os.read(reader, 1 << 20)
    finally:
        os.close(reader)

    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received == _csv_export()


@pytest.mark.parametrize("captured_into", ["pipe", "file"])
def test_export_to_the_standard_output_link_prints_and_keeps_the_link(tmp_path: Path, captured_into: str) -> None:
    # The same link as /dev/stdout, made in a temporary folder: a regression must not replace the machine's /dev/stdout.
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")
    if captured_into == "pipe":
        done = _mixplan("export", str(PLAN), "--to", "csv", "-o", str(stdout_link))
        printed = done.stdout
    else:
        with open(tmp_path / "captured.csv", "wb") as handle:
            done = _mixplan(
                "export", str(PLAN), "--to", "csv", "-o", str(stdout_link), stdout=handle, stderr=subprocess.PIPE
            )
        printed = (tmp_path / "captured.csv").read_bytes()

    assert done.returncode == 0, done.stderr
    assert stdout_link.is_symlink() and os.readlink(stdout_link) == "/proc/self/fd/1"
    assert printed == _csv_export()


def test_export_to_dev_fd_1_prints() -> None:
    done = _mixplan("export", str(PLAN), "--to", "csv", "-o", "/dev/fd/1")
    assert done.returncode == 0, done.stderr
    assert done.stdout == _csv_export()


def test_a_socket_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "out.html"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        done = _mixplan("render", str(PLAN), "-o", str(path))
    finally:
        server.close()
    assert done.returncode == 2
    assert b"is a socket, which cannot be written like a file; give a file name" in done.stderr
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


# Links: written through, and the link stays.


@pytest.mark.parametrize("command", [["render", str(PLAN)], ["export", str(PLAN)]])
def test_writing_onto_a_symlink_writes_its_target(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "plan.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.html"
    link.symlink_to(Path("reports") / "plan.html")
    if command[0] == "export":
        real, link = real.with_suffix(".csv"), link.with_suffix(".csv")
        real.write_text("old", encoding="utf-8")
        link.symlink_to(Path("reports") / "plan.csv")

    result = runner.invoke(app, [*command, "-o", str(link)])

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(Path("reports") / real.name)
    assert real.read_text(encoding="utf-8") != "old" and real.stat().st_size > 1000
    assert _leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_the_file_it_points_to(tmp_path: Path) -> None:
    link = tmp_path / "plan.md"
    link.symlink_to("made.md")

    result = runner.invoke(app, ["render", str(PLAN), "-o", str(link)])

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8").startswith("#")


def test_a_dangling_symlink_into_a_missing_folder_is_explained(tmp_path: Path) -> None:
    link = tmp_path / "plan.md"
    link.symlink_to("gone/made.md")

    result = runner.invoke(app, ["render", str(PLAN), "-o", str(link)])

    assert result.exit_code == 2
    assert (
        f"mixplan: {link}: is a link to {tmp_path / 'gone' / 'made.md'}, and the folder {tmp_path / 'gone'} does not exist"
        in result.stderr
    )
    assert link.is_symlink()


def test_a_dangling_symlink_in_an_output_folder_counts_as_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "en-b2b-saas.html").symlink_to(tmp_path / "elsewhere.html")

    result = runner.invoke(app, ["render", str(PLAN), "-d", str(out)])

    assert result.exit_code == 2
    assert "already exist(s); not overwriting (use --force to replace)" in result.stderr
    assert not (tmp_path / "elsewhere.html").exists()


@pytest.mark.parametrize("command", ["render", "export"])
def test_a_symlink_loop_is_a_clear_error(tmp_path: Path, command: str) -> None:
    (tmp_path / "a.csv").symlink_to("b.csv")
    (tmp_path / "b.csv").symlink_to("a.csv")
    args = ["render", str(PLAN), "--format", "md"] if command == "render" else ["export", str(PLAN)]

    result = runner.invoke(app, [*args, "-o", str(tmp_path / "a.csv")])

    assert result.exit_code == 2, result.output
    assert (
        "too many levels of symbolic links (a link that leads back to itself?); fix the link or give another file name"
        in result.stderr
    )
    assert (tmp_path / "a.csv").is_symlink() and (tmp_path / "b.csv").is_symlink()


@pytest.mark.parametrize("link", ["symbolic", "hard"])
@pytest.mark.parametrize("command", ["render", "export"])
def test_the_plan_itself_through_a_link_is_refused(tmp_path: Path, link: str, command: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(PLAN.read_bytes())
    alias = tmp_path / "alias.md"
    alias.symlink_to(plan) if link == "symbolic" else os.link(plan, alias)
    args = ["render", str(plan), "--format", "md"] if command == "render" else ["export", str(plan), "--to", "csv"]

    result = runner.invoke(app, [*args, "-o", str(alias)])

    assert result.exit_code == 2
    assert f"mixplan: {alias}: that is the plan itself; choose another output file" in result.stderr
    assert plan.read_bytes() == PLAN.read_bytes()


def test_a_hard_linked_output_is_rewritten_for_every_name(tmp_path: Path) -> None:
    first, second = tmp_path / "plan.csv", tmp_path / "copy.csv"
    first.write_text("old", encoding="utf-8")
    os.link(first, second)
    os.chown(first, 1234, 5678)
    first.chmod(0o640)

    write_text(first, "new content\n", overwrite=True)

    assert second.read_text(encoding="utf-8") == "new content\n"
    assert os.path.samefile(first, second)
    status = first.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode), status.st_nlink) == (1234, 5678, 0o640, 2)
    assert _leftovers(tmp_path) == []


def test_a_replaced_file_keeps_its_owner_group_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 1234, 5678)
    target.chmod(0o604)

    write_text(target, "new", overwrite=True)

    status = target.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (1234, 5678, 0o604)
    assert target.read_text(encoding="utf-8") == "new"


def test_a_read_only_file_is_not_replaced(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    # Root may write anything; a user may not write a file with no write permission.
    monkeypatch.setattr(os, "access", lambda path, mode, **_: not (mode & os.W_OK))

    with pytest.raises(MixplanError) as raised:
        write_text(target, "new", overwrite=True)

    assert (
        raised.value.message
        == f"{target}: is read-only; not replacing it (make it writable, or give another file name)"
    )
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


# schema -o: refuses to replace without --force.


def test_schema_does_not_overwrite_without_force(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(PLAN.read_bytes())

    refused = runner.invoke(app, ["schema", "-o", str(plan)])

    assert refused.exit_code == 2
    assert f"mixplan: {plan}: already exists; not overwriting it (use --force to replace it)" in refused.stderr
    assert plan.read_bytes() == PLAN.read_bytes()
    forced = runner.invoke(app, ["schema", "-o", str(plan), "--force"])
    assert forced.exit_code == 0 and plan.read_text(encoding="utf-8").startswith("{")


# A full disk.


def _failing_write(monkeypatch, after: int = 1) -> None:
    real = os.write
    calls = []

    def write(fd: int, data) -> int:
        calls.append(fd)
        if len(calls) > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_a_full_disk_keeps_the_old_file_and_says_so(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.html"
    target.write_text("the old deliverable\n", encoding="utf-8")
    _failing_write(monkeypatch)

    with pytest.raises(MixplanError) as raised:
        write_chunks(target, iter(["<html>", "the second piece finds the disk full"]), overwrite=True)

    assert raised.value.message == f"no space left on device, {target} was not written; the old file is unchanged"
    assert target.read_text(encoding="utf-8") == "the old deliverable\n"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_during_render_exits_2(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.html"
    target.write_text("the old deliverable\n", encoding="utf-8")
    _failing_write(monkeypatch, after=0)

    result = runner.invoke(app, ["render", str(PLAN), "-o", str(target)])

    assert result.exit_code == 2, result.output
    assert f"mixplan: no space left on device, {target} was not written; the old file is unchanged" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "the old deliverable\n"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_before_rewriting_a_hard_link_in_place_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    target, other = tmp_path / "plan.csv", tmp_path / "other.csv"
    target.write_text("old", encoding="utf-8")
    os.link(target, other)

    def full(*_args) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(MixplanError, match="no space left on device, .* was not written; the old file is unchanged"):
        write_text(target, "much longer new content", overwrite=True)
    assert other.read_text(encoding="utf-8") == "old" and _leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 64 KB tmpfs, where mounting is allowed."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_really_full_disk_in_a_real_process(small_disk: Path) -> None:
    target = small_disk / "plan.html"
    target.write_text("the old deliverable\n", encoding="utf-8")

    done = _mixplan("render", str(PLAN), "-o", str(target))

    assert done.returncode == 2, done.stderr
    assert (
        f"mixplan: no space left on device, {target} was not written; the old file is unchanged".encode() in done.stderr
    )
    assert target.read_text(encoding="utf-8") == "the old deliverable\n"
    assert _leftovers(small_disk) == []


def test_a_read_only_file_system_is_named(small_disk: Path) -> None:
    target = small_disk / "plan.html"
    target.write_text("old", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    done = _mixplan("render", str(PLAN), "-o", str(target))

    assert done.returncode == 2, done.stderr
    assert f"mixplan: {target}: is on a read-only file system; give a file name elsewhere".encode() in done.stderr
    assert target.read_text(encoding="utf-8") == "old"


# Signals while writing.


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    plan = folder / "big.yaml"
    with plan.open("wb") as handle:
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "2000"], stdout=handle, check=True, cwd=ROOT
        )
    return plan


@pytest.mark.slow
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_while_rendering_removes_the_temporary_file(
    tmp_path: Path, big_plan: Path, signal_number: int
) -> None:
    target = tmp_path / "plan.html"
    target.write_text("previous version\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mixplan", "render", str(big_plan), "-o", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not _leftovers(tmp_path) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert _leftovers(tmp_path), "the render finished before a temporary file was seen"
        process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + signal_number, stderr
    expected = (
        b"mixplan: interrupted"
        if signal_number == signal.SIGINT
        else f"mixplan: stopped by {signal.Signals(signal_number).name}".encode()
    )
    assert expected in stderr and b"Traceback" not in stderr
    assert _leftovers(tmp_path) == []
    assert target.read_text(encoding="utf-8") == "previous version\n"


def test_temporary_files_left_by_a_kill_are_never_read(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    assert runner.invoke(app, ["templates", "export", str(templates)]).exit_code == 0
    # What a SIGKILL may leave beside a template or a theme: broken, and never to be read.
    for name in ("html/.plan.html.j2.k3x9.tmp", "html/themes/.dark.css.k3x9.tmp", "markdown/.plan.md.j2.k3x9.tmp"):
        (templates / name).write_text("{{ broken", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".en-b2b-saas.html.k3x9.tmp").write_text("half a file", encoding="utf-8")

    rendered = runner.invoke(app, ["render", str(PLAN), "--templates", str(templates), "-d", str(out)])
    unknown_theme = runner.invoke(
        app, ["render", str(PLAN), "--templates", str(templates), "--theme", "dark", "-o", str(out / "x.html")]
    )

    assert rendered.exit_code == 0, rendered.output
    assert "half a file" not in (out / "en-b2b-saas.html").read_text(encoding="utf-8")
    assert unknown_theme.exit_code == 2 and "dark" in unknown_theme.stderr and ".tmp" not in unknown_theme.stderr
    assert sorted(p.name for p in out.iterdir()) == [".en-b2b-saas.html.k3x9.tmp", "en-b2b-saas.html"]
