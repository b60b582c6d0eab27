"""The three commands through typer's runner, and the installed script in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app

from ..conftest import EXAMPLES, installed_mixplan

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


# --- init -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_init_writes_a_valid_plan_that_renders(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "plan.yaml"
    result = invoke("init", path, "--lang", lang)
    assert result.exit_code == 0, result.output
    # Said in the language of the plan written.
    written = (
        f"Plan de départ en français écrit dans {path}" if lang == "fr" else f"English starter plan written to {path}"
    )
    assert f"{written}\n" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(("# ", "mixplan: 1"))
    assert text.count("\n#") + text.count("  #") > 40, "the starter plan explains its fields in comments"
    report = mixplan.validate(path)
    assert report.ok and report.findings == [], report.findings
    assert report.plan.plan.language == lang
    for fmt in ("md", "html"):
        assert mixplan.render(report.plan, format=fmt)


LOCALES = [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_CA.UTF-8"}, "fr"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    ({"LC_ALL": "fr_BE.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    # The first variable set decides, as for every program's messages.
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}, "fr"),
]
FIRST_WORDS = {
    "fr": "Plan de départ en français écrit dans {path} (--lang en ",
    "en": "English starter plan written to {path} (use --lang ",
}


def _locale_environment(variables: dict[str, str]) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return {**environment, **variables}


@pytest.mark.parametrize(("variables", "lang"), LOCALES)
def test_init_writes_the_plan_in_the_locale_language(tmp_path: Path, variables: dict[str, str], lang: str) -> None:
    path = tmp_path / "plan.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "init", str(path)],
        capture_output=True,
        text=True,
        env=_locale_environment(variables),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Said in the language of the plan written, with the way to the other one.
    first = (
        f"Plan de départ en français écrit dans {path} (--lang en pour un plan en anglais)\n"
        if lang == "fr"
        else f"English starter plan written to {path} (use --lang fr for French)\n"
    )
    assert done.stdout.startswith(first)
    assert mixplan.load_plan(path).plan.language == lang


@pytest.mark.parametrize(("variables", "lang"), LOCALES)
def test_init_through_the_runner_follows_the_locale(
    tmp_path: Path, monkeypatch, variables: dict[str, str], lang: str
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    path = tmp_path / "plan.yaml"
    result = invoke("init", path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(FIRST_WORDS[lang].format(path=path))
    assert mixplan.load_plan(path).plan.language == lang


def test_init_lang_option_wins_over_the_locale(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "init", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        env=_locale_environment({"LC_ALL": "fr_FR.UTF-8"}),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Asked for, the language needs no note on how to get the other one.
    assert done.stdout.startswith(f"English starter plan written to {path}\nfill it in, then run `mixplan validate")
    assert mixplan.load_plan(path).plan.language == "en"


def test_init_default_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init").exit_code == 0
    assert (tmp_path / "plan.yaml").exists()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("my precious plan\n")
    result = invoke("init", path)
    assert result.exit_code == 2
    assert "already exists; not overwriting it (use --force to replace it)" in result.output
    assert path.read_text() == "my precious plan\n"
    assert invoke("init", path, "--force").exit_code == 0
    assert path.read_text().startswith(("#", "mixplan"))


def test_init_rejects_unknown_language(tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "p.yaml", "--lang", "de")
    assert result.exit_code == 2
    assert "unknown language 'de': use fr, en" in result.output
    assert not (tmp_path / "p.yaml").exists()


def test_init_into_missing_folder(tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "nope" / "p.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.output


# --- validate -------------------------------------------------------------------------


def test_validate_summary_line() -> None:
    result = invoke("validate", "--lang", "en", *EXAMPLES)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == len(EXAMPLES)
    assert all(": ok, " in line and " means, " in line and "budget " in line for line in lines)


def test_validate_many_files_exit_with_the_worst(tmp_path: Path) -> None:
    broken = Path(__file__).parents[1] / "assets" / "broken"
    result = invoke("validate", EXAMPLES[0], broken / "budget-over.yaml", tmp_path / "missing.yaml")
    assert result.exit_code == 2
    assert ": ok, " in result.output
    assert "budget-over.yaml: 1 error, 0 warnings" in result.output
    assert "missing.yaml: no such file" in result.output
    result = invoke("validate", EXAMPLES[0], broken / "budget-over.yaml")
    assert result.exit_code == 1


def test_validate_needs_a_path() -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_validate_directory(tmp_path: Path) -> None:
    result = invoke("validate", tmp_path)
    assert result.exit_code == 2
    assert "is a directory" in result.output


def test_validate_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"\xff\xfe")
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert "is not UTF-8 text (invalid byte 0xff at byte offset 0)" in result.output


# --- render -------------------------------------------------------------------------


def test_render_markdown_to_stdout() -> None:
    result = invoke("render", EXAMPLES[0])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ")


@pytest.mark.parametrize(("suffix", "start"), [(".html", "<!DOCTYPE html>"), (".md", "# "), (".markdown", "# ")])
def test_render_format_from_suffix(tmp_path: Path, suffix: str, start: str) -> None:
    out = tmp_path / f"plan{suffix}"
    result = invoke("render", EXAMPLES[0], "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(start)
    assert f"wrote {out}" in result.output


def test_render_format_option_wins(tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    assert invoke("render", EXAMPLES[0], "-o", out, "--format", "html").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_unknown_suffix_or_format(tmp_path: Path) -> None:
    result = invoke("render", EXAMPLES[0], "-o", tmp_path / "plan.docx")
    assert result.exit_code == 2
    assert "cannot tell the format from" in result.output
    result = invoke("render", EXAMPLES[0], "--format", "docx")
    assert result.exit_code == 2
    assert "unknown format 'docx': use md, html or pdf" in result.output


def test_render_refuses_an_invalid_plan(tmp_path: Path) -> None:
    broken = Path(__file__).parents[1] / "assets" / "broken" / "budget-over.yaml"
    out = tmp_path / "x.html"
    result = invoke("render", broken, "-o", out)
    assert result.exit_code == 1
    assert f"{broken}:23:10: error: planned spending" in result.output
    assert "not rendered, the plan has 1 error" in result.output
    assert not out.exists()


def test_render_never_writes_over_the_plan(tmp_path: Path, minimal_text: str) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(minimal_text)
    result = invoke("render", plan, "-o", plan)
    assert result.exit_code == 2
    assert "that is the plan itself" in result.output
    assert plan.read_text() == minimal_text


def test_render_language_override() -> None:
    english = next(p for p in EXAMPLES if p.stem.startswith("en-"))
    result = invoke("render", english, "--lang", "fr")
    assert result.exit_code == 0
    assert "## Plan d’action" in result.stdout
    result = invoke("render", english, "--lang", "xx")
    assert result.exit_code == 2 and "unknown language 'xx'" in result.output


def test_render_missing_file(tmp_path: Path) -> None:
    result = invoke("render", tmp_path / "none.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.output


# --- the whole program -----------------------------------------------------------------


def test_internal_errors_exit_3_without_traceback(monkeypatch) -> None:
    import mixplan.api

    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(mixplan.api, "validate", explode)
    result = invoke("validate", EXAMPLES[0])
    assert result.exit_code == 3
    assert "internal error (ZeroDivisionError: boom)" in result.output
    assert "Traceback" not in result.output


def test_version_and_help() -> None:
    assert invoke("--version").output.strip() == f"mixplan {mixplan.__version__}"
    for flag in ("--help", "-h"):
        result = invoke(flag)
        assert result.exit_code == 0
        assert all(name in result.output for name in ("init", "validate", "render"))


def test_installed_command_end_to_end(tmp_path: Path) -> None:
    """init, validate and render through the real console script, as a user runs them."""
    mixplan_cmd = installed_mixplan()
    plan, html = tmp_path / "p.yaml", tmp_path / "p.html"
    for args, code in (
        (["init", plan], 0),
        (["validate", plan], 0),
        (["render", plan, "-o", html], 0),
        (["init", plan], 2),
        (["validate", tmp_path / "missing.yaml"], 2),
    ):
        done = subprocess.run([mixplan_cmd, *map(str, args)], capture_output=True, text=True, timeout=60)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_python_dash_m(tmp_path: Path) -> None:
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", str(EXAMPLES[0])], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and ": ok, " in done.stdout


def test_diagnostics_go_to_stderr_when_rendering_to_stdout() -> None:
    broken = Path(__file__).parents[1] / "assets" / "broken" / "means-unscheduled.yaml"
    done = subprocess.run([installed_mixplan(), "render", str(broken)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("# ") and "MP301" not in done.stdout
    assert "MP301" in done.stderr


def test_render_to_a_directory_or_unwritable_folder(tmp_path: Path, monkeypatch) -> None:
    # An existing folder given to -o receives NAME.<format>, as in a batch.
    result = invoke("render", EXAMPLES[0], "-o", tmp_path, "--format", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{EXAMPLES[0].stem}.md").read_text(encoding="utf-8").startswith("# ")

    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "plan.html"
    result = invoke("render", EXAMPLES[0], "-o", out)
    assert result.exit_code == 2
    assert f"{out}: permission denied (cannot write in {tmp_path})" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["render", str(EXAMPLES[0])],  # fits the pipe's buffer: the failure comes at the final flush
        ["render", str(EXAMPLES[0]), "--format", "html"],  # larger than the buffer: fails while writing
        ["rules", "--format", "md"],
    ],
    ids=["small", "large", "rules"],
)
def test_a_reader_that_stops_early_ends_mixplan_quietly(arguments: list[str]) -> None:
    # `mixplan render plan.yaml | head -1`: once head has its line, the pipe is
    # closed; like other Unix tools, mixplan stops without a word, exit 141.
    import os

    reader, writer = os.pipe()
    os.close(reader)  # nobody will ever read
    try:
        done = subprocess.run(
            [installed_mixplan(), *arguments], stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60
        )
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == 141
