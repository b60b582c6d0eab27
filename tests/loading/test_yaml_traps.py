"""The YAML traps of hand-written plans: each explained in plain words, at its line and column.

The broken French plans of tests/assets/broken carry one trap each (see
tests/checks/test_validate_errors.py); here, the variants of each trap, the
places where nothing must be said, and the command in a real process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import mixplan
from mixplan.errors import PlanInvalid
from mixplan.loading.reader import load_text

from ..conftest import EXAMPLES, ROOT

BROKEN = ROOT / "tests" / "assets" / "broken"
MINIMAL = (ROOT / "tests" / "assets" / "minimal.yaml").read_text(encoding="utf-8")


def _syntax_error(text: str) -> tuple[int, int, str]:
    with pytest.raises(PlanInvalid) as caught:
        load_text(text, "plan.yaml")
    (finding,) = caught.value.findings
    assert finding.rule == "MP100" and finding.severity == "error"
    return finding.line, finding.column, finding.message


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        # A colon and a space inside a text: in a mapping, in a list item, in a flow mapping.
        (
            "plan:\n  title: Plan 2027 : lancement\n",
            2,
            20,
            'put the whole text in double quotes: title: "Plan 2027 : lancement"',
        ),
        ("means:\n  - name: Respirez : ok\n", 2, 20, 'double quotes: - name: "Respirez : ok"'),
        ("x: {name: Respirez : ok}\n", 1, 20, 'double quotes: "Respirez : ok"'),
        # Text holding a double quote is quoted with single quotes, so the fix reads back as written.
        ('plan:\n  title: Le "vrai" pain : enfin\n', 2, 25, "title: 'Le \"vrai\" pain : enfin'"),
        # An apostrophe ends single quotes: in a mapping, a list item, a flow list.
        (
            "plan:\n  title: 'Chez l'atelier du coin'\n",
            2,
            17,
            'double quotes (title: "Chez l\'atelier du coin") or write the apostrophe twice '
            "(title: 'Chez l''atelier du coin')",
        ),
        ("x:\n  - 'l'atelier du coin'\n", 2, 7, '(- "l\'atelier du coin")'),
        ("x: ['l'atelier', b]\n", 1, 7, '(x: ["l\'atelier", b])'),
        # No space after a colon: before a sibling, at the end of a mapping, at the top.
        ("plan:\n  owner:Thomas\n  client: x\n", 2, 8, "add a space after the colon: owner: Thomas"),
        ("plan:\n  title: x\n  owner:Thomas\n", 3, 8, "'owner:Thomas' has no space after the colon"),
        ("mixplan:1\nplan:\n  title: x\n", 1, 8, "add a space after the colon: mixplan: 1"),
        # Indentation: too deep, between two levels, in the column of a list's dash.
        (
            "plan:\n  title: x\n    client: y\n",
            3,
            5,
            "'client' is indented 2 spaces more than 'title' (line 2, 2 spaces) above it",
        ),
        (
            "plan:\n  title: x\n client: y\n",
            3,
            2,
            "'client' starts after 1 space, where no key above it starts: line it up with 'title' "
            "(line 2, 2 spaces) or with 'plan' (line 1, 0 spaces)",
        ),
        (
            "means:\n  - id: a\n    name: b\n  cost: 3\n",
            4,
            3,
            "'cost' starts after 2 spaces, in the column of the '-' of line 2, where YAML expects a new list "
            "item: to add it to that item, indent it like 'name' (4 spaces); to start a new item, write '- ' before it",
        ),
        (
            "means:\n  - id: a\n    name: b\n   cost: 3\n",
            4,
            4,
            "line it up with 'name' (line 3, 4 spaces) or with '-' (line 2, 2 spaces)",
        ),
    ],
)
def test_a_syntax_trap_is_named_with_its_fix(text: str, line: int, column: int, words: str) -> None:
    found_line, found_column, message = _syntax_error(text)
    assert (found_line, found_column) == (line, column), message
    assert words in message
    assert "mapping values are not allowed" not in message and "expected" not in message.split(":")[0]


def test_an_error_no_trap_explains_keeps_the_parser_words() -> None:
    line, column, message = _syntax_error('plan:\n  title: "Open\n')
    assert message.startswith("invalid YAML: found unexpected end of stream"), message


def test_tabs_keep_their_own_hint() -> None:
    assert "indent with spaces, YAML does not allow tabs" in _syntax_error("plan:\n\ttitle: a\n")[2]


def _traps(text: str) -> list[str]:
    return [str(f) for f in mixplan.validate(text=text, name="plan.yaml").findings if f.rule in ("MP113", "MP114")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    name: Search ads\n", "    name: Search ads # our best channel\n"),  # a comment, written as one
        ("    name: Search ads\n", "    name: 'Search ads' #1\n"),  # quoted text is whole
        ("    name: Search ads\n", '    name: "Search ads" #1\n'),
        ("    cost: 500\n", "    cost: 500 #1\n"),  # a number
        ("  - id: ads\n", "  - id: ads #1\n"),  # an id is no free text
        ("    deadline: 2027-06-30\n", "    deadline: 2027-06-30 #1\n"),  # a date
        ("    name: Search ads\n", "    name: Search ads\n    #1 is the next step\n"),  # a comment line
        ("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [Paris, la Défense]\n"),
        ("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [fast, cheap]\n"),
        ("  promise: Better tests.\n", '  promise: Better tests.\n  proof_points: [rapide, "et fiable"]\n'),
        ("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [Et voilà, Ou pas]\n"),
        ("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [et fiable, rapide]\n"),
        ("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [rapide, etc, orange]\n"),
        ("  promise: Better tests.\n", "  promise: Rapide, pas cher, et fiable.\n"),  # a sentence in a text
    ],
)
def test_no_warning_where_the_text_is_as_written(old: str, new: str) -> None:
    assert old in MINIMAL
    assert _traps(MINIMAL.replace(old, new)) == []


def test_a_list_of_ids_is_no_sentence() -> None:
    text = MINIMAL.replace("    objectives: [grow]\n", "    objectives: [grow, and-more]\n", 1)
    report = mixplan.validate(text=text)
    assert [f.rule for f in report.findings] == ["MP106"]


@pytest.mark.parametrize("path", [*EXAMPLES, *sorted((ROOT / "templates" / "init").glob("*.yaml"))], ids=str)
def test_the_examples_and_starter_plans_draw_no_trap_warning(path: Path) -> None:
    # The starter plans explain every key in a comment after its value: `name: Big Chain Coffee  # the competitor's name`.
    text = path.read_text(encoding="utf-8")
    assert _traps(text) == []


def test_a_cut_text_in_a_list_and_under_by_target() -> None:
    text = MINIMAL.replace(
        "  promise: Better tests.\n",
        "  promise: Better tests.\n  proof_points:\n    - Best bakery #1 du quartier\n"
        "  by_target:\n    locals: Votre boulangerie #1\n",
    )
    found = _traps(text)
    assert len(found) == 2, found
    assert found[0].startswith("plan.yaml:23:19: warning: the text stops at '#'") and "'#1 du quartier'" in found[0]
    assert found[1].startswith("plan.yaml:25:31: warning:") and 'locals: "Votre boulangerie #1"' in found[1]


def test_the_trap_warnings_can_be_silenced() -> None:
    text = (BROKEN / "hash-in-text.yaml").read_text(encoding="utf-8") + "lint:\n  ignore: [MP113]\n"
    assert mixplan.validate(text=text).findings == []


def _validate(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def test_the_command_names_the_colon_trap_in_a_real_process() -> None:
    done = _validate("--lang", "en", "colon-in-text.yaml", cwd=BROKEN)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == (
        "colon-in-text.yaml:22:21: error: this text contains ': ' (a colon followed by a space), which YAML reads "
        "as the start of a new key: put the whole text in double quotes: "
        'tagline: "Respirez : on s\'occupe du reste." (MP100)'
    )
    assert "Traceback" not in done.stderr


def test_the_command_warns_of_a_cut_text_in_a_real_process() -> None:
    done = _validate("--lang", "en", "hash-in-text.yaml", cwd=BROKEN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0].startswith("hash-in-text.yaml:28:33: warning: the text stops at '#'")
    assert done.stdout.splitlines()[0].endswith("(MP113)")
    strict = _validate("--strict", "--lang", "en", "list-reads-as-sentence.yaml", cwd=BROKEN)
    assert strict.returncode == 1 and "(MP114)" in strict.stdout, strict.stdout + strict.stderr
