"""`mixplan status` in French: --lang, else the plan's language, else the locale; JSON the same in every language."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mixplan.cli import app

from ..conftest import ROOT

SAAS = ROOT / "examples" / "en-b2b-saas.yaml"
EPICERIE = ROOT / "examples" / "fr-epicerie-fine.yaml"
runner = CliRunner()

FRENCH_HEADING = "Plan marketing opérationnel 2027 · La Cave à Manger de Léon · au 31 mars 2027"
ENGLISH_HEADING = "Plan marketing opérationnel 2027 · La Cave à Manger de Léon · as of 31 Mar 2027"


def _status(*args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, ["status", *args], env=env)
    assert result.exit_code == 0, f"{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_french_plan_gets_a_french_dashboard() -> None:
    lines = _status(str(EPICERIE)).splitlines()
    assert lines[0] == FRENCH_HEADING
    assert lines[1].rstrip() == "Dépenses et budget"
    assert "Aucune action n’est en retard sur ses indicateurs." in lines
    # Metric names as the deliverable writes them, and French statuses.
    months = next(line for line in lines if line.startswith("| mois "))
    assert "| chiffre d’affaires | nouveaux clients |" in months
    assert any(line.startswith("| Coût d’acquisition client (CAC) ") and "! moins bien" in line for line in lines)
    assert "Ensemble du plan | 15\u202f550 EUR" in "\n".join(lines)
    assert "Comment chaque chiffre est compté" in lines
    assert any("total du 1er janvier 2027 au 30 septembre 2027" in line for line in lines)
    for english in ("planned", "Whole plan", "as of", "new customers", "ahead", "behind"):
        assert english not in "\n".join(lines), english


def test_lang_overrides_the_plans_language_both_ways() -> None:
    assert _status(str(EPICERIE), "--lang", "en").splitlines()[0] == ENGLISH_HEADING
    french = _status(str(SAAS), "-l", "fr")
    assert french.splitlines()[0].endswith("· Crewline Ltd · au 30 avril 2027")
    assert "| Ensemble du plan |" in french


def test_the_plans_language_comes_before_the_locale() -> None:
    english = _status(str(SAAS), env={"LANG": "fr_FR.UTF-8"})
    assert english.splitlines()[0].endswith("· as of 30 Apr 2027")


def test_the_json_document_is_the_same_in_every_language() -> None:
    english = _status(str(EPICERIE), "--format", "json", "--lang", "en")
    assert _status(str(EPICERIE), "--format", "json", "--lang", "fr") == english
    assert _status(str(EPICERIE), "--format", "json") == english
    assert '"new_customers"' in english and '"status": "ahead"' in english


def test_an_unknown_language_is_a_usage_error() -> None:
    result = runner.invoke(app, ["status", str(SAAS), "--lang", "de"])
    assert result.exit_code == 2
    assert result.stderr == "mixplan: unknown language 'de': use en, fr\n"
    french = runner.invoke(app, ["status", str(SAAS), "--lang", "de"], env={"LANG": "fr_FR.UTF-8"})
    assert french.exit_code == 2
    assert french.stderr == "mixplan: langue inconnue « de » : choisissez parmi en, fr\n"


def _mixplan(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("plan", "args", "lang", "first_line"),
    [
        (EPICERIE, [], "fr_FR.UTF-8", FRENCH_HEADING),
        (EPICERIE, ["--lang", "fr"], "C.UTF-8", FRENCH_HEADING),
        (EPICERIE, ["--lang", "en"], "fr_FR.UTF-8", ENGLISH_HEADING),
    ],
)
def test_status_in_a_real_process(plan, args, lang, first_line) -> None:
    done = _mixplan("status", str(plan), *args, lang=lang)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == first_line
    assert done.stderr == ""


def test_exit_codes_are_the_same_in_french(tmp_path) -> None:
    missing = tmp_path / "missing.yaml"
    english, french = _mixplan("status", str(missing)), _mixplan("status", str(missing), lang="fr_FR.UTF-8")
    assert english.returncode == french.returncode == 2
    wrong = _mixplan("status", str(SAAS), "--lang", "de", lang="fr_FR.UTF-8")
    assert wrong.returncode == 2
    assert wrong.stderr == "mixplan: langue inconnue « de » : choisissez parmi en, fr\n"
