"""docs/format.md stays in step with the models, the vocabulary and the rules."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from mixplan.checks.rules import RULES
from mixplan.plan import vocab
from mixplan.plan.model import Plan

from .conftest import ROOT

FORMAT_DOC = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def _models(model: type[BaseModel], seen: set) -> set:
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                _models(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return seen


def test_every_key_of_every_model_is_documented() -> None:
    models = _models(Plan, set())
    assert len(models) > 20
    # A key is documented as the file writes it: its alias (`from`) when it has one.
    keys = [(m, field.alias or name) for m in models for name, field in m.model_fields.items()]
    missing = [f"{m.__name__}.{key}" for m, key in keys if f"`{key}`" not in FORMAT_DOC]
    assert missing == []


def test_rules_page_is_generated_from_the_registry() -> None:
    """docs/rules.md is `mixplan rules --format md`: regenerate it when a rule changes."""
    from mixplan.outputs.findings import rules_text

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_text("md"), "docs/rules.md is stale: run `mixplan rules --format md > docs/rules.md`"
    assert all(f"| {rule.id} | {rule.name} |" in page for rule in RULES.values())


def test_every_channel_and_metric_is_documented() -> None:
    missing = [name for name in vocab.CHANNELS + vocab.METRICS if f"`{name}`" not in FORMAT_DOC]
    assert missing == []


def test_relative_links_in_the_readme_and_docs_lead_to_files() -> None:
    import re

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            checked += 1
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
    assert checked >= 8
