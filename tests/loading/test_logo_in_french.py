"""plan.logo refused in French: a French plan's MP112 finding speaks French, in `validate` and in `render`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import mixplan

from ..conftest import ASSETS

N = "\u202f"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'


def _french_plan(folder: Path, logo: str) -> Path:
    text = (ASSETS / "minimal.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr", 1)
    period = "  period: {start: 2027-01-01, end: 2027-06-30}\n"
    path = folder / "plan.yaml"
    path.write_text(text.replace(period, period + f"  logo: {logo}\n"), encoding="utf-8")
    return path


def _message(folder: Path, logo: str) -> str:
    report = mixplan.validate(_french_plan(folder, logo))
    assert [(f.line, f.column, f.rule) for f in report.findings] == [(8, 9, "MP112")]
    return report.findings[0].message


def test_a_missing_logo_in_french(tmp_path: Path) -> None:
    assert _message(tmp_path, "brand/logo.svg") == (
        f"plan.logo «{N}brand/logo.svg{N}»{N}: ce fichier n’existe pas dans le dossier du plan ({tmp_path.resolve()})"
        f"{N}: vérifiez le nom et le dossier, ou retirez plan.logo"
    )


def test_a_logo_too_big_in_french(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG + b"\x00" * (700 * 1024))
    assert _message(tmp_path, "logo.png") == (
        f"plan.logo «{N}logo.png{N}» pèse 700 Ko, alors qu’un logo pèse au plus 512 Ko{N}: exportez-le plus léger "
        "(en SVG, ou en PNG ou JPEG d’environ 600 pixels de large)"
    )


def test_an_absolute_logo_path_in_french(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    assert _message(tmp_path, str(tmp_path / "logo.png")) == (
        f"plan.logo «{N}{tmp_path / 'logo.png'}{N}» est un chemin absolu{N}: écrivez le chemin depuis le dossier du "
        "plan, par exemple brand/logo.png, et gardez le logo dans ce dossier"
    )


def test_an_svg_with_a_script_in_french(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_bytes(SVG_HEAD + b"<script>alert(1)</script></svg>")
    assert _message(tmp_path, "logo.svg") == (
        f"plan.logo «{N}logo.svg{N}» est un SVG qui contient un élément <script>{N}: un logo doit être un simple "
        "dessin, exportez-le à nouveau sans script, gestionnaire d’événement ni lien vers d’autres fichiers"
    )


ENGLISH = re.compile(r"\b(the|is|a|an|not|with|which|must|cannot|file|folder|name|export|link|holds?)\b")


@pytest.mark.parametrize(
    ("logo", "content"),
    [
        ("brand/logo.svg", None),
        ("../logo.png", None),
        ("brand", "folder"),
        ("logo.png", b"GIF89a" + b"\x00" * 20),
        ("logo.png", PNG + b"\x00" * (600 * 1024)),
        ("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG_HEAD + b"</svg>"),
        ("logo.svg", SVG_HEAD.replace(b"<svg ", b'<svg onload="x()" ') + b"</svg>"),
        ("logo.svg", SVG_HEAD + b'<image href="http://example.com/a.png"/></svg>'),
        ("logo.svg", SVG_HEAD + b"<style>@import url(a.css);</style></svg>"),
        ("logo.svg", SVG_HEAD + b'<rect style="fill: url(http://x/y)"/></svg>'),
        ("logo.svg", SVG_HEAD + b"<foreignObject/></svg>"),
        ("logo.svg", SVG_HEAD + "<text>é</text></svg>".encode("latin-1")),
    ],
)
def test_no_logo_refusal_is_english_in_a_french_plan(tmp_path: Path, logo: str, content: bytes | str | None) -> None:
    if content == "folder":
        (tmp_path / logo).mkdir()
    elif isinstance(content, bytes):
        (tmp_path / logo).write_bytes(content)
    message = _message(tmp_path, logo)
    prose = re.sub(r"«\u202f.*?\u202f»|\([^()]*\)|<[^<>]*>", " ", message)
    assert not ENGLISH.findall(prose), message


def test_a_logo_outside_the_folder_by_a_link_in_french(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG)
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "logo.png").symlink_to(outside / "secret.png")
    assert _message(folder, "logo.png") == (
        f"plan.logo «{N}logo.png{N}» est un lien vers un fichier hors du dossier du plan ({outside / 'secret.png'})"
        f"{N}: copiez le logo lui-même dans le dossier du plan et indiquez cette copie"
    )


def test_a_plan_given_as_text_names_a_logo_in_french() -> None:
    text = (ASSETS / "minimal.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr", 1)
    text = text.replace("  currency: EUR\n", "  currency: EUR\n  logo: logo.png\n", 1)
    report = mixplan.validate(text=text)
    assert [f.rule for f in report.findings] == ["MP112"]
    assert report.findings[0].message == (
        f"plan.logo indique «{N}logo.png{N}», mais ce plan a été donné sous forme de texte, et non lu dans un "
        f"fichier{N}: il n’y a donc pas de dossier où trouver le logo{N}; vérifiez le fichier du plan lui-même, ou "
        "passez folder= (le dossier depuis lequel se lit plan.logo)"
    )


def test_render_refuses_the_logo_in_french(tmp_path: Path) -> None:
    plan = _french_plan(tmp_path, "brand/logo.svg")
    out = tmp_path / "out.html"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(plan), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert done.returncode == 1 and not out.exists()
    assert f"plan.logo «{N}brand/logo.svg{N}»{N}: ce fichier n’existe pas dans le dossier du plan" in done.stderr
    assert "Traceback" not in done.stderr
