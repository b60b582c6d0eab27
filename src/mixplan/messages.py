"""Messages for the traps a person falls into when writing a plan by hand.

Each message is built here, by one function, from plain values (a line of
the file, a word, an id), so that the whole set can move into the English
and French catalogues in one step. The code that detects a trap decides
*what* is wrong; the words are only here. Nothing heavy is imported.
"""

from __future__ import annotations

from collections.abc import Sequence

# --- quoting -------------------------------------------------------------------------


def quoted(text: str) -> str:
    """`text` as YAML that reads back as exactly this text: double quotes, or single ones when simpler."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- YAML syntax errors (MP100), rewritten -----------------------------------------------


def colon_in_text(fixed_line: str | None, text: str) -> str:
    fix = f": {fixed_line}" if fixed_line else f": {quoted(text)}"
    return (
        "this text contains ': ' (a colon followed by a space), which YAML reads as the start of a new key: "
        f"put the whole text in double quotes{fix}"
    )


def apostrophe_in_single_quotes(fixed_line: str, doubled_line: str) -> str:
    return (
        "the apostrophe inside this text ends the single quotes around it: "
        f"put the text in double quotes ({fixed_line}) or write the apostrophe twice ({doubled_line})"
    )


def missing_space_after_colon(key: str, written: str, fixed: str) -> str:
    return (
        f"'{written}' has no space after the colon, so YAML reads it as one piece of text, not the key '{key}': "
        f"add a space after the colon: {fixed}"
    )


def _level(name: str, line: int, spaces: int) -> str:
    return f"'{name}' (line {line}, {_plural(spaces, 'space')})"


def indented_deeper(name: str, spaces: int, sibling: str, sibling_line: int, sibling_spaces: int) -> str:
    extra = spaces - sibling_spaces
    return (
        f"'{name}' is indented {_plural(extra, 'space')} more than {_level(sibling, sibling_line, sibling_spaces)} "
        f"above it: keys of one mapping start in the same column, so remove {_plural(extra, 'space')} "
        f"before '{name}'"
    )


def indented_between(name: str, spaces: int, levels: Sequence[tuple[str, int, int]]) -> str:
    """`levels`: (name, line, spaces) of the keys above it that it could line up with, nearest first."""
    choices = " or with ".join(_level(*level) for level in levels)
    return f"'{name}' starts after {_plural(spaces, 'space')}, where no key above it starts: line it up with {choices}"


def indented_like_list_item(name: str, spaces: int, dash_line: int, item_key: str | None, item_spaces: int) -> str:
    keep = (
        f"indent it like '{item_key}' ({_plural(item_spaces, 'space')})"
        if item_key
        else f"indent it by {_plural(item_spaces, 'space')}"
    )
    return (
        f"'{name}' starts after {_plural(spaces, 'space')}, in the column of the '-' of line {dash_line}, "
        f"where YAML expects a new list item: to add it to that item, {keep}; to start a new item, write '- ' before it"
    )


def tab_in_indentation() -> str:
    return "indent with spaces, YAML does not allow tabs"


# --- text that YAML silently changed (MP113, MP114) ----------------------------------------


def text_cut_by_comment(kept: str, comment: str, fixed_line: str) -> str:
    return (
        f"the text stops at '#': YAML reads '#{comment}' as a comment, so the text is only '{kept}': "
        f"quote it to keep '#{comment}': {fixed_line}"
    )


def list_reads_as_sentence(item: str, word: str, items: int, as_one_text: str) -> str:
    return (
        f"the list item '{item}' starts with '{word}', as if these {items} items were one sentence cut at its "
        f"commas: if it is one text, put it in quotes ({as_one_text}); if it is a list, remove '{word}'"
    )


# --- numbers written the way people write them -------------------------------------------------


def percentage_as_number(shown: str, percent: str, fraction: str) -> str:
    return (
        f"{shown} is not a number: write {fraction} for {percent} % "
        "(rates and shares are written as a fraction of 1, without the % sign)"
    )


def amount_as_plain_number(shown: str, plain: str, other: str | None = None) -> str:
    alternative = f" (or {other}, if the separator marks decimals)" if other else ""
    return (
        f"{shown} is not a number: write {plain}{alternative}: a plain number, without spaces, "
        "thousands separators or currency sign, and with a dot before any decimals"
    )


# --- vocabularies: channels and metrics ------------------------------------------------------

VOCABULARY_COMMANDS = {"channel": "mixplan channels", "metric": "mixplan metrics"}

# What tells apart the ids a synonym may mean, when it means several.
_CHANNEL_GLOSSES = {
    "social_ads": "paid ads on social networks",
    "social": "your own posts, unpaid",
    "display": "bought ad space",
    "sea": "paid search ads",
    "seo": "search ranking, unpaid",
    "price_promotion": "a price cut",
    "coupon": "a discount code or voucher",
}


def _meant(kind: str, ids: Sequence[str]) -> str:
    glosses = _CHANNEL_GLOSSES if kind == "channel" else {}
    shown = [f"'{i}' ({glosses[i]})" if len(ids) > 1 and i in glosses else f"'{i}'" for i in ids]
    return " or ".join(shown)


def unknown_vocabulary_word(kind: str, shown: str, meant: Sequence[str]) -> str:
    """`kind`: channel or metric; `meant`: the ids the word may stand for, best first (may be empty)."""
    command = VOCABULARY_COMMANDS[kind]
    suggestion = f" (did you mean {_meant(kind, meant)}?)" if meant else ""
    return f"{shown} is not a {kind} name{suggestion}; run `{command}` to see them all"


def unknown_language(language: str, languages: Sequence[str]) -> str:
    return f"unknown language '{language}': use {' or '.join(languages)}"


def unknown_output_format(written: str, formats: Sequence[str]) -> str:
    return f"unknown format '{written}': use {' or '.join(formats)}"
