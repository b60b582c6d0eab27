"""Plan text made inert in Markdown and HTML: escaping, paragraphs, heading anchors."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from markupsafe import Markup, escape

from ..controls import UNSAFE, visible

# --- Markdown escaping ----------------------------------------------------------

# Characters that can start emphasis, code, links, raw HTML or table cells
# anywhere in a line; the rest only matter at the start of a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)", re.MULTILINE)
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=#>])", re.MULTILINE)


# Text that none of the patterns above can touch: most names, ids and numbers.
# One search for it is much cheaper than five substitutions on every value.
# Control characters count too: a bare CR ends a Markdown line as \n does.
_MD_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&\n\t]|" + UNSAFE.pattern + r"|^\s*(?:[-+=#>]|\d+[.)](?:\s|$))")


def md_escape(value: Any) -> Markup:
    """Escape text for any Markdown context, tables included; newlines become <br>, other controls escapes."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if _MD_NEEDS_ESCAPE.search(text) is None:
        return Markup(text.strip(" \t\r\n"))
    return _md_escape_all(text)


def _md_escape_all(text: str) -> Markup:
    # Line breaks are the one control kept (as <br>); any other is written
    # out (\x0d) before the Markdown escaping, which then escapes its backslash.
    text = visible(text.strip(" \t\r\n").replace("\r\n", "\n")).replace("\t", " ")
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\2\\\3", text)
    text = _MD_BLOCK_START.sub(r"\1\\\2", text)
    return Markup(text.replace("\n", "<br>"))


def md_paragraphs(value: Any) -> Markup:
    """Free text as Markdown paragraphs: blank lines separate them."""
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n\n".join(md_escape(part) for part in parts))


def _github_slug(heading: str) -> str:
    # GitHub keeps letters, marks, digits, connector punctuation (_), hyphens and
    # spaces, drops every other character (no-break spaces and dashes included),
    # then turns each space into a hyphen: "Q & A" is "q--a", never collapsed.
    kept = (
        ch
        for ch in heading.strip().lower()
        if ch in "- " or unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) in ("Nd", "Nl", "Pc")
    )
    return "".join(kept).replace(" ", "-")


class HeadingSlugs:
    """The ids GitHub gives a document's headings, in order: a repeated one gets -1, -2..."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, heading: Any) -> str:
        base = slug = _github_slug(str(heading))
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug


def heading_anchor(heading: Any, *before: Any) -> Markup:
    """The id GitHub gives a Markdown heading, after the headings `before` it that could share it (the title)."""
    slugs = HeadingSlugs()
    for earlier in before:
        slugs.slug(earlier)
    return Markup(slugs.slug(heading))


def html_paragraphs(value: Any) -> Markup:
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n".join(f"<p>{escape(part.strip())}</p>".replace("\n", "<br>") for part in parts))
