"""The agency's colours (`render --theme-vars FILE`), laid over the chosen theme as CSS custom properties.

The file may come from anyone, and its values end up inside the deliverable's
<style>: so only known names are read, and only hex colours are accepted.
Nothing else reaches the stylesheet, so no value can load a URL, add a rule
or close the <style> element.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import MixplanError
from ..language import grouped, say

# Each name a file may set, and the custom property of the stylesheet it sets.
THEME_COLOURS: dict[str, str] = {
    "primary": "accent",  # headings and their rules, the cover's band, table heads in `modern`
    "accent": "highlight",  # objective references (O1), chart group names, the statement's bar, the cover's rule
    "text": "ink",  # body text
    "muted": "muted",  # secondary text: labels, captions, the footer
    "background": "paper",  # the page
    "band": "band",  # tinted panels and table heads in `classic` and `ink`
    "rule": "rule",  # table and box lines
    "on_primary": "on-accent",  # text written on the primary colour (table heads in `modern`)
}
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# A colour file is a few lines; anything much bigger is the wrong file.
MAX_THEME_VARS_BYTES = 64 * 1024


def _closest(name: str) -> str:
    import difflib

    match = difflib.get_close_matches(name, THEME_COLOURS, n=1)
    return say("hint.did_you_mean", word=match[0]) if match else ""


def colour_problem(name: Any, value: Any) -> str | None:
    """What is wrong with one entry of a colour file, in plain words, or None."""
    if not isinstance(name, str) or name not in THEME_COLOURS:
        return say("theme_vars.unknown_name", name=name, hint=_closest(str(name)), names=", ".join(THEME_COLOURS))
    if value is None:
        return say("theme_vars.no_value", name=name)
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value.strip()):
        shown = str(value) if len(str(value)) <= 60 else str(value)[:60] + "..."
        return say("theme_vars.not_hex", name=name, shown=shown)
    return None


def custom_properties(colours: Mapping[Any, Any], source: str = "theme_vars") -> dict[str, str]:
    """Custom property -> colour, from name -> colour; `MixplanError` naming the first bad entry."""
    result: dict[str, str] = {}
    for name, value in colours.items():
        problem = colour_problem(name, value)
        if problem:
            raise MixplanError(say("findings.file_line", file=source, text=problem))
        result[THEME_COLOURS[name]] = value.strip().lower()
    return result


def load_theme_vars(path: str | os.PathLike[str]) -> dict[str, str]:
    """The colours of a theme variable file (YAML), name -> colour, each checked; `MixplanError` if bad."""
    from ..errors import PlanInvalid
    from ..loading.reader import load_text, read_text

    shown = str(path)
    if Path(path).is_dir():
        raise MixplanError(say("theme_vars.folder", path=shown))
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # read_text says why it cannot be read
    if size > MAX_THEME_VARS_BYTES:
        raise MixplanError(say("theme_vars.too_large", path=shown, size=grouped(size)))
    text = read_text(path, max_bytes=MAX_THEME_VARS_BYTES)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise MixplanError(say("theme_vars.empty", path=shown))
    try:
        document = load_text(text, shown)
    except PlanInvalid as invalid:
        first = invalid.findings[0]
        raise MixplanError(f"{first.file}:{first.line}:{first.column}: {first.message}") from None
    if document.problems:
        first = document.problems[0]
        raise MixplanError(f"{first.file}:{first.line}:{first.column}: {first.message}")
    data = document.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MixplanError(f"{shown}:1:1: {say('theme_vars.not_mapping')}")
    result: dict[str, str] = {}
    for name, value in data.items():
        problem = colour_problem(name, value)
        if problem:
            line, column = document.position((name,), key=not isinstance(name, str) or name not in THEME_COLOURS)
            raise MixplanError(f"{shown}:{line}:{column}: {problem}")
        result[name] = value.strip().lower()
    return result


def theme_colours(source: str | os.PathLike[str] | Mapping[str, str] | None) -> dict[str, str]:
    """The colours to lay over the theme, from a file or a mapping (the API's `theme_vars`)."""
    if source is None:
        return {}
    colours = source if isinstance(source, Mapping) else load_theme_vars(source)
    return custom_properties(colours)
