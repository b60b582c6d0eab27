"""plan.logo: what a plan may name as its logo, and the plain-words finding (MP112) for anything else.

A plan may come from someone else: its logo must stay a small image inside
the plan's folder, and an SVG must stay a drawing. Each fault is checked
through a real `mixplan validate` (exit 1, file:line:column) and `render`
(refused), and the good cases are embedded as a data: URI.
"""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import mixplan
from mixplan.loading.logo import MAX_LOGO_BYTES, LogoProblem, read_logo

from ..conftest import ASSETS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#123456"/></svg>\n'


def _plan(folder: Path, logo: str, name: str = "plan.yaml") -> Path:
    text = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
    period = "  period: {start: 2027-01-01, end: 2027-06-30}\n"
    assert period in text
    path = folder / name
    path.write_text(text.replace(period, period + f"  logo: {logo}\n"), encoding="utf-8")
    return path


class _Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _run(*arguments: str | Path, process: bool = False) -> _Result:
    """`mixplan ARGS`, in a real process for the faults that are about files and processes, else in this one."""
    if process:
        done = subprocess.run(
            [sys.executable, "-m", "mixplan", *map(str, arguments)], capture_output=True, text=True, timeout=60
        )
        return _Result(done.returncode, done.stdout, done.stderr)
    from typer.testing import CliRunner

    from mixplan.cli import app

    result = CliRunner().invoke(app, [str(a) for a in arguments])
    return _Result(result.exit_code, result.stdout, result.stderr)


def _refused(tmp_path: Path, logo: str, words: str, *, process: bool = False) -> None:
    """validate: exit 1 at plan.logo (line 8, column 9) with MP112 and `words`; render: refused, nothing written."""
    plan = _plan(tmp_path, logo)
    checked = _run("validate", plan, process=process)
    assert checked.returncode == 1, checked.stderr + checked.stdout
    assert f"{plan}:8:9: error: " in checked.stdout
    assert words in checked.stdout
    assert "(MP112)" in checked.stdout and "Traceback" not in checked.stderr
    out = tmp_path / "out.html"
    rendered = _run("render", plan, "-o", out, process=process)
    assert rendered.returncode == 1 and not out.exists()
    assert words in rendered.stderr and "Traceback" not in rendered.stderr


@pytest.mark.parametrize(
    ("data", "media_type"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (SVG, "image/svg+xml")],
    ids=["png", "jpeg", "svg"],
)
def test_a_logo_beside_the_plan_is_embedded_as_a_data_uri(tmp_path: Path, data: bytes, media_type: str) -> None:
    (tmp_path / "brand").mkdir()
    # The name says nothing: the content does.
    (tmp_path / "brand" / "logo.img").write_bytes(data)
    plan = _plan(tmp_path, "brand/logo.img")
    assert mixplan.validate(plan).ok
    html = mixplan.render(mixplan.load_plan(plan), "html")
    uri = f"data:{media_type};base64,{base64.b64encode(data).decode()}"
    assert f'<img class="logo" src="{uri}" alt="Test client">' in html
    # Markdown points at nothing local: the logo is left out.
    markdown = mixplan.render(mixplan.load_plan(plan), "md")
    assert "logo" not in markdown and "data:" not in markdown


def test_no_logo_means_no_img(tmp_path: Path) -> None:
    assert "<img" not in mixplan.render(mixplan.load_plan(ASSETS / "minimal.yaml"), "html")


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path, "brand/logo.svg", "plan.logo 'brand/logo.svg': there is no such file in the plan's folder")


def test_too_big(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG + b"\x00" * MAX_LOGO_BYTES)
    _refused(tmp_path, "logo.png", "weighs 512 KB; a logo may weigh at most 512 KB: export it smaller")


def test_wrong_type(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"GIF89a" + b"\x00" * 20)
    _refused(tmp_path, "logo.png", "is not a PNG, JPEG or SVG image (its content does not start like one")


def test_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    _refused(tmp_path, str(tmp_path / "logo.png"), "is an absolute path: write the path from the plan's folder")


def test_going_up_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "plans").mkdir()
    plan = _plan(tmp_path / "plans", "../logo.png")
    checked = _run("validate", plan)
    assert checked.returncode == 1
    assert "goes up out of the plan's folder ('..')" in checked.stdout and "(MP112)" in checked.stdout


def test_symlink_leading_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG)
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "logo.png").symlink_to(outside / "secret.png")
    plan = _plan(folder, "logo.png")
    checked = _run("validate", plan, process=True)
    assert checked.returncode == 1
    assert "is a link to a file outside the plan's folder" in checked.stdout and "(MP112)" in checked.stdout


