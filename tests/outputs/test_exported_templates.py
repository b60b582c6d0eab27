"""Templates a user exported before keep rendering: the view they read is a contract (docs/templates.md).

tests/assets/exported-templates/ is `mixplan templates export` as of commit
71bd870, before the package was laid out by stage. Rendered as a user's
folder (in the sandbox), they give the same deliverable as the built-ins.
"""

from __future__ import annotations

import datetime as dt

import pytest

import mixplan

from ..conftest import ASSETS, EXAMPLES

EXPORTED = ASSETS / "exported-templates"
TODAY = dt.date(2027, 5, 10)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_templates_exported_before_render_as_the_built_ins(example, fmt: str) -> None:
    plan = mixplan.load_plan(example)
    mine = mixplan.render(plan, fmt, templates=EXPORTED, today=TODAY)
    assert mine == mixplan.render(plan, fmt, today=TODAY)
    assert len(mine) > 5_000


def test_the_exported_templates_are_a_full_export() -> None:
    from mixplan.outputs.template_export import builtin_templates

    assert sorted(p.relative_to(EXPORTED) for p in EXPORTED.rglob("*") if p.is_file()) == builtin_templates()
