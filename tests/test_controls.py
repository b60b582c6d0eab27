"""The one rule for control characters that outputs and the loader share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mixplan.controls import describe, first_unsafe, visible


def test_terminal_commands_are_shown_as_escapes() -> None:
    assert visible("a\x1b[2Jb\rc\u202ed") == "a\\x1b[2Jb\\x0dc\\u202ed"


def test_tab_and_newline_stay_unless_the_output_is_one_line() -> None:
    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("a\tb\nc", single_line=True) == "a\\x09b\\x0ac"


def test_first_unsafe_names_the_character() -> None:
    found = first_unsafe("ok\x07bell")
    assert found is not None and found.start() == 2 and describe(found.group()) == "U+0007"
    assert first_unsafe("Épicerie « fine » — 12 €") is None


@given(st.text())
def test_visible_text_holds_no_unsafe_character(text: str) -> None:
    shown = visible(text)
    assert first_unsafe(shown) is None
    assert visible(shown) == shown
