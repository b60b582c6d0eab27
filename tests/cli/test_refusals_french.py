"""The last refusals still said in English (issue 21): colour files, tab completion, templates, PDF, in French."""

from __future__ import annotations

import os
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
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _mixplan(*arguments: str, **environ: str | None):
    from mixplan.cli import app

    return CliRunner().invoke(app, list(arguments), env={**FRENCH, **environ})


# --- render --theme-vars -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("colours", "message"),
    [
        ("# rien encore\n", "c.yaml{N}: le fichier ne contient aucune couleur{N}: écrivez-en une par ligne, par exemple "
         "`primary: '#1f4e79'`"),
        ("- '#1f4e79'\n", "c.yaml:1:1: un fichier de couleurs est une liste de noms et de couleurs, une par ligne, "
         "par exemple `primary: '#1f4e79'`"),
        ("primry: '#1f4e79'\n", "c.yaml:1:1: nom de couleur inconnu «{N}primry{N}» (vouliez-vous dire «{N}primary{N}»{N}?)"
         "{N}: les noms possibles sont primary, accent, text, muted, background, band, rule, on_primary"),
        ("primary:\n", "c.yaml:1:9: primary n’a pas de valeur{N}: écrivez la couleur entre guillemets, par exemple "
         "`primary: '#1f4e79'` (sans guillemets, YAML lit #… comme un commentaire)"),
        ("primary: blue\n", "c.yaml:1:10: primary{N}: «{N}blue{N}» n’est pas une couleur écrite en hexadécimal{N}: "
         "écrivez `'#rrggbb'` (par exemple `'#1f4e79'`) ou `'#rgb'`"),
        ("# " + "x" * 70_000 + "\n", "c.yaml{N}: est trop gros pour un fichier de couleurs (70{N}003 octets{N}; "
         "quelques lignes suffisent){N}: vérifiez le nom du fichier"),
    ],
    ids=["empty", "list", "unknown-name", "no-value", "not-hex", "too-large"],
)  # fmt: skip
def test_a_bad_colour_file_in_french(folder: Path, colours: str, message: str) -> None:
    (folder / "c.yaml").write_text(colours, encoding="utf-8")
    result = _mixplan("render", "fr.yaml", "-o", "x.html", "--theme-vars", "c.yaml")
    assert (result.exit_code, result.stderr) == (2, f"mixplan: {message.format(N=N)}\n")
    assert not (folder / "x.html").exists()


def test_a_colour_folder_in_french(folder: Path) -> None:
    (folder / "couleurs").mkdir()
    result = _mixplan("render", "fr.yaml", "-o", "x.html", "--theme-vars", "couleurs")
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: couleurs{N}: c’est un dossier{N}; --theme-vars attend un fichier YAML de couleurs\n",
    )


def test_a_bad_colour_mapping_in_french() -> None:
    import mixplan
    from mixplan.language import speaking

    with speaking("fr"), pytest.raises(mixplan.MixplanError) as caught:
        mixplan.render(mixplan.load_plan(EPICERIE), "html", theme_vars={"primary": "bleu"})
    assert (caught.value.exit_code, caught.value.message) == (
        2,
        f"theme_vars{N}: primary{N}: «{N}bleu{N}» n’est pas une couleur écrite en hexadécimal{N}: "
        "écrivez `'#rrggbb'` (par exemple `'#1f4e79'`) ou `'#rgb'`",
    )


# --- --install-completion / --show-completion --------------------------------------------

SHELLS = "bash, zsh, fish ou powershell"


@pytest.mark.parametrize(
    ("arguments", "shell", "message"),
    [
        (
            ["--show-completion", "tcsh"],
            "/bin/bash",
            f"--show-completion tcsh{N}: la complétion par Tab existe pour {SHELLS}{N}; nommez l’un d’eux",
        ),
        (
            ["--install-completion"],
            "/bin/sh",
            f"votre shell, sh (d’après $SHELL), n’a pas de complétion par Tab pour mixplan{N}: nommez-en un parmi "
            f"{SHELLS}, comme dans `mixplan --install-completion bash`",
        ),
        (
            ["--install-completion", "bash", "zsh"],
            "/bin/bash",
            f"--install-completion n’accepte qu’un nom de shell ({SHELLS}){N}; vous avez donné{N}: bash zsh",
        ),
    ],
)
def test_a_completion_refusal_in_french(tmp_path: Path, arguments: list[str], shell: str, message: str) -> None:
    result = _mixplan(*arguments, HOME=str(tmp_path), SHELL=shell)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"mixplan: {message}\n", "")
    assert list(tmp_path.iterdir()) == []


