"""A finding names its place in the plan as a marketer reads it, in the message's language (issue 21)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixplan import language
from mixplan.checks.location import readable
from mixplan.cli import app

ENGLISH_ORDINALS = (
    "1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th 11th 12th 13th 14th 15th 16th 17th 18th 19th 20th 21st 22nd 23rd"
)


def test_english_ordinals_from_1_to_23_and_past_100() -> None:
    assert " ".join(language.ordinal(n) for n in range(1, 24)) == ENGLISH_ORDINALS
    assert [language.ordinal(n) for n in (101, 111, 112, 113, 122)] == ["101st", "111th", "112th", "113th", "122nd"]


def test_french_ordinals_agree_with_the_noun_only_at_one() -> None:
    with language.speaking("fr"):
        masculine = [language.ordinal(n) for n in range(1, 24)]
        feminine = [language.ordinal(n, feminine=True) for n in range(1, 24)]
    assert masculine == ["1er"] + [f"{n}e" for n in range(2, 24)]
    assert feminine == ["1re"] + [f"{n}e" for n in range(2, 24)]


DATA = {
    "plan": {"period": {"start": "x"}},
    "objectives": [{"id": "grow", "kpi": {"target": 1}}],
    "means": [{"id": "seo"}, {"id": "insta-ads", "cost": 1, "objectives": ["grow", "more"]}, {"name": "no id"}],
    "schedule": [{"means": "seo"}, {"means": "ads"}, {"milestone": "m", "date": "x"}],
    "results": [{}, {}, {}, {"clicks": 1}],
    "assumptions": [{"id": "cpc-ads"}, {"id": "ctr", "low": 1}],
    "budget": {"lines": [{"name": "Fees", "cost": 1}]},
    "message": {"by_target": {"smb": "x"}},
}

S = "\u202f"
PLACES = [
    ((), "the plan", "le plan"),
    (("means", 1, "cost"), "means 'insta-ads' (2nd action), cost", f"moyen «{S}insta-ads{S}» (2e action), coût"),
    (("means", 0, "channel"), "means 'seo' (1st action), channel", f"moyen «{S}seo{S}» (1re action), canal"),
    (("means", 2, "cost"), "3rd means, cost", "3e action, coût"),
    (
        ("means", 1, "objectives", 1),
        "means 'insta-ads' (2nd action), 2nd objective",
        f"moyen «{S}insta-ads{S}» (2e action), 2e objectif",
    ),
    (
        ("objectives", 0, "kpi", "target"),
        "objective 'grow' (1st objective), 'kpi', target",
        f"objectif «{S}grow{S}» (1er objectif), «{S}kpi{S}», valeur visée",
    ),
    (("schedule", 2, "date"), "3rd schedule entry, date", "3e entrée du calendrier, date"),
    (("results", 3, "clicks"), "4th results row, clicks", "4e ligne de résultats, clics"),
    (
        ("assumptions", 1, "low"),
        "assumption 'ctr' (2nd assumption), low estimate",
        f"hypothèse «{S}ctr{S}» (2e hypothèse), estimation basse",
    ),
    (("budget", "lines", 0, "cost"), "budget, 1st budget line, cost", "budget, 1re ligne de budget, coût"),
    (("plan", "period", "start"), "plan details, period, start", "informations du plan, période, début"),
    (("message", "by_target", "smb"), "message, message by target, 'smb'", f"message, message par cible, «{S}smb{S}»"),
    (("means",), "means", "moyens"),
    (("means", 7, "cost"), "8th means, cost", "8e action, coût"),  # not in the file (a missing item)
    (("lint", "ignore", 0), "checks, ignored rules (1st entry)", "vérifications, règles ignorées (1er élément)"),
]


@pytest.mark.parametrize(("path", "english", "french"), PLACES)
def test_a_path_reads_as_words_in_both_languages(path, english, french) -> None:
    assert readable(path, DATA) == english
    with language.speaking("fr"):
        assert readable(path, DATA) == french


def test_an_item_of_a_list_of_texts_is_counted_as_an_entry() -> None:
    data = {"context": {"swot": {"threats": ["a", "b"]}}}
    assert readable(("context", "swot", "threats", 1), data) == "context, SWOT, threats (2nd entry)"
    with language.speaking("fr"):
        assert readable(("context", "swot", "threats", 1), data) == "contexte, SWOT, menaces (2e élément)"


def test_ids_and_keys_are_shown_never_obeyed_and_cut_when_long() -> None:
    data = {"means": [{"id": "it's \x1b[31mred"}], "message": {"by_target": {"\u202ehidden": 1}}}
    assert readable(("means", 0, "cost"), data) == "means 'it's \\x1b[31mred' (1st action), cost"
    assert readable(("message", "by_target", "\u202ehidden"), data) == "message, message by target, '\\u202ehidden'"
    long = {"means": [{"id": "a" * 100}]}
    assert readable(("means", 0), long) == f"means '{'a' * 39}…' (1st action)"


PLAN = """\
mixplan: 1
plan:
  title: Test
  client: Acme
  language: {language}
  currency: EUR
  period: {{start: 2027-01-01, end: 2027-12-31}}
positioning: {{statement: x}}
objectives:
  - {{id: grow, statement: s, metric: leads, target: 100, deadline: 2027-12-01}}
targets:
  - {{id: smb, name: SMB}}
message: {{promise: p}}
budget: {{total: 1000}}
means:
  - {{id: seo-work, name: SEO, channel: seo, approach: direct, objectives: [grow], targets: [smb], cost: 100}}
  - {{id: insta-ads, name: Insta, channel: social_ads, approach: direct, objectives: [grow], targets: [smb], cost: lots}}
schedule:
  - {{means: seo-work, start: 2027-01-01, end: 2027-02-01}}
  - {{means: insta-ads, start: 2027-01-01, end: 2027-02-01}}
"""


@pytest.mark.parametrize(
    ("plan_language", "place"),
    [("en", "means 'insta-ads' (2nd action), cost: "), ("fr", f"moyen «{S}insta-ads{S}» (2e action), coût{S}: ")],
)
def test_validate_shows_the_place_in_words_and_json_keeps_the_path(plan_language, place, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(language=plan_language), encoding="utf-8")
    text = CliRunner().invoke(app, ["validate", str(plan)])
    assert text.exit_code == 1, text.output
    assert f"{plan}:17:" in text.output and place in text.output, text.output
    assert "means[1]" not in text.output
    machine = CliRunner().invoke(app, ["validate", "--format", "json", str(plan)])
    assert machine.exit_code == 1
    (finding,) = json.loads(machine.stdout)
    assert finding["message"].startswith("means[1].cost")
    assert set(finding) == {"file", "line", "column", "rule", "name", "severity", "message"}
    github = CliRunner().invoke(app, ["validate", "--format", "github", str(plan)])
    assert github.exit_code == 1 and f"::{place}" in github.stdout


def test_render_refusal_names_the_place_in_words(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(language="en"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(plan), "-o", str(tmp_path / "out.md")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "means 'insta-ads' (2nd action), cost: 'lots' is not a number" in done.stderr
    assert "means[1]" not in done.stderr
    assert not (tmp_path / "out.md").exists()
