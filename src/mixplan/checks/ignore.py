"""Silencing rules: `lint.ignore` in a plan and `--ignore` for a run, and MP111 when one silences nothing."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .rules import RULES


def ignorable(rule_id: str) -> bool:
    """Whether `rule_id` names a rule that may be silenced (MP110 reports any other)."""
    known = RULES.get(rule_id)
    return known is not None and known.ignorable


def unused(ignored: Iterable[str], fired: Collection[str]) -> list[str]:
    """The silenced rule ids that found nothing, in the order given: each is an MP111 warning."""
    return [rule_id for rule_id in ignored if rule_id not in fired]
