"""The chapters a client signs off on: risks, measurement and next steps, shown only when the plan has them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml

import mixplan

from ..conftest import ASSETS, EXAMPLES

TODAY = dt.date(2027, 5, 10)
HOSTILE = "<script>alert(1)</script> | **bold** [x](javascript:y) `code`"

CHAPTERS: dict[str, Any] = {
    "summary": "First paragraph of the summary.\n\nSecond paragraph.",
    "risks": [
        {"risk": "Supplier late", "likelihood": "medium", "impact": "high", "mitigation": "Second supplier"},
        {"risk": "Rain", "likelihood": "high", "impact": "low", "owner": "Sam"},
        {"risk": "Stock-out", "likelihood": "medium", "impact": "high", "mitigation": "Safety stock"},
    ],
    "measurement": {"tools": ["GA4", "Brevo"], "cadence": "monthly", "owner": "Studio Nord"},
    "next_steps": [
        {"step": "Order photos", "owner": "Agency", "date": "2027-01-20"},
        {"step": "Sign off the budget", "owner": "Client", "date": "2027-01-05"},
    ],
}


def _plan(**changes: Any) -> mixplan.Plan:
    data = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return mixplan.Plan.model_validate(data)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_plan_without_the_chapters_has_no_such_section_nor_contents_entry(fmt: str) -> None:
    text = mixplan.render(_plan(), format=fmt, today=TODAY)
    for word in ("Risks", "Measurement", "Next steps", "Risk matrix"):
        assert word not in text
    assert "The plan at a glance" in text


def test_empty_measurement_shows_no_section() -> None:
    assert "Measurement" not in mixplan.render(_plan(measurement={"tools": []}), format="html", today=TODAY)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_chapters_are_in_the_contents_and_in_order(fmt: str) -> None:
    text = mixplan.render(_plan(**CHAPTERS), format=fmt, today=TODAY)
    contents = text[text.index("Contents") :]
    order = [contents.index(title) for title in ("Key performance indicators", "Measurement", "Risks", "Next steps")]
    assert order == sorted(order)
    # Each title twice: in the contents and as the section's heading.
    assert all(text.count(title) >= 2 for title in ("Measurement", "Next steps"))


def test_markdown_lists_next_steps_by_date_and_puts_risks_in_a_text_matrix() -> None:
    text = mixplan.render(_plan(**CHAPTERS), format="md", today=TODAY)
    assert text.index("| January 5, 2027 | Sign off the budget | Client |") < text.index(
        "| January 20, 2027 | Order photos | Agency |"
    )
    assert "| R1 | Supplier late | Medium | High | Second supplier | — |" in text
    assert "| R2 | Rain | High | Low | — | Sam |" in text
    assert "| Impact ↓ likelihood → | Low | Medium | High |" in text
    assert "| **High** | · | R1, R3 | · |" in text
    assert "| **Medium** | · | · | · |" in text
    assert "| **Low** | · | · | R2 |" in text
    assert "- **Results reviewed:** Every month" in text
    assert "- **Tools:** GA4, Brevo" in text
    # The summary opens the glance, before the contents.
    assert text.index("First paragraph of the summary.\n\nSecond paragraph.") < text.index("**Contents**")
    # The glance shows the first next step by date, not the first written.
    assert "January 5, 2027: Next step, Sign off the budget (Client)" in text


def test_html_risks_have_a_table_and_a_matrix_and_the_glance_the_first_step() -> None:
    text = mixplan.render(_plan(**CHAPTERS), format="html", today=TODAY)
    risks = re.search(r'<section id="risks">.*?</section>', text, re.DOTALL)[0]
    assert '<td class="ref">R3</td><td class="strong">Stock-out</td>' in risks
    assert risks.count('class="risk-mark"') == 3
    assert '<svg class="chart risk-matrix" id="chart-risks"' in risks
    glance = re.search(r'<section id="glance".*?</section>', text, re.DOTALL)[0]
    dates = glance[glance.index('<ul class="key-dates">') :]
    assert dates.index("key-start") < dates.index("Sign off the budget") < dates.index("key-end")
    assert "Order photos" not in glance
    assert "<p>First paragraph of the summary.</p>" in glance
    assert text.index('id="glance"') < text.index('class="toc"')


def test_french_chapters_speak_french() -> None:
    text = mixplan.render(_plan(**CHAPTERS), format="md", language="fr", today=TODAY)
    assert "## Prochaines étapes" in text and "## Risques" in text and "## Mesure des résultats" in text
    assert "| R1 | Supplier late | Moyenne | Fort | Second supplier | — |" in text
    assert "**Revue des résultats\u202f:** Chaque mois" in text
    assert "## Le plan en un coup d’œil" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_plan_text_in_the_chapters_is_shown_never_obeyed(fmt: str) -> None:
    hostile: dict[str, Any] = {
        "summary": HOSTILE,
        "risks": [{"risk": HOSTILE, "likelihood": "high", "impact": "high", "mitigation": HOSTILE, "owner": HOSTILE}],
        "measurement": {"tools": [HOSTILE], "owner": HOSTILE},
        "next_steps": [{"step": HOSTILE, "owner": HOSTILE, "date": "2027-02-01"}],
    }
    text = mixplan.render(_plan(**hostile), format=fmt, today=TODAY)
    assert "<script>" not in text
    if fmt == "md":
        assert "**bold**" not in text and "[x](javascript" not in text
        # No table row gains a cell from the text's `|`.
        rows = [line for line in text.splitlines() if line.startswith("| R1 |")]
        assert rows and all(len(re.findall(r"(?<!\\)\|", line)) == 7 for line in rows)
    else:
        assert text.count("&lt;script&gt;") >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_both_examples_render_every_new_chapter(example) -> None:
    plan = mixplan.load_plan(example)
    assert plan.summary and plan.risks and plan.measurement and plan.next_steps
    text = mixplan.render(plan, format="html", today=TODAY)
    for section in ("glance", "measurement", "risks", "next-steps"):
        assert f'<section id="{section}"' in text
