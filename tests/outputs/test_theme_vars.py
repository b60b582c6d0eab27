"""render --theme-vars: the agency's colours over a theme, and nothing else reaching the stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.outputs.theme_vars import THEME_COLOURS

from ..conftest import EXAMPLES

EXAMPLE = EXAMPLES[0]


def _render(tmp_path: Path, colours: str, *extra: str):
    file = tmp_path / "colours.yaml"
    file.write_text(colours, encoding="utf-8")
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "--theme-vars", str(file), "-o", str(out), *extra])
    return result, out, file


@pytest.mark.parametrize("theme", ["classic", "modern", "ink"])
def test_a_valid_file_sets_the_colours_over_each_theme(tmp_path: Path, theme: str) -> None:
    result, out, _ = _render(tmp_path, "primary: '#0B5394'\naccent: '#e69138'\ntext: '#222'\n", "--theme", theme)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    style = html[html.index("<style>") : html.index("</style>")]
    # Laid last, so it wins over the theme's own :root.
    assert style.rstrip().endswith(":root { --accent: #0b5394; --highlight: #e69138; --ink: #222; }")
    # The theme reads its colours from the properties set here.
    assert "color: var(--highlight)" in style and "var(--accent)" in style


def test_every_name_is_a_property_the_stylesheet_reads() -> None:
    from mixplan.assets import templates_dir

    css = "".join(p.read_text(encoding="utf-8") for p in (templates_dir() / "html").rglob("*.css"))
    for prop in THEME_COLOURS.values():
        assert f"var(--{prop})" in css, prop


def test_without_the_option_nothing_is_added() -> None:
    assert "agency's colours" not in mixplan.render(mixplan.load_plan(EXAMPLE), "html")


@pytest.mark.parametrize(
    ("colours", "where", "words"),
    [
        ("primary: #0b5394\n", "1:9", "primary has no value: write the colour in quotes"),
        (
            "primary: 'red; } body { background: url(https://evil.example/x) '\n",
            "1:10",
            "is not a colour written in hex",
        ),
        ("primary: '</style><script>alert(1)</script>'\n", "1:10", "is not a colour written in hex"),
        ("primary: 'url(https://evil.example/x)'\n", "1:10", "is not a colour written in hex"),
        ("primary: red\n", "1:10", "'red' is not a colour written in hex: write '#rrggbb'"),
        ("primary: '#12345'\n", "1:10", "is not a colour written in hex"),
        ("primary: 0x123456\n", "1:10", "is not a colour written in hex"),
        ("font: '#000000'\n", "1:1", "unknown colour name 'font': the names are primary, accent"),
        ("primay: '#000000'\n", "1:1", "unknown colour name 'primay' (did you mean 'primary'?)"),
        ("- '#000000'\n", "1:1", "a colour file is a list of names and colours"),
        ("primary: !!python/object/apply:os.system ['true']\n", "1:10", "is not allowed"),
    ],
    ids=[
        "unquoted-hash",
        "css-breakout",
        "style-breakout",
        "url",
        "named-colour",
        "short-hex",
        "number",
        "unknown-name",
        "typo",
        "list",
        "python-tag",
    ],
)
def test_hostile_or_wrong_values_are_refused(tmp_path: Path, colours: str, where: str, words: str) -> None:
    result, out, file = _render(tmp_path, colours)
    assert result.exit_code == 2, result.output
    assert f"mixplan: {file}:{where}: " in result.stderr
    assert words in result.stderr
    assert not out.exists()


def test_an_empty_or_huge_file_is_refused(tmp_path: Path) -> None:
    result, _, file = _render(tmp_path, "# nothing yet\n")
    assert result.exit_code == 2 and "the file holds no colours" in result.stderr
    result, _, file = _render(tmp_path, "# " + "x" * 100_000 + "\n")
    assert result.exit_code == 2 and "is too large to be a colour file" in result.stderr


def test_the_api_takes_a_mapping_and_checks_it() -> None:
    plan = mixplan.load_plan(EXAMPLE)
    html = mixplan.render(plan, "html", theme_vars={"primary": "#abcdef"})
    assert ":root { --accent: #abcdef; }" in html
    with pytest.raises(mixplan.MixplanError, match="theme_vars: primary: 'blue' is not a colour written in hex"):
        mixplan.render(plan, "html", theme_vars={"primary": "blue"})


def test_no_credit(tmp_path: Path) -> None:
    plan = mixplan.load_plan(EXAMPLE)
    for fmt in ("html", "md"):
        credited = mixplan.render(plan, fmt)
        uncredited = mixplan.render(plan, fmt, credit=False)
        assert re.search(r"Made with mixplan|Réalisé avec mixplan", credited)
        assert not re.search(r"Made with mixplan|Réalisé avec mixplan", uncredited)
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "--no-credit", "-o", str(out)])
    assert result.exit_code == 0 and "with mixplan" not in out.read_text(encoding="utf-8")
