"""Findings in French: worded for a marketer, with the same rule ids, positions, JSON keys and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app

BROKEN = Path(__file__).parent.parent / "assets" / "broken"
N = "\u202f"  # the narrow no-break space of French typography

# One finding of each family (and of each 6xx rule), word for word.
WORD_FOR_WORD = {
    "colon-in-text": (
        "MP100",
        f"ce texte contient «{N}:{N}» (deux-points suivis d’une espace), que YAML prend pour le début d’une nouvelle "
        f'clé{N}: mettez tout le texte entre guillemets droits{N}: tagline: "Respirez : on s\'occupe du reste."',
    ),
    "unknown-key": ("MP101", f"clé inconnue «{N}costt{N}» dans means[0] (vouliez-vous dire «{N}cost{N}»{N}?)"),
    "percentage-in-rate": (
        "MP102",
        f"means[0].kpis[0].target{N}: «{N}3,5 %{N}» n’est pas un nombre{N}: écrivez 0.035 pour 3,5{N}% "
        f"(les taux et les parts s’écrivent en fraction de 1, sans le signe{N}%)",
    ),
    "bad-month": ("MP102", f"results[0].month{N}: un mois s’écrit AAAA-MM (par exemple 2027-02), et non 2027-13"),
    "format-version": (
        "MP102",
        f"mixplan{N}: ce fichier est écrit au format 2, mais cette version de mixplan lit le format 1",
    ),
    "missing-currency": ("MP103", f"plan{N}: il manque la clé obligatoire «{N}currency{N}»"),
    "unknown-objective-id": (
        "MP106",
        f"aucun objectif n’a l’identifiant «{N}growth{N}» (vouliez-vous dire «{N}grow{N}»{N}?){N}; objectifs connus{N}: grow",
    ),
    "hash-in-text": (
        "MP113",
        f"le texte s’arrête au «{N}#{N}»{N}: YAML prend «{N}#1{N}» pour un commentaire, et le texte n’est plus que "
        f"«{N}Fiche Google Business{N}»{N}; mettez-le entre guillemets pour garder «{N}#1{N}»{N}: "
        'name: "Fiche Google Business #1"',
    ),
    "budget-over": (
        "MP201",
        "les dépenses prévues, 950 EUR (actions 850 EUR + lignes 0 EUR + réserve 100 EUR), dépassent le budget "
        f"de 900 EUR de 50 EUR{N}: réduisez les coûts ou augmentez `budget.total`",
    ),
    "means-unscheduled": (
        "MP301",
        f"l’action «{N}promo{N}» n’est jamais au calendrier{N}: ajoutez `{{means: promo, start: ..., end: ...}}` "
        "à `schedule`",
    ),
    "objective-unserved": (
        "MP402",
        f"aucune action ne sert l’objectif «{N}loyalty{N}»{N}: ajoutez-le aux `objectives` d’une action, ou retirez-le",
    ),
    "duplicate-means-id": (
        "MP105",
        f"l’identifiant «{N}ads{N}» est déjà pris (1re action){N}: chaque identifiant doit être unique dans sa liste",
    ),
    "measured-duplicate-month": (
        "MP507",
        f"le 1er chiffre mesuré contient déjà 2027-02{N}: gardez un seul chiffre par mois",
    ),
    "results-duplicate-row": (
        "MP503",
        f"la 1re ligne de résultats contient déjà «{N}ads{N}» pour 2027-02{N}: fusionnez les deux lignes",
    ),
    "journey-stage-empty": (
        "MP601",
        f"l’objectif «{N}grow{N}» compte nouveaux clients, un résultat de l’étape conversion du parcours client, mais "
        "aucune des actions qui le servent n’est placée sur cette étape (ads sur awareness, promo sur awareness)"
        f"{N}: écrivez `stage: conversion` sur celle qui y travaille, ou ajoutez une action qui y travaille",
    ),
    "means-without-responsible": (
        "MP602",
        f"l’action «{N}promo{N}» n’indique pas de responsable alors que 1 autre action en indique un{N}: ajoutez "
        f"`responsible:` avec la personne ou l’équipe qui fait le travail (elle est confiée à Sam{N}: "
        "`responsible: Sam`, si c’est Sam qui s’en charge)",
    ),
    "risk-unmitigated": (
        "MP611",
        f"le risque «{N}Supplier goes bust{N}» a un impact élevé mais rien n’est prévu pour le parer{N}: ajoutez "
        "`mitigation:` avec ce que vous ferez pour l’éviter ou en atténuer les effets",
    ),
    "next-step-outside-period": (
        "MP612",
        f"la prochaine étape «{N}Sign off the budget{N}» est datée du 2026-12-15, 17 jours avant le début du plan, "
        f"le 2027-01-01{N}: corrigez la date ou, s’il s’agit d’une préparation à faire avant le début, gardez-la et "
        "ajoutez MP612 à `lint.ignore`",
    ),
    "forecast-short": (
        "MP621",
        f"l’objectif «{N}grow{N}» demande 500 en inscriptions d’ici le 2027-06-30{N}; ses actions en prévoient 200{N}: "
        "donnez-leur plus de budget ou de meilleurs taux, ajoutez des actions, ou revoyez l’objectif",
    ),
    "forecast-unreachable": (
        "MP622",
        f"«{N}ads{N}» sert l’objectif «{N}grow{N}», mais sa prévision ne peut pas atteindre nouveaux clients{N}: "
        "ajoutez une hypothèse pour conversion_rate (sous `assumptions`, ou dans son `funnel`)",
    ),
    "phasing-not-cost": (
        "MP623",
        f"les mois de «{N}ads{N}» totalisent 400 EUR, soit 100 EUR de moins que son coût de 500 EUR{N}: "
        "faites-les correspondre au coût",
    ),
    "assumption-unused": (
        "MP624",
        f"aucune action n’utilise l’hypothèse «{N}cpc-tv{N}»{N}: aucune action n’est sur le canal Télévision{N}; "
        "retirez-la ou corrigez-la",
    ),
    "rate-assumption-out-of-range": (
        "MP625",
        f"un taux de conversion de 2.5 dépasse 1{N}: un taux s’écrit en fraction, écrivez donc 0.025 pour 2.5{N}%",
    ),
}


@pytest.mark.parametrize("name", sorted(WORD_FOR_WORD))
def test_a_finding_of_each_family_in_french(name: str) -> None:
    rule, message = WORD_FOR_WORD[name]
    report = mixplan.validate(BROKEN / f"{name}.yaml", lang="fr")
    assert report.language == "fr"
    assert [(f.rule, f.message) for f in report.findings if f.rule == rule][0] == (rule, message)


# Words of an English sentence; the plan's own text, ids and keys are left out before looking.
ENGLISH = re.compile(
    r"\b(the|is|are|must|should|not|was|with|which|remove|write|add|check|expected|got|found|while|cannot|"
    r"this|that|has|have|than|into|only|number|means|key|unknown|missing|invalid)\b",
    re.IGNORECASE,
)


def _prose(message: str) -> str:
    """What mixplan wrote itself: quoted user text, `code`, YAML shown as the fix, data and file paths removed."""
    message = re.sub(r"(?<![\w.])/(?=\S)[^()«»]*", " ", message)  # a folder on disk, up to the parenthesis closing it
    message = re.sub(r"«\u202f.*?\u202f»|`[^`]*`|\"[^\"]*\"|'[^']*'|\([^()]*:[^()]*\)", " ", message)
    message = re.sub(
        r"[\w.\[\]-]+\[\d+\][\w.\[\]-]*|\b\w+: .*$|\b\w+(?:-\w+)+", " ", message
    )  # paths, YAML, rule names
    return message


@pytest.fixture(scope="module")
def broken_in_an_english_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The broken plans under a folder named in English: a path quoted in a message is the user's, not prose."""
    folder = tmp_path_factory.mktemp("check") / "the missing key is not found"
    shutil.copytree(BROKEN, folder)
    return folder


