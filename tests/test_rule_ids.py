"""Rule ids live in one registry, src/mixplan/rule_ids.py: no other source file writes one."""

from __future__ import annotations

import ast
import re

import pytest

from mixplan import rule_ids
from mixplan.checks.rules import RULES

from .conftest import ROOT

SOURCE = ROOT / "src" / "mixplan"
REGISTRY = SOURCE / "rule_ids.py"
RULE_ID = re.compile(r"MP\d{3}")


def written_ids(source: str) -> list[tuple[int, str]]:
    """Rule ids in the string literals of `source` (f-string parts included), with their lines.

    Docstrings and comments may name rules: they are documentation, not code.
    """
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }
    return [
        (node.lineno, found)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        for found in RULE_ID.findall(node.value)
    ]


def test_no_rule_id_is_written_outside_the_registry() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {found}"
        for path in sorted(SOURCE.rglob("*.py"))
        # The catalogues key each rule's words by its id, checked against the registry just below.
        if path != REGISTRY and path.parent.name != "catalogues"
        for line, found in written_ids(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "name these rules through mixplan.rule_ids:\n" + "\n".join(offenders)


def test_the_catalogues_name_declared_rules_only() -> None:
    from mixplan.catalogues import catalogue
    from mixplan.catalogues.fr_rules import RULES
    from mixplan.rule_ids import DECLARED

    named = {key.split(".")[0] for key in catalogue("en") if key.startswith("MP")} | set(RULES)
    assert named <= set(DECLARED)


@pytest.mark.parametrize(
    "source",
    [
        'RULE = "MP100"\n',
        'def f(x):\n    """Docs may say MP100."""\n    return f"{x} (MP201)"\n',
        "HELP = 'such as ' 'MP301'\n",
    ],
)
def test_the_scan_finds_an_id_in_code(source: str) -> None:
    assert written_ids(source) != []


def test_docstrings_and_comments_may_name_rules() -> None:
    assert written_ids('"""MP100 is the syntax rule."""\n# MP101 too\ndef f():\n    """MP102."""\n') == []


def test_every_rule_is_declared_once_and_every_coherence_rule_has_its_check() -> None:
    assert list(RULES) == list(rule_ids.DECLARED)
    assert all(RULE_ID.fullmatch(rule_id) for rule_id in rule_ids.DECLARED)
    assert all(rule.summary and rule.fix for rule in rule_ids.DECLARED.values())
    unchecked = sorted(rule.id for rule in RULES.values() if rule.ignorable and rule.run is None)
    # Found by the ignore handling and by the loader's text traps (checks/text_traps.py), not by a check.
    assert unchecked == [rule_ids.LINT_IGNORE_UNUSED, rule_ids.TEXT_CUT_BY_COMMENT, rule_ids.LIST_READS_AS_SENTENCE]
    assert all(rule.run is None for rule in RULES.values() if not rule.ignorable)


def test_each_constant_is_named_after_its_rule() -> None:
    for declared in rule_ids.DECLARED.values():
        assert getattr(rule_ids, declared.name.upper().replace("-", "_")) == declared.id
