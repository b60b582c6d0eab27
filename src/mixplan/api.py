"""The library API: the pipeline stages joined up, usable without the CLI.

    load (YAML with positions) -> model (pydantic) -> check (rules)
        -> mix (4P view) -> render (templates) -> write
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from pydantic import ValidationError

from .rules import check
from .diagnostics import findings_from_validation_error
from .errors import Finding, PlanInvalid
from .loader import Document, collector_paused, load, load_text
from .model import Plan

PathLike = str | os.PathLike[str]


@dataclass
class Report:
    """What `validate` found in one plan file."""

    file: str
    plan: Plan | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when the plan has no error (warnings allowed)."""
        return self.plan is not None and not self.errors


def build(document: Document) -> Plan:
    """Model a loaded document; raises `PlanInvalid` with every located error."""
    if document.problems:
        raise PlanInvalid(document.problems)
    try:
        with collector_paused():
            return Plan.model_validate(document.data)
    except ValidationError as error:
        raise PlanInvalid(findings_from_validation_error(error, document)) from None


def load_plan(path: PathLike) -> Plan:
    """Read and model a plan file. Raises `UnreadableFile` or `PlanInvalid`.

    Coherence rules are not applied; use `validate` for those.
    """
    return build(load(path))


def validate_document(document: Document) -> Report:
    try:
        plan = build(document)
    except PlanInvalid as invalid:
        return Report(document.name, None, invalid.findings)
    with collector_paused():
        findings = [
            document.finding(issue.path, issue.rule, issue.severity, issue.message, key=issue.at_key)
            for issue in check(plan)
        ]
    return Report(document.name, plan, sorted(findings))


def validate(source: PathLike | None = None, *, text: str | None = None, name: str | None = None) -> Report:
    """Load, model and check a plan file (or YAML `text`), returning every finding.

    Raises `UnreadableFile` only when the file itself cannot be read; every
    problem inside the plan is a finding in the report.
    """
    if text is not None:
        label = name or (str(source) if source is not None else "<plan>")
        try:
            document = load_text(text, label)
        except PlanInvalid as invalid:
            return Report(label, None, invalid.findings)
    else:
        if source is None:
            raise TypeError("validate() needs a path or text=")
        try:
            document = load(source)
        except PlanInvalid as invalid:
            return Report(str(source), None, invalid.findings)
    return validate_document(document)


def render(plan: Plan, format: str = "md", *, language: str | None = None) -> str:  # noqa: A002 - public name
    """Render a plan as Markdown (`md`) or self-contained HTML (`html`)."""
    from .renderer import render_plan  # Jinja2 and Babel load only when rendering

    return render_plan(plan, format, language=language)