@pytest.mark.parametrize("name", sorted(path.name for path in BROKEN.glob("*.yaml")))
def test_no_english_sentence_is_left_in_french(name: str, broken_in_an_english_folder: Path) -> None:
    report = mixplan.validate(broken_in_an_english_folder / name, lang="fr")
    for finding in report.findings:
        left = ENGLISH.findall(_prose(finding.message))
        assert not left, (finding.message, left)


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda path: path.stem)
def test_ids_positions_and_severities_do_not_depend_on_the_language(path: Path) -> None:
    english = mixplan.validate(path, lang="en")
    french = mixplan.validate(path, lang="fr")
    assert [(f.line, f.column, f.rule, f.severity) for f in english.findings] == [
        (f.line, f.column, f.rule, f.severity) for f in french.findings
    ]


def test_json_keys_rule_ids_and_exit_codes_are_the_same_in_both_languages() -> None:
    paths = [str(BROKEN / "budget-over.yaml"), str(BROKEN / "colon-in-text.yaml"), str(BROKEN / "hash-in-text.yaml")]
    runs = {
        lang: CliRunner().invoke(app, ["validate", "--format", "json", "--lang", lang, *paths]) for lang in ("en", "fr")
    }
    assert runs["en"].exit_code == runs["fr"].exit_code == 1
    english, french = (json.loads(runs[lang].stdout) for lang in ("en", "fr"))
    assert [sorted(item) for item in english] == [sorted(item) for item in french]
    keep = ("file", "line", "column", "rule", "name", "severity")
    assert [[item[k] for k in keep] for item in english] == [[item[k] for k in keep] for item in french]
    assert english[0]["message"] != french[0]["message"]


