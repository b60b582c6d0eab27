"""Text in the Markdown deliverable's Mermaid timeline is shown, never read as syntax."""

from __future__ import annotations

import pytest

from mixplan.outputs.mermaid import mermaid_text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Launch: phase 1", "Launch#58; phase 1"),  # ':' would end the task's text
        ("a; b", "a#59; b"),
        ("50% off", "50#37; off"),
        ("Plain name", "Plain name"),
        ("", "-"),
    ],
)
def test_characters_mermaid_reads_are_written_as_codes(name: str, shown: str) -> None:
    assert mermaid_text(name) == shown