def test_symlinked_folder_leading_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "logo.png").write_bytes(PNG)
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "brand").symlink_to(outside)
    plan = _plan(folder, "brand/logo.png")
    assert "is a link to a file outside the plan's folder" in _run("validate", plan).stdout


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "logo-2027.png").write_bytes(PNG)
    (tmp_path / "logo.png").symlink_to("logo-2027.png")
    assert mixplan.validate(_plan(tmp_path, "logo.png")).ok


def test_device(tmp_path: Path) -> None:
    # A device such as /dev/zero would never end if it were read: it is looked at first, and refused.
    with pytest.raises(LogoProblem, match="is a device, not an image file"):
        read_logo(Path("/dev"), "zero")
    try:
        os.mknod(tmp_path / "logo.png", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device node needs root")
    _refused(tmp_path, "logo.png", "is a device, not an image file", process=True)


def test_fifo(tmp_path: Path) -> None:
    # A FIFO with no writer would block a reader for ever: refused without opening it.
    os.mkfifo(tmp_path / "logo.svg")
    _refused(tmp_path, "logo.svg", "is a FIFO (named pipe), not an image file", process=True)


def test_folder(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    _refused(tmp_path, "brand", "is a folder, not an image file")


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<script>fetch('https://evil.example/')</script>", "holds a <script> element"),
        ('<rect width="1" height="1" onload="alert(1)"/>', "with an event handler (onload=)"),
        ('<image href="https://evil.example/x.png"/>', "links to another file (href="),
        ('<use xlink:href="file:///etc/passwd#x"/>', "links to another file (href="),
        ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>', "<foreignobject>"),
        ("<style>@import url(https://evil.example/a.css);</style>", "whose style loads another file"),
        ('<rect style="fill:url(https://evil.example/p.svg)"/>', "whose style loads another file"),
    ],
    ids=["script", "onload", "external-href", "xlink-file", "foreign-object", "style-import", "style-url"],
)
def test_an_svg_logo_can_run_and_fetch_nothing(tmp_path: Path, body: str, words: str) -> None:
    (tmp_path / "logo.svg").write_text(SVG_HEAD + body + "</svg>", encoding="utf-8")
    _refused(tmp_path, "logo.svg", words)


def test_an_svg_referring_inside_itself_is_fine(tmp_path: Path) -> None:
    body = '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="5" height="5"/><use href="#g"/>'
    (tmp_path / "logo.svg").write_text(SVG_HEAD + body + "</svg>", encoding="utf-8")
    assert mixplan.validate(_plan(tmp_path, "logo.svg")).ok


def test_entity_bomb_svg(tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY l{n} "&l{n - 1};&l{n - 1};&l{n - 1};&l{n - 1};">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "ha">{entities}]>{SVG_HEAD}<text>&l9;</text></svg>'
    (tmp_path / "logo.svg").write_text(bomb, encoding="utf-8")
    _refused(tmp_path, "logo.svg", "declares XML entities (<!ENTITY>)")


def test_huge_svg(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text(SVG_HEAD + '<rect width="1" height="1"/>' * 40_000 + "</svg>", encoding="utf-8")
    _refused(tmp_path, "logo.svg", "a logo may weigh at most 512 KB")


def test_a_plan_from_text_has_no_folder(tmp_path: Path) -> None:
    text = _plan(tmp_path, "logo.png").read_text(encoding="utf-8")
    report = mixplan.validate(text=text, name="given.yaml")
    assert [(f.line, f.column, f.rule) for f in report.findings] == [(8, 9, "MP112")]
    assert "was given as text, not read from a file, so there is no folder" in report.findings[0].message
    with pytest.raises(mixplan.MixplanError, match="this plan was not read from a file, so there is no folder"):
        mixplan.render(
            mixplan.validate(text=text.replace("  logo: logo.png\n", "")).valid_plan.model_copy(
                update={"plan": report.plan.plan}
            ),
            "html",
        )
    # With the folder named, the logo is found, and the plan remembers where.
    (tmp_path / "logo.png").write_bytes(PNG)
    report = mixplan.validate(text=text, name="given.yaml", folder=tmp_path)
    assert report.ok
    assert "data:image/png;base64," in mixplan.render(report.valid_plan, "html")
    assert "data:image/png;base64," in mixplan.render(report.plan.model_copy(), "html", folder=tmp_path)
