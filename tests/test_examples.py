"""The plans in examples/: realistic, clean, and rendered in both formats."""

from __future__ import annotations

from pathlib import Path

import pytest

import mixplan
from mixplan.views.mix import mix_view

from .conftest import EXAMPLES


def test_there_is_a_french_and_an_english_example() -> None:
    languages = {mixplan.load_plan(p).plan.language for p in EXAMPLES}
    assert {"fr", "en"} <= languages


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_clean(example: Path) -> None:
    report = mixplan.validate(example)
    assert report.ok and report.findings == [], [str(f) for f in report.findings]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_a_full_plan(example: Path) -> None:
    plan = mixplan.load_plan(example)
    assert len(plan.means) >= 8
    assert len({m.channel for m in plan.means}) >= 6
    assert all(s.means for s in mix_view(plan).by_p), "every P has at least one means"
    assert len(plan.objectives) >= 3
    swot = plan.context.swot
    assert all((swot.strengths, swot.weaknesses, swot.opportunities, swot.threats))


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_renders(example: Path, fmt: str) -> None:
    from markupsafe import escape

    from mixplan.present.markdown import md_escape

    plan = mixplan.load_plan(example)
    text = mixplan.render(plan, format=fmt)
    shown = escape if fmt == "html" else md_escape
    for means in plan.means:
        assert shown(means.name) in text, means.name
    assert shown(plan.positioning.statement.strip()) in text
