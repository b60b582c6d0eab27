"""Personas, the customer journey and the team in the deliverable: shown when the plan has them, absent otherwise."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest
import yaml

import mixplan
from mixplan.outputs.deliverable import view
from mixplan.present.labels import labels

from ..conftest import ASSETS, EXAMPLES

TODAY = dt.date(2027, 3, 1)
BASE: dict[str, Any] = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))


def plan_with(**changes: Any) -> mixplan.Plan:
    data = copy.deepcopy(BASE)
    data["targets"][0].update(changes.get("target", {}))
    for means, fields in zip(data["means"], changes.get("means", ()), strict=False):
        means.update(fields)
    return mixplan.Plan.model_validate(data)


FULL = {
    "target": {
        "needs": ["A quick answer", "Prices | shown"],
        "pains": ["Queues"],
        "channels": ["sea", "newsletter"],
        "objections": ["Too dear"],
    },
    "means": [
        {"stage": "conversion", "responsible": "Studio Nord", "accountable": "Léa", "consulted": ["Legal", "Sales"]},
        {"responsible": "Sam"},
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_plan_without_the_new_data_has_none_of_the_new_sections(language: str) -> None:
    plan = plan_with()
    lab = labels(language)
    md = mixplan.render(plan, format="md", language=language, today=TODAY)
    html = mixplan.render(plan, format="html", language=language, today=TODAY)
    for title in (lab.sections.personas, lab.sections.journey, lab.sections.team):
        assert title not in md and f">{title}<" not in html
    assert 'id="journey"' not in html and 'id="team"' not in html and 'class="personas"' not in html
    shown = view(plan, language)
    assert shown.personas == [] and shown.journey == [] and shown.raci_roles == ()


def test_markdown_lists_each_persona_and_tables_the_journey_and_the_team() -> None:
    md = mixplan.render(plan_with(**FULL), format="md", language="en", today=TODAY)
    persona = md.split("### Personas\n", 1)[1].split("\n## ", 1)[0]
    assert persona == (
        "\n**Local people** (Primary)\n\n"
        "- **Needs:** A quick answer; Prices \\| shown\n"
        "- **Pain points:** Queues\n"
        "- **Where to reach them:** Search ads (SEA), Newsletter\n"
        "- **Objections:** Too dear\n"
    )
    journey = re.findall(r"^\| \*\*(.+?)\*\*.*\| (.+) \| (.+) \|$", md.split("## Customer journey", 1)[1], re.M)
    assert journey[:5] == [
        ("Awareness", "*No action on this stage.*", "—"),
        ("Consideration", "*No action on this stage.*", "—"),
        ("Conversion", "Search ads (Promotion)", "€500"),
        ("Loyalty", "*No action on this stage.*", "—"),
        ("Not placed on the journey", "Launch discount (Price)", "€350"),
    ]
    team = md.split("## Team and responsibilities\n", 1)[1].split("\n## ", 1)[0]
    # Only the roles the plan names get a column: here no one is informed.
    assert "| Action | Responsible (R) | Accountable (A) | Consulted (C) |\n| --- | --- | --- | --- |\n" in team
    assert "| Search ads | Studio Nord | Léa | Legal, Sales |\n| Launch discount | Sam | — | — |\n" in team
    contents = re.findall(r"^\d+\. \[([^\]]+)\]", md, re.M)
    assert contents[contents.index("Action plan") + 1 : contents.index("Budget")] == [
        "Customer journey",
        "Team and responsibilities",
    ]


def test_french_markdown_separates_with_a_thin_space_before_the_semicolon() -> None:
    md = mixplan.render(plan_with(**FULL), format="md", language="fr", today=TODAY)
    assert "- **Besoins\u202f:** A quick answer\u202f; Prices \\| shown\n" in md
    assert "| **Conversion** (transformer l’intérêt en achat) | Search ads (Communication) | 500\u00a0€ |" in md
    assert "| Action | Réalise (R) | Valide (A) | Consulté (C) |" in md


def test_html_shows_persona_cards_journey_chips_in_their_p_and_the_team_table() -> None:
    html = mixplan.render(plan_with(**FULL), format="html", language="en", today=TODAY)
    assert html.count('<article class="persona persona-primary">') == 1
    assert '<span class="channel">Search ads (SEA)</span> <span class="channel">Newsletter</span>' in html
    assert '<span class="chip p-promotion" title="Promotion">Search ads</span>' in html
    assert '<tr class="unplaced"><th scope="row">Not placed on the journey</th>' in html
    assert "<td>Prices | shown</td>" not in html and "<li>Prices | shown</li>" in html
    team = html.split('<section id="team">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<th>([^<]+)</th>", team) == ["Action", "Responsible (R)", "Accountable (A)", "Consulted (C)"]
    assert "<td>Legal, Sales</td>" in team
    toc = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="#(\w+)"', toc)[5:9] == ["actions", "journey", "team", "budget"]


def test_plan_text_in_the_new_sections_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    plan = plan_with(
        target={"needs": [hostile], "objections": [hostile]},
        means=[{"stage": "awareness", "responsible": hostile, "informed": [hostile]}, {"responsible": "x"}],
    )
    html = mixplan.render(plan, format="html", today=TODAY)
    md = mixplan.render(plan, format="md", today=TODAY)
    assert "<script>" not in html and html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
    assert "<script>" not in md and md.count("\\<script\\>alert(1)\\</script\\>") == 4


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_both_examples_render_personas_journey_and_team(example) -> None:
    plan = mixplan.load_plan(example)
    lab = labels(plan.plan.language)
    md = mixplan.render(plan, format="md", today=TODAY)
    for title in (lab.sections.personas, lab.sections.journey, lab.sections.team):
        assert title in md
    shown = view(plan, plan.plan.language)
    assert len(shown.personas) == len(plan.targets)
    assert [row.stage for row in shown.journey] == ["awareness", "consideration", "conversion", "loyalty"]
    assert all(row.means for row in shown.journey)
    assert shown.raci_roles == ("responsible", "accountable", "consulted", "informed")


def test_french_names_the_journey_stages_as_french_marketers_do() -> None:
    # Translation and typography of every label: tests/present/test_labels.py.
    french = labels("fr")
    stages = [french.stages[stage] for stage in ("awareness", "consideration", "conversion", "loyalty")]
    assert stages == ["Notoriété", "Considération", "Conversion", "Fidélisation"]
