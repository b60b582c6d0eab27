"""`mixplan diff` in French: --lang, else the new plan's language, else the locale; JSON the same in every language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixplan.cli import app

from ..conftest import ASSETS

DIFF = ASSETS / "diff"
runner = CliRunner()

FRENCH_BUDGET_TEXT = """\
base.yaml → budget.yaml

Budget du plan (4)
  Budget total      10\u202f000 EUR → 12\u202f000 EUR (+2\u202f000 EUR)
  Réserve           500 EUR → 300 EUR (-200 EUR)
  Autres dépenses   800 EUR → 1\u202f050 EUR (+250 EUR)
  Reste à affecter  4\u202f200 EUR → 6\u202f150 EUR (+1\u202f950 EUR)
"""

FRENCH_ADDED_MD = """\
## base.yaml → means-added.yaml

### Actions ajoutées (1)

| Action | Canal | P | Coût | Dates de diffusion |
| --- | --- | --- | --- | --- |
| Article in the local paper (press) | Relations presse | Communication | 1\u202f500 EUR | du 2027-03-01 au 2027-03-15 |

### Budget du plan (3)

| Poste | Avant | Après | Écart |
| --- | --- | --- | --- |
| Reste à affecter | 4\u202f200 EUR | 2\u202f700 EUR | -1\u202f500 EUR |
| Communication (P) | 4\u202f500 EUR | 6\u202f000 EUR | +1\u202f500 EUR |
| canal Relations presse | 0 EUR | 1\u202f500 EUR | +1\u202f500 EUR |
"""


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(DIFF)
    return DIFF


def _diff(*args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, ["diff", *args], env=env)
    assert result.exit_code == 1, f"{result.stdout}\n{result.stderr}"
    assert result.stderr == ""
    return result.stdout


def test_text_in_french_with_lang(plans: Path) -> None:
    assert _diff("base.yaml", "budget.yaml", "--lang", "fr") == FRENCH_BUDGET_TEXT


def test_markdown_in_french_names_the_means_and_labels_the_vocabulary(plans: Path) -> None:
    assert _diff("base.yaml", "means-added.yaml", "--format", "md", "-l", "fr") == FRENCH_ADDED_MD


def test_changed_fields_are_named_in_french(plans: Path) -> None:
    text = _diff("base.yaml", "means-changed.yaml", "--lang", "fr")
    assert "      canal: Publipostage → SMS\n" in text
    assert "      P: Communication → Prix\n" in text
    assert "      dates de diffusion: du 2027-01-11 au 2027-03-31 → du 2027-01-18 au 2027-03-31," in text
    objectives = _diff("base.yaml", "objectives-moved.yaml", "--format", "md", "--lang", "fr")
    assert "| Grow the newsletter (signups) | modifié | échéance | 2027-06-30 | 2027-05-31 |" in objectives
    other = _diff("base.yaml", "other-sections.yaml", "--lang", "fr")
    assert other.endswith("\nAutres changements : message, énoncés des objectifs\n")


def test_the_new_plans_language_decides(plans: Path, tmp_path: Path) -> None:
    french = tmp_path / "budget-fr.yaml"
    french.write_text((DIFF / "budget.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr"))
    text = _diff("base.yaml", str(french))
    assert "\nBudget du plan (4)\n" in text
    # The locale does not outweigh an English plan.
    assert "\nBudget (4)\n" in _diff("base.yaml", "budget.yaml", env={"LANG": "fr_FR.UTF-8"})


@pytest.mark.parametrize("kind", ["budget", "means-changed", "objectives-moved"])
def test_json_is_the_same_in_every_language(plans: Path, kind: str) -> None:
    english = _diff("base.yaml", f"{kind}.yaml", "--format", "json")
    assert _diff("base.yaml", f"{kind}.yaml", "--format", "json", "--lang", "fr") == english


def _mixplan(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": lang},
        cwd=DIFF,
        timeout=60,
        check=False,
    )


def test_diff_in_french_in_a_real_process(tmp_path: Path) -> None:
    explicit = _mixplan("diff", "base.yaml", "budget.yaml", "--lang", "fr", lang="C.UTF-8")
    assert (explicit.returncode, explicit.stdout, explicit.stderr) == (1, FRENCH_BUDGET_TEXT, "")
    french = tmp_path / "budget-fr.yaml"
    french.write_text((DIFF / "budget.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr"))
    from_plan = _mixplan("diff", "base.yaml", str(french), lang="fr_FR.UTF-8")
    assert from_plan.returncode == 1 and "\nBudget du plan (4)\n" in from_plan.stdout
    # Same exit codes as in English: 0 for no change, 2 for a wrong --lang.
    same = _mixplan("diff", "base.yaml", "identical.yaml", "--lang", "fr", lang="fr_FR.UTF-8")
    assert (same.returncode, same.stdout) == (0, "")
    wrong = _mixplan("diff", "base.yaml", "budget.yaml", "--lang", "xx", lang="fr_FR.UTF-8")
    assert (wrong.returncode, wrong.stderr) == (2, "mixplan: langue inconnue « xx » : choisissez parmi en, fr\n")
