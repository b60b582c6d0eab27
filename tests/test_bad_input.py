"""The bad-input table of docs/robustness.md, row by row, through the real command.

Each row builds a file, runs `mixplan validate` on it in a subprocess (as a
user or a CI job would) and checks the exit code and the words of the
answer. The docs' table and this one list the same rows: a test keeps them
in step, so the documentation never promises what is not tested.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ASSETS, ROOT

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")


def _minimal(old: str, new: str) -> Callable[[Path], Path]:
    assert old in MINIMAL, old
    return _text(MINIMAL.replace(old, new, 1))


def _text(text: str) -> Callable[[Path], Path]:
    return _bytes(text.encode("utf-8"))


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "plan.yaml"
        path.write_bytes(data)
        return path

    return build


def _directory(folder: Path) -> Path:
    (folder / "plans").mkdir()
    return folder / "plans"


def _missing(folder: Path) -> Path:
    return folder / "nowhere.yaml"


def _huge(folder: Path) -> Path:
    path = folder / "plan.yaml"
    with path.open("wb") as handle:
        handle.write(MINIMAL.encode("utf-8"))
        chunk = b"# padding padding padding padding padding padding padding padding\n" * 16384
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    return path


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    return "\n".join(lines) + "\n"


# id: (how to build the file, exit code, words the answer must hold; None for a clean "ok")
ROWS: dict[str, tuple[Callable[[Path], Path], int, str | None]] = {
    "empty-file": (_text(""), 1, "the file holds no plan (it is empty or only comments)"),
    "only-comments": (_text("# a plan, one day\n# maybe\n"), 1, "the file holds no plan"),
    "list-at-top": (_text("- a\n- b\n"), 1, "expected a mapping of keys and values, got a list"),
    "scalar-at-top": (_text("just some words\n"), 1, "expected a mapping of keys and values, got 'just some words'"),
    "unclosed-quote": (
        _text('mixplan: 1\nplan:\n  title: "Open\n'),
        1,
        "plan.yaml:4:1: error: invalid YAML: found unexpected end of stream",
    ),
    "bad-indentation": (
        _text("mixplan: 1\nplan:\n  title: a\n client: b\n"),
        1,
        "plan.yaml:4:2: error: 'client' starts after 1 space, where no key above it starts: line it up with 'title' "
        "(line 3, 2 spaces) or with 'plan' (line 2, 0 spaces) (MP100)",
    ),
    "colon-in-text": (
        _minimal(
            "  promise: Better tests.\n", "  promise: Better tests.\n  tagline: Respirez : on s'occupe du reste.\n"
        ),
        1,
        "plan.yaml:22:21: error: this text contains ': ' (a colon followed by a space), which YAML reads as the start "
        'of a new key: put the whole text in double quotes: tagline: "Respirez : on s\'occupe du reste." (MP100)',
    ),
    "apostrophe-in-single-quotes": (
        _minimal("  title: Test plan", "  title: 'l'atelier'"),
        1,
        "plan.yaml:3:12: error: the apostrophe inside this text ends the single quotes around it: put the text in "
        "double quotes (title: \"l'atelier\") or write the apostrophe twice (title: 'l''atelier') (MP100)",
    ),
    "missing-space-after-colon": (
        _minimal("  client: Test client", "  client:Thomas"),
        1,
        "plan.yaml:4:9: error: 'client:Thomas' has no space after the colon, so YAML reads it as one piece of text, "
        "not the key 'client': add a space after the colon: client: Thomas (MP100)",
    ),
    "hash-in-text": (
        _minimal("    name: Search ads", "    name: Fiche Google Business #1"),
        0,
        "plan.yaml:27:33: warning: the text stops at '#': YAML reads '#1' as a comment, so the text is only "
        "'Fiche Google Business': quote it to keep '#1': name: \"Fiche Google Business #1\" (MP113)",
    ),
    "list-reads-as-sentence": (
        _minimal(
            "  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [rapide, pas cher, et fiable]\n"
        ),
        0,
        "plan.yaml:22:36: warning: the list item 'et fiable' starts with 'et', as if these 3 items were one sentence",
    ),
    "tab-indentation": (_text("mixplan: 1\nplan:\n\ttitle: a\n"), 1, "plan.yaml:3:1: error: invalid YAML"),
    "duplicate-key": (
        _minimal("  reserve: 100\n", "  reserve: 100\n  reserve: 50\n"),
        1,
        "plan.yaml:25:3: error: duplicate key 'reserve' (first written at line 24, column 3)",
    ),
    "not-utf8": (
        _bytes(MINIMAL.encode("utf-8") + "# café\n".encode("latin-1")),
        2,
        "is not UTF-8 text (invalid byte 0xe9 at byte offset",
    ),
    "utf8-bom": (_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8")), 0, None),
    "windows-line-endings": (_bytes(MINIMAL.replace("\n", "\r\n").encode("utf-8")), 0, None),
    "directory": (_directory, 2, "is a directory, not a plan file"),
    "missing-path": (_missing, 2, "nowhere.yaml: no such file"),
    "no-read-permission": (_text(MINIMAL), 2, "permission denied (cannot read the file)"),
    "file-over-10-mb": (_huge, 2, "MB; the limit is 10.0 MB); check that this is the right file (MIXPLAN_MAX_BYTES"),
    "anchors-and-aliases": (
        _minimal("  promise: Better tests.\n", "  promise: &promise Better tests.\n  tagline: *promise\n"),
        0,
        None,
    ),
    "alias-bomb": (_text(_alias_bomb()), 1, "(an alias bomb); use fewer nested aliases (MP108)"),
    "python-tag": (
        _minimal("  title: Test plan", '  title: !!python/object/apply:os.system ["touch pwned"]'),
        1,
        "the YAML tag !!python/object/apply:os.system is not allowed",
    ),
    "impossible-date": (
        _minimal("deadline: 2027-06-30", "deadline: 2027-02-30"),
        1,
        "'2027-02-30' is not a valid date: that day or month does not exist",
    ),
    "amount-1e400": (
        _minimal("total: 1000", "total: 1e400"),
        1,
        "budget, total: must be at most 1,000,000,000,000, got '1e400'",
    ),
    "negative-amount": (
        _minimal("cost: 500", "cost: -5"),
        1,
        "means 'ads' (1st action), cost: must be 0 or more, got '-5'",
    ),
    "nan-amount": (_minimal("total: 1000", "total: .nan"), 1, "budget, total: 'nan' is not a finite number"),
    "amount-with-currency": (
        _minimal("cost: 500", 'cost: "12 000 €"'),
        1,
        "'12 000 €' is not a number: write 12000: a plain number, without spaces, thousands separators or currency sign",
    ),
    "amount-written-in-french": (
        _minimal("cost: 500", "cost: 1 234,56"),
        1,
        "plan.yaml:32:11: error: means 'ads' (1st action), cost: '1 234,56' is not a number: write 1234.56: a plain number",
    ),
    "percentage-for-a-rate": (
        _minimal("target: 500", "target: 35 %"),
        1,
        "plan.yaml:14:13: error: objective 'grow' (1st objective), target: '35 %' is not a number: write 0.35 for 35 %",
    ),
    "text-for-a-number": (
        _minimal("target: 500", "target: lots"),
        1,
        "objective 'grow' (1st objective), target: 'lots' is not a number",
    ),
    "id-with-spaces": (
        _minimal("- id: ads", "- id: search ads"),
        1,
        "'search ads' is not a valid id: ids use lowercase letters (no accents), digits and hyphens, starting with a letter or digit, such as 'search-ads'",
    ),
    "id-with-accents": (_minimal("- id: ads", "- id: publicité"), 1, "such as 'publicite'"),
    "10000-character-text": (_minimal("promise: Better tests.", "promise: " + "x" * 10_000), 0, None),
    "10000-character-id": (
        _minimal("- id: ads", "- id: " + "a" * 10_000),
        1,
        "means 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' (1st action), id: is too long (at most 80 characters)",
    ),
    "huge-exponent": (
        _text(MINIMAL + "context:\n  segments:\n    - {id: all, name: All, size: 1.0e+99999999}\n"),
        1,
        "plan.yaml:46:34: error: '1.0e+99999999' is far too large a number for a plan (amounts go up to 1,000,000,000,000)",
    ),
    "tiny-exponent": (
        _minimal("cost: 500", "cost: 1.0e-999999999"),
        1,
        "plan.yaml:32:11: error: '1.0e-999999999' has too many digits after the decimal point: round it to at most 6",
    ),
    "too-many-decimals": (
        _minimal("cost: 500", 'cost: "0.0000001"'),
        1,
        "means 'ads' (1st action), cost: '0.0000001' has too many digits after the decimal point: round it to at most 6",
    ),
    "far-future-date": (
        _minimal("deadline: 2027-06-30", "deadline: 9999-12-31"),
        1,
        "objective 'grow' (1st objective), deadline: 9999-12-31 is too far in the future: a plan's dates lie between 1900-01-01 and 2199-12-31",
    ),
    "period-of-centuries": (
        _minimal("end: 2027-06-30}", "end: 2199-12-31}"),
        1,
        "plan.yaml:7:11: error: plan details, period: the period from 2027-01-01 to 2199-12-31 is longer than 5 years: a plan covers at most 5 years",
    ),
    "control-character": (
        _minimal("title: Test plan", "title: Test \x1b[2J plan"),
        1,
        "plan.yaml:3:15: error: this line holds the control character U+001B, which a terminal or a document would obey instead of showing: remove it (MP102)",
    ),
    "escaped-control-character": (
        _minimal("title: Test plan", 'title: "Test \\e[2J plan"'),
        1,
        "plan.yaml:3:10: error: the text holds the control character U+001B",
    ),
    "bidi-override": (
        _minimal("name: Search ads", "name: Search \u202eads"),
        1,
        "plan.yaml:27:18: error: this line holds the control character U+202E",
    ),
    "yaml-1-1-number-in-text": (_minimal("title: Test plan", "title: 1:20"), 0, 'plan.yaml: ok, "1:20": 2 means'),
    "number-as-id": (
        _minimal("- id: ads", "- id: 0777"),
        1,
        "1st means, id: YAML reads 0777 as a number: write id: '0777' in quotes (MP102)",
    ),
    "deep-nesting": (
        _text(MINIMAL + "context:\n  market: " + "[" * 200 + "]" * 200 + "\n"),
        1,
        "the YAML is nested more than 64 levels deep",
    ),
    "two-documents": (_text(MINIMAL + "---\nmixplan: 1\n"), 1, "expected a single document"),
}

DOC = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")


def test_the_docs_table_lists_exactly_these_rows() -> None:
    documented = re.findall(r"^\| `([a-z0-9-]+)` \|", DOC, re.MULTILINE)
    assert documented == list(ROWS)


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", path.name],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _run_refused(path: Path, monkeypatch: pytest.MonkeyPatch) -> subprocess.CompletedProcess[str]:
    """Root reads every file, whatever its mode: there, the refusal is simulated in-process."""
    from typer.testing import CliRunner

    from mixplan.cli import app

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.chdir(path.parent)
    monkeypatch.setattr(Path, "open", refuse)
    result = CliRunner().invoke(app, ["validate", path.name])
    monkeypatch.undo()
    return subprocess.CompletedProcess([], result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("row", list(ROWS))
def test_bad_input_gets_its_documented_answer(row: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build, exit_code, words = ROWS[row]
    path = build(tmp_path)
    if row == "no-read-permission":
        path.chmod(0)
    if row == "no-read-permission" and os.geteuid() == 0:
        completed = _run_refused(path, monkeypatch)
    else:
        completed = _run(path)
    output = completed.stdout + completed.stderr
    assert completed.returncode == exit_code, output
    assert "Traceback" not in output
    if words is None:
        assert ": ok," in completed.stdout, output
    else:
        assert words in output, output
    if exit_code == 2:
        # One short paragraph on stderr: the file could not be read.
        assert completed.stdout == "" and completed.stderr.count("\n") == 1, output
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("setting", "exit_code", "words"), [("100", 2, "the limit is 100 bytes"), ("0", 0, ": ok,"), ("lots", 0, ": ok,")]
)
def test_the_size_limit_can_be_set(setting: str, exit_code: int, words: str, tmp_path: Path) -> None:
    path = _text(MINIMAL)(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "MIXPLAN_MAX_BYTES": setting},
        check=False,
    )
    assert completed.returncode == exit_code, completed.stderr
    assert words in completed.stdout + completed.stderr


@pytest.mark.parametrize("row", ["file-over-10-mb", "alias-bomb"])
def test_hostile_files_cost_little_memory(row: str, tmp_path: Path) -> None:
    """The size limit applies before parsing and the alias bomb is refused before expansion."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run([sys.executable, '-m', 'mixplan', 'validate', sys.argv[1]], capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    path = ROWS[row][0](tmp_path)
    completed = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    peak_kib = int(completed.stdout.strip())
    assert peak_kib < 200 * 1024, f"{row}: peak memory {peak_kib} KiB"