def test_a_french_plan_speaks_french_unless_told_otherwise() -> None:
    plan = BROKEN / "budget-over.yaml"  # an English plan
    french_plan = BROKEN / "colon-in-text.yaml"  # plan.language: fr, and a syntax error: read from the text
    assert mixplan.validate(plan).language == "en"
    assert mixplan.validate(french_plan).findings[0].message.startswith("ce texte contient")
    assert mixplan.validate(french_plan, lang="en").findings[0].message.startswith("this text contains")
    # The library never reads the locale: default_lang is the caller's choice.
    assert mixplan.validate(plan, default_lang="fr").language == "en"  # the plan says en


def test_the_summary_lines_are_in_french() -> None:
    result = CliRunner().invoke(app, ["validate", "--lang", "fr", str(BROKEN / "budget-over.yaml")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"{BROKEN / 'budget-over.yaml'}{N}: 1 erreur, 0 avertissement"
    ok = CliRunner().invoke(app, ["validate", "--lang", "fr", "examples/fr-epicerie-fine.yaml"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith(f"examples/fr-epicerie-fine.yaml{N}: plan valide, «{N}")
    assert ok.output.rstrip("\n").endswith(f", budget 18{N}500 EUR")  # French groups thousands with a narrow space


def test_an_unknown_language_is_refused() -> None:
    result = CliRunner().invoke(app, ["validate", "--lang", "de", str(BROKEN / "budget-over.yaml")])
    assert result.exit_code == 2
    assert "unknown language 'de': use en, fr" in result.output


def _validate(*arguments: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", *arguments],
        capture_output=True,
        text=True,
        cwd=BROKEN,
        timeout=60,
        env={**env, "PYTHONIOENCODING": "utf-8", **environ},
        check=False,
    )


def test_the_command_chooses_lang_then_the_plan_then_the_locale() -> None:
    french_locale = {"LANG": "fr_FR.UTF-8"}
    # An English plan under a French locale: the plan's language wins.
    assert "planned spending" in _validate("budget-over.yaml", environ=french_locale).stdout
    # A plan that names no language, unreadable: the locale decides.
    empty = _validate("empty-file.yaml", environ=french_locale)
    assert empty.returncode == 1
    assert "le fichier ne contient aucun plan" in empty.stdout
    assert "the file holds no plan" in _validate("empty-file.yaml", environ={"LANG": "C.UTF-8"}).stdout
    # --lang wins over both.
    assert "this text contains" in _validate("--lang", "en", "colon-in-text.yaml", environ=french_locale).stdout
    missing = _validate("no-such-plan.yaml", environ=french_locale)
    assert missing.returncode == 2
    assert f"no-such-plan.yaml{N}: ce fichier n’existe pas" in missing.stderr
