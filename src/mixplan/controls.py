"""Control characters: the one place that decides which are allowed and how others are shown.

A plan, a CSV or a file name may carry characters that a terminal, a
Markdown renderer or a spreadsheet obeys instead of printing (ESC starts a
terminal command, a bare CR rewinds the line, U+202E reverses the text).
The loader refuses them in a plan; every output that echoes text from
outside still passes it through `visible()`, so a value that reached a
message some other way (a file name, a CSV cell) is shown, never obeyed.
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, the C1 controls, and the Unicode
# format characters that reorder or hide text (bidi overrides and isolates,
# line and paragraph separators).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[{_UNSAFE}]")
UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE}\t\n]")


def first_unsafe(text: str, *, allow_line_breaks: bool = True) -> re.Match[str] | None:
    """The first character of `text` that must not reach an output, if any."""
    return (UNSAFE if allow_line_breaks else UNSAFE_IN_LINE).search(text)


def describe(char: str) -> str:
    """A control character named the way a user can find it: U+001B."""
    return f"U+{ord(char):04X}"


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, single_line: bool = False) -> str:
    """`text` with every unsafe character written as an escape (\\x1b), so it is shown, never obeyed."""
    pattern = UNSAFE_IN_LINE if single_line else UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escaped, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_visible(document: str) -> str:
    """A JSON document with every unsafe character as a \\u escape: the same data, never obeyed by a terminal.

    JSON escapes the C0 controls itself, but not DEL, the C1 controls (0x9B
    starts a terminal command as ESC [ does) or the bidi overrides.
    """
    return UNSAFE.sub(_json_escape, document)
