"""mixplan's own usage errors (not typer's parser text) in French: a French locale, or a French plan, gets French."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ..conftest import ROOT

N = "\u202f"
EPICERIE = ROOT / "examples" / "fr-epicerie-fine.yaml"
FRENCH = {"LANG": "fr_FR.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "fr.yaml").write_bytes(EPICERIE.read_bytes())
    (tmp_path / "fr2.yaml").write_bytes(EPICERIE.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["render", "fr.yaml", "--format", "docx"], "format inconnu «{N}docx{N}»{N}: choisissez md, html ou pdf"),
        (["validate", "--format", "xml", "fr.yaml"], "format inconnu «{N}xml{N}»{N}: choisissez text, json, github"),
        (["status", "--format", "xml", "fr.yaml"], "format inconnu «{N}xml{N}»{N}: choisissez text ou json"),
        (
            ["diff", "--format", "xml", "fr.yaml", "fr2.yaml"],
            "format de comparaison inconnu «{N}xml{N}»{N}: choisissez text, md ou json",
        ),
        (["status", "nope.yaml"], "nope.yaml{N}: ce fichier n’existe pas"),
        (["diff", "fr.yaml", "nope.yaml"], "nope.yaml{N}: ce fichier n’existe pas"),
        (["render", "nope.yaml", "-o", "out.html"], "nope.yaml{N}: ce fichier n’existe pas"),
        (["channels", "--format", "xml"], "format inconnu «{N}xml{N}»{N}: choisissez text ou json"),
        (["metrics", "--lang", "de"], "langue inconnue «{N}de{N}»{N}: choisissez parmi en ou fr"),
        (
            ["render", "fr.yaml", "fr2.yaml"],
            "plusieurs plans{N}: indiquez un dossier de sortie avec --output-dir DOSSIER (ou -o DOSSIER)",
        ),
        (
            ["render", "fr.yaml", "--watch"],
            "--watch tient un seul fichier à jour{N}: donnez un seul plan et -o FICHIER",
        ),
        (["render", "fr.yaml", "--format", "pdf"], "un PDF doit être écrit dans un fichier{N}: ajoutez -o plan.pdf"),
        (
            ["render", "fr.yaml", "-o", "plan.txt"],
            "impossible de déduire le format de «{N}plan.txt{N}»{N}: nommez-le .md, .html ou .pdf, ou indiquez "
            "--format md|html|pdf",
        ),
        (
            ["render", "fr.yaml", "-o", "fr.yaml", "--format", "md"],
            "fr.yaml{N}: c’est le plan lui-même{N}: choisissez un autre fichier de sortie",
        ),
        (["render", "fr.yaml", "-o", "x.md", "--output-dir", "out"], "indiquez -o ou --output-dir, pas les deux"),
        (["render", "fr.yaml", "--output-dir", "fr2.yaml"], "fr2.yaml{N}: ce n’est pas un dossier"),
        (["render", "fr.yaml", "-o", "nodir/out.html"], "nodir/out.html{N}: le dossier nodir n’existe pas"),
        (
            ["render", "fr.yaml", "-o", "x.html", "--theme", "pastel"],
            "thème inconnu «{N}pastel{N}»{N}: choisissez classic, ink ou modern",
        ),
        (
            ["render", "fr.yaml", "-o", "x.html", "--templates", "absent"],
            "absent{N}: dossier de modèles introuvable (créez-en un avec `mixplan templates export absent`)",
        ),
        (["export", "fr.yaml", "--to", "docx"], "format d’export inconnu «{N}docx{N}»{N}: choisissez ics, csv ou xlsx"),
        (
            ["export", "fr.yaml"],
            "indiquez le format d’export{N}: --to ics|csv|xlsx, ou un fichier -o finissant par .ics, .csv ou .xlsx",
        ),
        (
            ["export", "fr.yaml", "-o", "plan.txt"],
            "impossible de déduire le format de «{N}plan.txt{N}»{N}: nommez-le .ics, .csv ou .xlsx, ou passez "
            "--to ics|csv|xlsx",
        ),
        (
            ["export", "fr.yaml", "--to", "xlsx"],
            "un classeur xlsx n’est pas du texte{N}: indiquez le fichier à écrire avec -o FICHIER.xlsx",
        ),
    ],
)
def test_a_usage_error_in_french(folder: Path, arguments: list[str], message: str) -> None:
    from mixplan.cli import app

    result = CliRunner().invoke(app, arguments, env=FRENCH)
    assert (result.exit_code, result.stderr) == (2, f"mixplan: {message.format(N=N)}\n")


def test_an_existing_output_is_kept_in_french(folder: Path) -> None:
    from mixplan.cli import app

    (folder / "out").mkdir()
    (folder / "out" / "fr.html").write_text("old", encoding="utf-8")
    result = CliRunner().invoke(app, ["render", "fr.yaml", "--output-dir", "out"], env=FRENCH)
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: out/fr.html{N}: existe déjà{N}; rien n’est remplacé (ajoutez --force pour remplacer)\n",
    )
    started = CliRunner().invoke(app, ["init", "fr.yaml"], env=FRENCH)
    assert (started.exit_code, started.stderr) == (
        2,
        f"mixplan: fr.yaml{N}: existe déjà{N}; il n’est pas remplacé (ajoutez --force pour le remplacer)\n",
    )


def test_an_interruption_is_told_in_french(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mixplan import api
    from mixplan.cli import app
    from mixplan.errors import Stopped

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "render_to", interrupted)
    result = CliRunner().invoke(app, ["render", "fr.yaml", "-o", "out.md"], env=FRENCH)
    assert (result.exit_code, result.stderr) == (130, "mixplan: interrompu\n")

    def stopped(*_args, **_kwargs):
        raise Stopped(signal.SIGTERM)

    monkeypatch.setattr(api, "render_to", stopped)
    result = CliRunner().invoke(app, ["render", "fr.yaml", "-o", "out.md"], env=FRENCH)
    assert (result.exit_code, result.stderr) == (128 + signal.SIGTERM, "mixplan: arrêté par SIGTERM\n")


def test_watch_speaks_the_plans_language_until_stopped(folder: Path) -> None:
    """A real `render --watch` of a French plan under an English locale: every line it prints is French."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    process = subprocess.Popen(
        [sys.executable, "-m", "mixplan", "render", "fr.yaml", "-o", "out.html", "--watch"],
        stderr=subprocess.PIPE,
        text=True,
        env={**environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )
    try:
        deadline = time.monotonic() + 60
        while not (folder / "out.html").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    lines = err.splitlines()
    assert process.returncode == 0, err
    assert lines[0] == f"surveillance de fr.yaml{N}; appuyez sur Ctrl-C pour arrêter"
    assert lines[1].endswith(" out.html écrit"), err
    assert lines[-1].endswith(" arrêté"), err


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (["export", "broken.yaml", "-o", "out.csv"], "rien n’a été exporté, le plan contient 1 erreur"),
        (["render", "broken.yaml", "-o", "out.html"], "rien n’a été produit, le plan contient 1 erreur"),
    ],
)
def test_a_french_plan_with_an_error_is_refused_in_french_under_an_english_locale(
    folder: Path, command: list[str], refusal: str
) -> None:
    # The plan has no model, but its `language: fr` is read all the same: its findings and its refusal agree.
    from mixplan.cli import app

    text = (folder / "fr.yaml").read_text(encoding="utf-8")
    (folder / "broken.yaml").write_text(text.replace("total: 18500", "total: beaucoup", 1), encoding="utf-8")
    result = CliRunner().invoke(app, command, env={"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None})
    assert result.exit_code == 1
    assert "n’est pas un nombre" in result.stderr
    assert result.stderr.endswith(f"mixplan: broken.yaml: {refusal}\n")
