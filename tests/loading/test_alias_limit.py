"""The alias-bomb limit sits where docs/robustness.md says: a modest bomb is refused, not only a huge one."""

from __future__ import annotations

import pytest

from mixplan.errors import PlanInvalid
from mixplan.loading.reader import ALIAS_EXPANSION_FACTOR, ALIAS_EXPANSION_FLOOR, load_text


def _bomb(levels: int) -> str:
    """Ten items per level, each level ten aliases of the one before: about 1.1 × 10**levels values."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_a_bomb_ten_times_over_the_floor_is_refused() -> None:
    # About 1.2 million values from 23 written ones: over the floor of 100,000,
    # yet far under what a limit a hundred times too loose would allow.
    with pytest.raises(PlanInvalid) as caught:
        load_text(_bomb(5), "bomb.yaml")
    [finding] = caught.value.findings
    assert finding.rule == "MP108"
    assert finding.message == (
        "the YAML aliases expand to 1,234,573 values from 23 written ones (an alias bomb); use fewer nested aliases"
    )


def test_a_document_just_under_the_floor_loads() -> None:
    # 4 levels: 123,456 values... over the floor; 3 levels: 12,345, well under it.
    data = load_text(_bomb(3), "small.yaml").data
    assert len(data["l3"]) == 10 and data["l3"][0][0][0] == ["x"] * 10


def test_the_limit_constants_are_the_documented_ones() -> None:
    assert (ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR) == (100_000, 50)
