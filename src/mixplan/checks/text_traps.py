"""MP113 and MP114: text that YAML read without error, but not as it was written.

The loader finds the places (`Document.text_traps`); only those in a field
of free text (a name, a sentence, a list of points) are worth a warning: in
an id or an amount, what follows a `#` is a comment like any other.
"""

from __future__ import annotations

from ..errors import Finding
from ..loading.reader import Document
from ..plan.fields import FREE_TEXT, value_kind
from ..plan.model import Plan


def text_trap_findings(document: Document) -> list[Finding]:
    return [
        Finding(document.name, trap.line, trap.column, trap.rule, "warning", trap.message)
        for trap in document.text_traps
        if value_kind(Plan, trap.path) is FREE_TEXT
    ]
