"""Custom templates: export, render with fallback, the sandbox, and errors with file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.errors import MixplanError
from mixplan.outputs.template_export import builtin_templates

from ..conftest import EXAMPLES

runner = CliRunner()
TODAY = dt.date(2027, 5, 10)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    folder = tmp_path / "tpl"
    result = invoke("templates", "export", folder)
    assert result.exit_code == 0, result.output
    return folder


def test_export_copies_every_builtin_template(exported: Path) -> None:
    names = builtin_templates()
    assert Path("html/plan.html.j2") in names and Path("markdown/plan.md.j2") in names
    assert Path("html/themes/modern.css") in names
    for name in names:
        assert (exported / name).is_file(), name


def test_export_never_overwrites_without_force(exported: Path) -> None:
    edited = exported / "html" / "style.css"
    edited.write_text("/* mine */", encoding="utf-8")
    result = invoke("templates", "export", exported)
    assert result.exit_code == 2
    assert "already exist" in result.output and "--force" in result.output
    assert edited.read_text(encoding="utf-8") == "/* mine */"
    result = invoke("templates", "export", exported, "--force")
    assert result.exit_code == 0, result.output
    assert edited.read_text(encoding="utf-8") != "/* mine */"


def test_export_into_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = invoke("templates", "export", target)
    assert result.exit_code == 2 and "is not a folder" in result.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_exported_templates_render_the_same_deliverable_in_the_sandbox(exported: Path, fmt: str) -> None:
    plan = mixplan.load_plan(EXAMPLES[0])
    builtin = mixplan.render(plan, format=fmt, today=TODAY)
    assert mixplan.render(plan, format=fmt, today=TODAY, templates=exported) == builtin


def test_missing_files_fall_back_to_the_builtins(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    (folder / "html").mkdir(parents=True)
    # Only the stylesheet is the user's; the page template comes from the built-ins.
    (folder / "html" / "style.css").write_text("body { color: rebeccapurple; }", encoding="utf-8")
    html = mixplan.render(mixplan.load_plan(EXAMPLES[0]), format="html", templates=folder)
    assert "rebeccapurple" in html and 'id="actions"' in html


def _one_template(tmp_path: Path, text: str, name: str = "html/plan.html.j2") -> Path:
    folder = tmp_path / "tpl"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_user_html_templates_are_autoescaped(tmp_path: Path, minimal_text: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["plan"]["title"] = "<script>alert(1)</script>"
    plan = mixplan.Plan.model_validate(data)
    folder = _one_template(tmp_path, "<h1>{{ info.title }}</h1>")
    assert mixplan.render(plan, format="html", templates=folder) == "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>ok</p>\n<p>{{ info.title </p>\n", "plan.html.j2:2: template syntax error"),
        ("<p>ok</p>\n\n<p>{{ info.nothing_here }}</p>\n", "plan.html.j2:3: template error: "),
        ("{{ fmt.money.__func__.__globals__ }}", "plan.html.j2:1: not allowed in a template: "),
        ("{{ info.__class__.__mro__ }}", "plan.html.j2:1: not allowed in a template: "),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "plan.html.j2:1: not allowed in a template: "),
        ("{{ cycler.__init__.__globals__.os.system('touch pwned') }}", "plan.html.j2:1: not allowed in a template: "),
        ("{{ os.system('touch pwned') }}", "plan.html.j2:1: template error: "),
        ('{% include "html/missing.j2" %}', "template not found: html/missing.j2"),
    ],
)
def test_template_errors_name_the_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    folder = _one_template(tmp_path, text)
    with pytest.raises(MixplanError) as caught:
        mixplan.render(mixplan.load_plan(EXAMPLES[0]), format="html", templates=folder)
    assert expected in caught.value.message
    result = invoke("render", EXAMPLES[0], "-o", tmp_path / "out.html", "--templates", folder)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.html").exists()


def test_a_runtime_error_in_an_included_template_names_that_file(tmp_path: Path) -> None:
    folder = _one_template(tmp_path, 'first\n{% include "html/part.j2" %}\n')
    (folder / "html" / "part.j2").write_text("a\nb\n{{ 1 / 0 }}\n", encoding="utf-8")
    with pytest.raises(MixplanError) as caught:
        mixplan.render(mixplan.load_plan(EXAMPLES[0]), format="html", templates=folder)
    assert caught.value.message.startswith(
        f"{folder.resolve() / 'html' / 'part.j2'}:3: template error: division by zero"
    )


def test_themes_builtin_and_from_the_user_folder(tmp_path: Path) -> None:
    plan = mixplan.load_plan(EXAMPLES[0])
    classic = mixplan.render(plan, format="html", today=TODAY)
    for theme in ("modern", "ink"):
        styled = mixplan.render(plan, format="html", today=TODAY, theme=theme)
        assert styled != classic and f'class="theme-{theme}"' in styled
    folder = _one_template(tmp_path, ":root { --accent: #123456; }", "html/themes/mine.css")
    assert "#123456" in mixplan.render(plan, format="html", theme="mine", templates=folder)
    with pytest.raises(MixplanError, match="unknown theme 'neon': use classic, ink or modern"):
        mixplan.render(plan, format="html", theme="neon")
    result = invoke("render", EXAMPLES[0], "--format", "html", "--theme", "neon")
    assert result.exit_code == 2 and "unknown theme 'neon'" in result.output


def test_a_missing_templates_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("render", EXAMPLES[0], "--templates", tmp_path / "nope")
    assert result.exit_code == 2
    assert "templates folder not found" in result.output and "mixplan templates export" in result.output


def test_a_template_failing_after_pages_of_output_leaves_the_old_deliverable_whole(tmp_path: Path) -> None:
    # The deliverable is written as it renders: well past the first written
    # piece, a failure must still leave the previous file and no temporary one.
    long_page = "{% for n in range(40000) %}<p>{{ n }} {{ info.title }}</p>\n{% endfor %}{{ 1 / 0 }}\n"
    folder = _one_template(tmp_path, long_page)
    output = tmp_path / "out.html"
    output.write_text("yesterday's deliverable\n", encoding="utf-8")
    result = invoke("render", EXAMPLES[0], "-o", output, "--templates", folder, "--force")
    assert result.exit_code == 2, result.output
    assert "plan.html.j2:2: template error: division by zero" in result.output
    assert output.read_text(encoding="utf-8") == "yesterday's deliverable\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


@pytest.mark.parametrize("name", ["html/plan.html.j2", "markdown/plan.md.j2"])
def test_formats_read_the_same_as_filters_and_as_calls(tmp_path: Path, name: str) -> None:
    # The built-in templates use the filters; templates exported before them call `fmt` and `shown`.
    pairs = [
        ("plan.budget.total | money", "fmt.money(plan.budget.total)"),
        ("info.period.start | date", "fmt.date(info.period.start)"),
        ("info.period.end | short_date", "fmt.short_date(info.period.end)"),
        ("mix.share(mix.allocated) | percent", "fmt.percent(mix.share(mix.allocated))"),
        ("plan.means | length | number", "fmt.number(plan.means | length)"),
        ("o.target | metric(o.metric)", "fmt.metric(o.metric, o.target)"),
        ("o.target | shown(o.metric)", "shown(o.metric, o.target)"),
        ("none | money", "fmt.money(none)"),
    ]
    lines = "".join(f"{{{{ {a} }}}}={{{{ {b} }}}}\n" for a, b in pairs)
    folder = _one_template(tmp_path, "{% for o in plan.objectives %}" + lines + "{% endfor %}", name)
    fmt = {"html": "html", "markdown": "md"}[name.split("/")[0]]
    rendered = mixplan.render(mixplan.load_plan(EXAMPLES[0]), format=fmt, templates=folder)
    rows = [line.split("=") for line in rendered.splitlines() if line]
    assert len(rows) == len(pairs) * len(mixplan.load_plan(EXAMPLES[0]).objectives)
    assert all(len(row) == 2 and row[0] == row[1] and row[0] for row in rows), rows
    assert "—=—" in rendered