def test_no_shell_to_complete_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mixplan.cli import completion

    monkeypatch.setattr(completion, "_guessed_shell", lambda: "")
    result = _mixplan("--install-completion", HOME=str(tmp_path), SHELL=None)
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: impossible de savoir quel shell vous utilisez{N}: nommez-le, comme dans "
        f"`mixplan --install-completion bash` ({SHELLS})\n",
    )


def test_completion_installed_or_not_in_french(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("pas un dossier", encoding="utf-8")
    result = _mixplan("--install-completion", "fish", HOME=str(home))
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: impossible d’installer la complétion fish{N}: {home / '.config' / 'fish' / 'completions'}{N}: "
        f"not a directory{N}; vérifiez que votre dossier personnel vous appartient et accepte l’écriture, ou "
        "utilisez --show-completion pour l’installer vous-même\n",
    )
    home = tmp_path / "maison"
    home.mkdir()
    result = _mixplan("--install-completion", "fish", HOME=str(home))
    script = home / ".config" / "fish" / "completions" / "mixplan.fish"
    assert (result.exit_code, result.stdout) == (
        0,
        f"complétion fish installée dans {script}{N}: appuyez sur Tab après `mixplan` dans tout terminal ouvert "
        "désormais\n",
    )


# --- templates export, and a user's templates ------------------------------------------------


def test_templates_export_in_french(folder: Path) -> None:
    result = _mixplan("templates", "export", "fr.yaml")
    assert (result.exit_code, result.stderr) == (2, f"mixplan: fr.yaml{N}: existe déjà et n’est pas un dossier\n")
    first = _mixplan("templates", "export", "modeles")
    count = len(list((folder / "modeles").rglob("*.*")))
    assert (first.exit_code, first.stdout) == (
        0,
        f"{count} fichiers de modèles écrits dans modeles{N}: modifiez-les, puis "
        "`mixplan render plan.yaml --templates modeles`\n",
    )
    again = _mixplan("templates", "export", "modeles")
    assert again.exit_code == 2
    assert again.stderr.startswith(f"mixplan: {count} fichiers existent déjà (modeles/"), again.stderr
    assert again.stderr.endswith(f"){N}; rien n’est remplacé (ajoutez --force pour les remplacer)\n"), again.stderr


def _template(folder: Path, text: str, name: str = "html/plan.html.j2") -> Path:
    (folder / "tpl" / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / "tpl" / name).write_text(text, encoding="utf-8")
    return (folder / "tpl").resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<p>ok</p>\n<p>{{ info.title </p>\n", "{tpl}/html/plan.html.j2:2: erreur de syntaxe dans le modèle{N}: "
         "unexpected '/'"),
        ("<p>ok</p>\n\n<p>{{ 1 / 0 }}</p>\n", "{tpl}/html/plan.html.j2:3: erreur dans le modèle{N}: division by zero"),
        ("{{ info.__class__.__mro__ }}", "{tpl}/html/plan.html.j2:1: interdit dans un modèle{N}: access to attribute "
         "'__class__' of 'PlanInfo' object is unsafe."),
        ('{% include "html/absent.j2" %}', "modèle introuvable{N}: html/absent.j2 (ni dans {tpl} ni dans les modèles "
         "fournis avec mixplan)"),
        ("<p>\n{{ 'x' * 20000000 }}\n</p>", "{tpl}/html/plan.html.j2:2: interdit dans un modèle{N}: ce «{N}*{N}» "
         "répète du texte ou une liste en 20{N}000{N}000 caractères ou éléments{N}; 10{N}000{N}000 au plus sont "
         "permis"),
    ],
    ids=["syntax", "runtime", "sandbox", "not-found", "too-big"],
)  # fmt: skip
def test_a_broken_template_in_french(folder: Path, text: str, message: str) -> None:
    tpl = _template(folder, text)
    result = _mixplan("render", "fr.yaml", "-o", "x.html", "--templates", "tpl")
    assert (result.exit_code, result.stderr) == (2, f"mixplan: {message.format(N=N, tpl=tpl)}\n")
    assert not (folder / "x.html").exists()


