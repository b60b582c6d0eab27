"""The command line's own messages in French: refusals with French plurals, files written, results import's summary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixplan import language
from mixplan.cli import app

from ..conftest import ROOT

EPICERIE = ROOT / "examples" / "fr-epicerie-fine.yaml"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fr.yaml (the French example), bad.yaml (the same over budget: one error) and rows.csv, in the current folder."""
    text = EPICERIE.read_text(encoding="utf-8")
    (tmp_path / "fr.yaml").write_text(text, encoding="utf-8")
    assert "\n  total: 18500 " in text
    (tmp_path / "bad.yaml").write_text(text.replace("\n  total: 18500 ", "\n  total: 100 "), encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        "means,month,spend\ninsta-ads-locales,2027-04,100\ninsta-ads-locales,2027-01,200\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _mixplan(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": lang},
        timeout=60,
        check=False,
    )


def test_french_counts_zero_and_one_in_the_singular() -> None:
    with language.speaking("fr"):
        assert language.plural(1, "cli.refused.status") == "pas de tableau de bord, le plan contient 1 erreur"
        assert language.plural(3, "cli.refused.status") == "pas de tableau de bord, le plan contient 3 erreurs"
        assert language.plural(0, "cli.import.added") == "0 mois ajouté"
    assert language.plural(1, "cli.refused.status") == "no status, the plan has 1 error"
    assert language.plural(0, "cli.refused.status") == "no status, the plan has 0 errors"


@pytest.mark.parametrize(
    ("arguments", "refusal", "exit_code"),
    [
        (["render", "bad.yaml", "-o", "out.md"], "rien n’a été produit, le plan contient 1 erreur", 1),
        (["status", "bad.yaml"], "pas de tableau de bord, le plan contient 1 erreur", 1),
        (["export", "bad.yaml", "-o", "out.csv"], "rien n’a été exporté, le plan contient 1 erreur", 1),
        (["diff", "fr.yaml", "bad.yaml"], "comparaison impossible, le plan contient 1 erreur", 2),
    ],
)
def test_a_french_plan_is_refused_in_french(folder: Path, arguments, refusal: str, exit_code: int) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == exit_code, result.output
    assert result.stderr.endswith(f"mixplan: bad.yaml: {refusal}\n")
    # The same plan refused in English, with the same exit code.
    english = runner.invoke(app, [*arguments, "--lang", "en"])
    assert english.exit_code == exit_code
    assert "mixplan: bad.yaml: n" in english.stderr and "erreur" not in english.stderr


def test_refusal_and_file_written_in_a_real_process(folder: Path) -> None:
    refused = _mixplan("render", "bad.yaml", "-o", "out.md", lang="fr_FR.UTF-8")
    assert refused.returncode == 1
    assert refused.stderr.endswith("mixplan: bad.yaml: rien n’a été produit, le plan contient 1 erreur\n")
    written = _mixplan("render", "fr.yaml", "-o", "out.md")
    assert (written.returncode, written.stderr) == (0, "fichier écrit : out.md\n")
    english = _mixplan("render", "fr.yaml", "-o", "out.md", "--lang", "en", lang="fr_FR.UTF-8")
    assert (english.returncode, english.stderr) == (0, "wrote out.md\n")


def test_results_import_sums_up_in_french(folder: Path) -> None:
    result = runner.invoke(app, ["results", "import", "fr.yaml", "rows.csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "fr.yaml mis à jour : 2 lignes CSV, 1 mois ajouté, 1 remplacé ; lancez `mixplan status fr.yaml`\n"
    )
    again = _mixplan("results", "import", "fr.yaml", "rows.csv", lang="fr_FR.UTF-8")
    assert (again.returncode, again.stderr) == (
        0,
        "fr.yaml mis à jour : 2 lignes CSV, 0 mois ajouté, 2 remplacés ; lancez `mixplan status fr.yaml`\n",
    )


def test_results_import_of_an_english_plan_stays_english(folder: Path) -> None:
    shutil.copy(ROOT / "examples" / "en-b2b-saas.yaml", folder / "en.yaml")
    (folder / "en.csv").write_text("means,month,spend\ngoogle-search,2027-02,10\n", encoding="utf-8")
    done = _mixplan("results", "import", "en.yaml", "en.csv", lang="fr_FR.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "updated en.yaml: 1 CSV rows, 0 month(s) added, 1 replaced; run `mixplan status en.yaml`\n"
