"""Messages for the traps a person falls into when writing a plan by hand.

Each message is built here, by one function, from plain values (a line of
the file, a word, an id), so that the whole set can move into the English
and French catalogues in one step. The code that detects a trap decides
*what* is wrong; the words are in the catalogues (mixplan/catalogues), in
the current language (mixplan.language). Nothing heavy is imported.
"""

from __future__ import annotations

from collections.abc import Sequence

from .language import plural, say

# --- quoting -------------------------------------------------------------------------


def quoted(text: str) -> str:
    """`text` as YAML that reads back as exactly this text: double quotes, or single ones when simpler."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _spaces(count: int) -> str:
    return plural(count, "yaml.spaces")


# --- YAML syntax errors (MP100), rewritten -----------------------------------------------


def colon_in_text(fixed_line: str | None, text: str) -> str:
    return say("yaml.colon_in_text", fixed=fixed_line or quoted(text))


def apostrophe_in_single_quotes(fixed_line: str, doubled_line: str) -> str:
    return say("yaml.apostrophe_in_single_quotes", fixed=fixed_line, doubled=doubled_line)


def missing_space_after_colon(key: str, written: str, fixed: str) -> str:
    return say("yaml.missing_space_after_colon", key=key, written=written, fixed=fixed)


def _level(name: str, line: int, spaces: int) -> str:
    return say("yaml.level", name=name, line=line, spaces=_spaces(spaces))


def indented_deeper(name: str, spaces: int, sibling: str, sibling_line: int, sibling_spaces: int) -> str:
    return say(
        "yaml.indented_deeper",
        name=name,
        extra=_spaces(spaces - sibling_spaces),
        level=_level(sibling, sibling_line, sibling_spaces),
    )


def indented_between(name: str, spaces: int, levels: Sequence[tuple[str, int, int]]) -> str:
    """`levels`: (name, line, spaces) of the keys above it that it could line up with, nearest first."""
    choices = say("yaml.or_with").join(_level(*level) for level in levels)
    return say("yaml.indented_between", name=name, spaces=_spaces(spaces), choices=choices)


def indented_like_list_item(name: str, spaces: int, dash_line: int, item_key: str | None, item_spaces: int) -> str:
    keep = (
        say("yaml.indent_like", key=item_key, spaces=_spaces(item_spaces))
        if item_key
        else say("yaml.indent_by", spaces=_spaces(item_spaces))
    )
    return say("yaml.indented_like_list_item", name=name, spaces=_spaces(spaces), dash_line=dash_line, keep=keep)


def tab_in_indentation() -> str:
    return say("yaml.tab")


# --- text that YAML silently changed (MP113, MP114) ----------------------------------------


def text_cut_by_comment(kept: str, comment: str, fixed_line: str) -> str:
    return say("yaml.text_cut", kept=kept, comment=comment, fixed=fixed_line)


def list_reads_as_sentence(item: str, word: str, items: int, as_one_text: str) -> str:
    return say("yaml.list_sentence", item=item, word=word, items=items, as_one_text=as_one_text)


# --- numbers written the way people write them -------------------------------------------------


def percentage_as_number(shown: str, percent: str, fraction: str) -> str:
    return say("number.percentage", shown=shown, percent=percent, fraction=fraction)


def amount_as_plain_number(shown: str, plain: str, other: str | None = None) -> str:
    alternative = say("number.amount_or", other=other) if other else ""
    return say("number.amount", shown=shown, plain=plain, alternative=alternative)


# --- vocabularies: channels and metrics ------------------------------------------------------

VOCABULARY_COMMANDS = {"channel": "mixplan channels", "metric": "mixplan metrics"}

# The channels a synonym may mean, when it means several, each told apart in the catalogues (gloss.<id>).
_GLOSSED_CHANNELS = frozenset(("social_ads", "social", "display", "sea", "seo", "price_promotion", "coupon"))


def _meant(kind: str, ids: Sequence[str]) -> str:
    glossed = _GLOSSED_CHANNELS if kind == "channel" and len(ids) > 1 else frozenset()
    shown = [say("gloss.id", id=i, gloss=say(f"gloss.{i}")) if i in glossed else say("gloss.plain", id=i) for i in ids]
    return say("hint.or").join(shown)


def unknown_vocabulary_word(kind: str, shown: str, meant: Sequence[str]) -> str:
    """`kind`: channel or metric; `meant`: the ids the word may stand for, best first (may be empty)."""
    suggestion = say("hint.did_you_mean_ids", meant=_meant(kind, meant)) if meant else ""
    return say(f"vocabulary.unknown_{kind}", shown=shown, suggestion=suggestion, command=VOCABULARY_COMMANDS[kind])


def unknown_language(language: str, languages: Sequence[str]) -> str:
    return say("cli.unknown_language", language=language, choices=say("cli.or").join(languages))


def unknown_output_format(written: str, formats: Sequence[str]) -> str:
    return say("cli.unknown_format", format=written, choices=say("cli.or").join(formats))


def one_of(choices: Sequence[str]) -> str:
    """`a, b or c` in the current language."""
    return ", ".join(choices[:-1]) + say("cli.or") + choices[-1] if len(choices) > 1 else "".join(choices)