def test_a_template_linking_outside_in_french(folder: Path) -> None:
    tpl = _template(folder, "<p>{% include 'html/part.html' %}</p>")
    (folder / "secret.txt").write_text("secret", encoding="utf-8")
    (tpl / "html" / "part.html").symlink_to(folder / "secret.txt")
    result = _mixplan("render", "fr.yaml", "-o", "x.html", "--templates", "tpl")
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: {tpl / 'html' / 'part.html'}{N}: le modèle «{N}html/part.html{N}» mène hors du dossier de modèles "
        f"{tpl} (c’est un lien symbolique vers {folder.resolve() / 'secret.txt'}){N}; un modèle ne peut utiliser que "
        f"les fichiers de son dossier{N}: copiez-y le fichier au lieu d’un lien\n",
    )


def test_a_template_too_long_or_too_slow_in_french(folder: Path) -> None:
    import mixplan
    from mixplan.language import speaking
    from mixplan.outputs.deliverable import render_pieces

    plan = mixplan.load_plan(folder / "fr.yaml")
    tpl = _template(folder, "{% for n in range(30000) %}{{ '0123456789' * 10 }}{% endfor %}")
    with speaking("fr"), pytest.raises(mixplan.MixplanError) as caught:
        "".join(render_pieces(plan, "html", templates=tpl, output_limit=2_000_000))
    assert (caught.value.exit_code, caught.value.message) == (
        2,
        f"{tpl / 'html' / 'plan.html.j2'}{N}: le modèle a écrit plus de 2 Mo de texte, bien plus qu’il n’en faut pour "
        f"un livrable{N}; cherchez une boucle sans fin ou qui se répète trop",
    )
    tpl = _template(folder, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    with speaking("fr"), pytest.raises(mixplan.MixplanError) as caught:
        "".join(render_pieces(plan, "html", templates=tpl, time_limit=0.2))
    assert (caught.value.exit_code, caught.value.message) == (
        2,
        f"{tpl / 'html' / 'plan.html.j2'}{N}: le modèle tournait encore après 0,2{N}s et a été arrêté{N}; cherchez "
        "une boucle sans fin ou qui se répète trop (MIXPLAN_TEMPLATE_SECONDS fixe une autre limite, en secondes)",
    )


def test_a_logo_without_a_folder_in_french() -> None:
    import mixplan
    from mixplan.language import speaking

    plan = mixplan.load_plan(EPICERIE)
    unread = plan.model_copy(update={"plan": plan.plan.model_copy(update={"logo": "logo.png"})}).from_folder(None)
    with speaking("fr"), pytest.raises(mixplan.MixplanError) as caught:
        mixplan.render(unread, "html")
    assert (caught.value.exit_code, caught.value.message) == (
        2,
        f"plan.logo indique «{N}logo.png{N}», mais ce plan n’a pas été lu depuis un fichier, donc il n’y a pas de "
        f"dossier où chercher le logo{N}: chargez le plan avec `mixplan.load_plan(path)`, ou passez `folder=` (le dossier d’où "
        "plan.logo est lu)",
    )


def test_an_unknown_rule_to_ignore_in_french(folder: Path) -> None:
    result = _mixplan("validate", "fr.yaml", "--ignore", "MP999")
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: --ignore MP999{N}: la règle MP999 n’existe pas (vouliez-vous dire «{N}MP409{N}»{N}?){N}; "
        "`mixplan rules` les présente toutes\n",
    )


@pytest.mark.skipif(os.name != "posix", reason="a shell-script stand-in for the browser")
@pytest.mark.parametrize(
    ("script", "said"),
    [
        ('echo "cannot open display" >&2; exit 7', "code de sortie 7{N}: cannot open display"),
        ("exit 7", "code de sortie 7{N}: aucune sortie"),
    ],
)
def test_a_browser_failing_to_print_in_french(folder: Path, script: str, said: str) -> None:
    browser = folder / "bin" / "chromium"
    browser.parent.mkdir()
    browser.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    browser.chmod(0o755)
    result = _mixplan("render", "fr.yaml", "-o", "x.pdf", PATH=str(browser.parent))
    assert (result.exit_code, result.stderr) == (
        2,
        f"mixplan: {browser} n’a pas pu imprimer le PDF ({said.format(N=N)})\n",
    )
    assert not (folder / "x.pdf").exists()
