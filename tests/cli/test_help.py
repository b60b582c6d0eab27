"""Every help page reads as plain words: no type notation, each default once, whole summaries, examples."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from mixplan.cli import app
from mixplan.cli.completion import requested
from mixplan.cli.helptext import help_row, split_examples, summary

runner = CliRunner()
ROOT_COMMAND = typer.main.get_command(app)


def _commands(group=ROOT_COMMAND, path=()):
    """Every command and group under `mixplan`, as (words after `mixplan`, command)."""
    found = [(path, group)]
    for name, command in getattr(group, "commands", {}).items():
        found += _commands(command, (*path, name))
    return found


COMMANDS = _commands()
PAGES = [pytest.param(path, command, id=" ".join(path) or "mixplan") for path, command in COMMANDS]


def _subprocess_help(path: tuple[str, ...]) -> str:
    environment = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", *path, "--help"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def _assert_reads_well(page: str, command) -> None:
    assert "[[" not in page and "]]" not in page
    assert "<list[" not in page and "<path>" not in page and "<str>" not in page, page
    assert "[default" not in page and "[required]" not in page, page
    # The one "..." left is the usage line's "PLAN...": one or more plans.
    assert "..." not in re.sub(r"\b[A-Z]+\.\.\.", "", page), page
    assert all(len(line) <= 80 for line in page.splitlines()), page
    for param in command.params:
        if not getattr(param, "hidden", False):
            assert help_row(param)[1].lower().count("default") <= 1, param.name
    assert "\nExamples:\n" in page, page
    examples = page.split("\nExamples:\n", 1)[1].splitlines()
    assert sum(line.strip().startswith("mixplan ") for line in examples) >= 2, page


@pytest.mark.parametrize(("path", "command"), PAGES)
def test_help_page_reads_well_through_the_runner(path, command) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    _assert_reads_well(result.output, command)


@pytest.mark.parametrize(("path", "command"), PAGES)
def test_help_page_reads_well_in_a_real_80_column_process(path, command) -> None:
    _assert_reads_well(_subprocess_help(path), command)


def test_usage_lines_name_arguments_plainly() -> None:
    pages = {path: runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}).output for path, _ in COMMANDS}
    assert "Usage: mixplan init [OPTIONS] [PLAN]\n" in pages[("init",)]
    assert "Usage: mixplan validate [OPTIONS] PLAN...\n" in pages[("validate",)]
    assert "Usage: mixplan results import [OPTIONS] PLAN CSV\n" in pages[("results", "import")]
    assert "Usage: mixplan [OPTIONS] COMMAND [ARGS]\n" in pages[()]
    init = pages[("init",)]
    assert init.count("default: plan.yaml") == 1, init
    assert "-l, --lang LANG" in init
    assert "--format FORMAT" in pages[("validate",)]
    assert "How to print findings: text, json or github (default: text)." in _flat(pages[("validate",)])


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", [(), ("templates",), ("results",)])
def test_command_lists_give_each_summary_whole(path) -> None:
    group = dict(COMMANDS)[path]
    page = _subprocess_help(path)
    listed = _flat(page.split("\nCommands:\n", 1)[1].split("\nExamples:\n", 1)[0])
    assert group.commands
    for name, command in group.commands.items():
        whole = summary(command)
        first_sentence = _flat(split_examples(command.help)[0].split("\n\n")[0])
        assert first_sentence.startswith(whole) and whole.endswith("."), (name, whole)
        assert f"{name} {whole}" in listed, (name, page)


def _context_for(words: list[str]):
    """Parse an example as mixplan would, down to its command: a wrong option or argument raises."""
    if requested(words):  # answered before any parsing (mixplan.cli.completion)
        return None
    command, rest, name = ROOT_COMMAND, words, "mixplan"
    parent = None
    while True:
        context = command.make_context(name, list(rest), parent=parent)
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            return context
        remaining = [*getattr(context, "protected_args", []), *getattr(context, "_protected_args", []), *context.args]
        assert remaining and remaining[0] in subcommands, words
        parent, name, command, rest = context, remaining[0], subcommands[remaining[0]], remaining[1:]


@pytest.mark.parametrize(("path", "command"), PAGES)
def test_every_example_is_a_command_mixplan_accepts(path, command) -> None:
    _, examples = split_examples(command.help)
    assert len(examples) >= 2
    own = 0
    for line in examples:
        words = shlex.split(line, comments=True)
        # What the shell does with the output is not mixplan's to parse.
        words = words[: next((at for at, word in enumerate(words) if word in (">", "|")), len(words))]
        assert words[0] == "mixplan", line
        own += words[1 : 1 + len(path)] == list(path)
        _context_for(words[1:])
    assert own, f"no example of `mixplan {' '.join(path)}` itself"
