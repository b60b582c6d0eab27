"""Templates a user exported before keep rendering: the view they read is a contract (docs/templates.md).

tests/assets/exported-templates/ is `mixplan templates export` as of commit
71bd870, before the package was laid out by stage. Rendered as a user's
folder (in the sandbox), they give the same Markdown as the built-ins, and
HTML with the same sections and figures: the built-in HTML templates have
since changed their layout (print and phone), not what they read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from html import unescape

import pytest

import mixplan
from mixplan.present.labels import labels

from ..conftest import ASSETS, EXAMPLES

EXPORTED = ASSETS / "exported-templates"
TODAY = dt.date(2027, 5, 10)


_CHAPTERS = {
    "targets": {"needs": [], "pains": [], "channels": [], "objections": []},
    "means": {"stage": None, "responsible": None, "accountable": None, "consulted": [], "informed": []},
}


def _load(example):
    """The example without the cover facts (plan.version, plan.date) and the chapters (personas, journey, team,
    summary, risks, measurement, next steps) added since the export, which only templates that know them show:
    the rest must render the same."""
    plan = mixplan.load_plan(example)
    return plan.model_copy(
        update={
            "plan": plan.plan.model_copy(update={"version": None, "date": None}),
            **{
                section: [item.model_copy(update=blank) for item in getattr(plan, section)]
                for section, blank in _CHAPTERS.items()
            },
            "summary": None,
            "risks": [],
            "measurement": None,
            "next_steps": [],
        }
    )


def _without_action_plan(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    return markdown[:start] + markdown[markdown.index("\n## ", start + 1) :]


def _unnumbered(markdown: str) -> list[str]:
    return [re.sub(r"^\d+\. \[", "[", line) for line in markdown.splitlines()]


def _without_forecast(markdown: str, heading: str) -> str:
    """The Markdown without its forecast chapter, the last of the dashboard (it runs to the closing rule)."""
    start = markdown.index(f"\n## {heading}\n")
    return markdown[:start] + markdown[markdown.index("\n---", start + 1) :]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_templates_exported_before_render_the_same_markdown(example) -> None:
    plan = _load(example)
    mine = mixplan.render(plan, "md", templates=EXPORTED, today=TODAY)
    builtin = mixplan.render(plan, "md", today=TODAY)
    assert len(mine) > 5_000
    # The built-in action plan has since listed each flight of a means in one Dates
    # column (issue 18); the exported one keeps its Start and End columns, read
    # from `schedule_of`.
    actions = labels(plan.plan.language)["sections"]["actions"]
    columns = labels(plan.plan.language)["columns"]
    assert f"| {columns['start']} | {columns['end']} |" in mine
    # Elsewhere the built-ins have only added lines (a total under other costs, a
    # word for a P without means, a chapter); every line the old templates write is
    # theirs. A chapter added before others renumbers the contents after it, so the
    # contents are compared without their numbers. The forecast against actual has
    # since gained a low–high column and a table per action (issue 20).
    forecast = labels(plan.plan.language)["dashboard"]["forecast_title"]
    changes = difflib.SequenceMatcher(
        None,
        _unnumbered(_without_forecast(_without_action_plan(mine, actions), forecast)),
        _unnumbered(_without_forecast(_without_action_plan(builtin, actions), forecast)),
        autojunk=False,
    ).get_opcodes()
    assert {tag for tag, *_ in changes} <= {"equal", "insert"}


def _headings_and_amounts(html: str) -> tuple[list[str], list[str]]:
    headings = [unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    body = re.sub(r"<style.*?</style>|<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)
    amounts = sorted(re.findall(r"\d[\d,.\u202f\xa0]*\d", unescape(body)))
    return headings, amounts


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_templates_exported_before_render_the_same_sections_and_figures(example) -> None:
    plan = _load(example)
    mine = mixplan.render(plan, "html", templates=EXPORTED, today=TODAY)
    headings, amounts = _headings_and_amounts(mine)
    assert len(headings) >= 8 and len(amounts) > 50
    builtin_headings, builtin_amounts = _headings_and_amounts(mixplan.render(plan, "html", today=TODAY))
    # Every plan now opens with the plan at a glance (issue 19), which the old templates do not know.
    assert builtin_headings[0] == labels(plan.plan.language)["glance"]["title"]
    builtin_headings = builtin_headings[1:]
    # And a plan with something to forecast gets the Forecast chapter (issue 20), which they do not know either.
    builtin_headings.remove(labels(plan.plan.language)["forecast"]["title"])
    # The built-ins add a total under other costs: every figure of the old templates is still there.
    assert headings == builtin_headings and not Counter(amounts) - Counter(builtin_amounts)


def test_the_exported_templates_are_a_full_export() -> None:
    from mixplan.outputs.template_export import builtin_templates

    assert sorted(p.relative_to(EXPORTED) for p in EXPORTED.rglob("*") if p.is_file()) == builtin_templates()
