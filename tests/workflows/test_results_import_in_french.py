"""`mixplan results import` into a French plan: every rejection of the CSV, and the summary, in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixplan.cli import app

from ..conftest import ROOT

N = "\u202f"
MEANS = "insta-ads-locales"


@pytest.fixture
def french_plan(tmp_path: Path) -> Path:
    target = tmp_path / "plan.yaml"
    target.write_bytes((ROOT / "examples" / "fr-epicerie-fine.yaml").read_bytes())
    return target


def _import(plan: Path, csv_text: str | None, *extra: str, locale: str = "C.UTF-8") -> tuple[int, str]:
    """The import under an English locale by default: the French comes from the plan, not from the locale."""
    export = plan.parent / "export.csv"
    if csv_text is not None:
        export.write_text(csv_text, encoding="utf-8")
    environ = {"LANG": locale, "LC_ALL": None, "LC_MESSAGES": None}
    result = CliRunner().invoke(app, ["results", "import", str(plan), str(export), *extra], env=environ)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_every_bad_row_is_told_in_french(french_plan: Path) -> None:
    before = french_plan.read_bytes()
    code, err = _import(
        french_plan,
        "means,month,spend,clicks\n"
        f"{MEANS},2027-02,120,40\n"
        "insta-ads-locale,2027-03,10,1\n"
        f"{MEANS},2026-12,10,1\n"
        f"{MEANS},2027-04,-5,1\n"
        f"{MEANS},2027-05,5,many\n"
        f"{MEANS},2027-13,5,1\n"
        f"{MEANS},2027-06,5\n"
        ",2027-07,5,1\n",
    )
    export = french_plan.parent / "export.csv"
    assert code == 1
    assert err.splitlines()[0] == f"{export}{N}: 7 problèmes, le plan n’a pas été modifié"
    assert err.splitlines()[1].startswith(
        f"{export}:3{N}: aucune action n’a l’identifiant «{N}insta-ads-locale{N}» (vouliez-vous dire "
        f"«{N}{MEANS}{N}»{N}?){N}; actions connues{N}: {MEANS}, presse-tourisme,"
    )
    assert err.splitlines()[2:] == [
        f"{export}:4{N}: le mois 2026-12 est en dehors de la période du plan (du 2027-01-01 au 2027-12-31)",
        f"{export}:5{N}: colonne «{N}spend{N}»{N}: doit valoir au moins 0, et non «{N}-5{N}»",
        f"{export}:6{N}: colonne «{N}clicks{N}»{N}: «{N}many{N}» n’est pas un nombre entier{N}: écrivez un nombre "
        "sans décimales, par exemple 1200",
        f"{export}:7{N}: colonne «{N}month{N}»{N}: un mois s’écrit AAAA-MM (par exemple 2027-02), et non 2027-13",
        f"{export}:8{N}: 3 cellules pour 4 colonnes",
        f"{export}:9{N}: colonne «{N}means{N}»{N}: la cellule est vide{N}: chaque ligne doit indiquer son means",
    ]
    assert french_plan.read_bytes() == before


@pytest.mark.parametrize(
    ("csv_text", "extra", "code", "message"),
    [
        (None, (), 2, "mixplan: {export}{N}: ce fichier n’existe pas"),
        (
            "means,mois,spend\n",
            (),
            2,
            "mixplan: {export}{N}: colonne inconnue «{N}mois{N}»{N}: nommez chaque colonne comme un champ des "
            "résultats (means, month, spend, revenue, impressions, reach, clicks, sessions, bounces, engagements, "
            "leads, conversions, new_customers, sales, signups), ou faites-la correspondre à un champ{N}: "
            "`--map 'COLONNE=champ'`, ou `--map 'COLONNE=-'` pour l’ignorer",
        ),
        (
            "means,spend\n",
            (),
            2,
            "mixplan: {export}{N}: il n’y a pas de colonne month{N}: ajoutez-la, ou indiquez avec --map la colonne "
            "qui la contient",
        ),
        (
            "means,month,spend,Cost\n",
            ("--map", "Cost=spend"),
            2,
            "mixplan: {export}{N}: plusieurs colonnes donnent spend{N}: gardez-en une, ou faites correspondre les "
            "autres à -",
        ),
        ("means,month,spend\n", (), 1, "{export}{N}: aucune ligne de données, le plan n’a pas été modifié"),
        ("", (), 2, "mixplan: {export}{N}: fichier vide{N}: il faut une ligne d’en-tête, puis des lignes"),
    ],
)
def test_each_refusal_of_the_csv_in_french(
    french_plan: Path, csv_text: str | None, extra: tuple[str, ...], code: int, message: str
) -> None:
    export = french_plan.parent / "export.csv"
    got_code, err = _import(french_plan, csv_text, *extra)
    assert (got_code, err.splitlines()[0]) == (code, message.format(N=N, export=export))


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("x", "mixplan: --map 'x'{N}: écrivez-le COLONNE=CHAMP, par exemple `--map 'Cost=spend'`"),
        (
            "Cost=spent",
            "mixplan: --map 'Cost=spent'{N}: «{N}spent{N}» n’est pas un champ des résultats (vouliez-vous dire "
            "«{N}spend{N}»{N}?){N}; choisissez parmi means, month, spend, revenue, impressions, reach, clicks, "
            "sessions, bounces, engagements, leads, conversions, new_customers, sales, signups, ou - pour ignorer "
            "la colonne",
        ),
    ],
)
def test_a_bad_map_option_is_told_in_the_locales_language(french_plan: Path, pair: str, message: str) -> None:
    """--map is read before the plan: like any usage error, it speaks the locale's language."""
    code, err = _import(french_plan, "means,month\n", "--map", pair, locale="fr_FR.UTF-8")
    assert (code, err.splitlines()[0]) == (2, message.format(N=N))
