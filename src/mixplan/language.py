"""Which language mixplan speaks to its user, and the message catalogues' lookup.

The language of a message is decided once per piece of work: `--lang` when
given, else the plan's own `plan.language` for messages about that plan, else
the user's locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX reads them),
else English. It is held in a context variable, so a library caller's thread
or task keeps its own and nothing process-wide is switched.

Catalogues are plain dicts of `str.format` templates keyed by a message id
(mixplan/catalogues/en.py and fr.py); tests/test_catalogues.py keeps their
keys and placeholders in step. Rule ids, JSON keys and exit codes never
depend on the language. Nothing heavy is imported here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

LANGUAGES = ("en", "fr")
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("mixplan_language", default=DEFAULT)


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """fr when the user's locale for messages is French, else en.

    The first of LC_ALL, LC_MESSAGES and LANG that is set decides, as for every
    program's messages: LC_ALL=C with LANG=fr_FR means the C locale.
    """
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return DEFAULT


def choose(asked: str | None = None, plan_language: object = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: `asked` (--lang), else the plan's, else the locale's."""
    for candidate in (asked, plan_language):
        if isinstance(candidate, str) and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return locale_language(environ)


def current() -> str:
    """The language messages are written in right now."""
    return _current.get()


@contextmanager
def speaking(language: str) -> Iterator[str]:
    """Messages built inside the block are in `language` (an unknown one means English)."""
    from .errors import MixplanError

    chosen = language if language in LANGUAGES else DEFAULT
    token = _current.set(chosen)
    try:
        yield chosen
    except MixplanError as error:
        if error.language is None:
            error.language = chosen
        raise
    finally:
        _current.reset(token)


def say(key: str, /, **values: Any) -> str:
    """The message `key` in the current language, its placeholders filled with `values`.

    A key missing from the French catalogue falls back to English rather than
    failing in front of the user; the catalogue test makes that a test failure.
    """
    from .catalogues import catalogue

    template = catalogue(current()).get(key)
    if template is None:
        template = catalogue(DEFAULT)[key]
    return template.format(**values)


def plural(count: int, key: str, /, **values: Any) -> str:
    """`key.one` or `key.many` filled with `count`: French counts 0 and 1 as one, English only 1."""
    one = count in (0, 1) if current() == "fr" else count == 1
    return say(f"{key}.{'one' if one else 'many'}", count=count, **values)


def ordinal(number: int, *, feminine: bool = False) -> str:
    """1st 2nd 3rd 4th ... 11th 12th 13th ... 21st in English; 1er (1re for a feminine noun) 2e 3e in French."""
    if current() == "fr":
        if number == 1:
            return "1re" if feminine else "1er"
        return f"{number}e"
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def grouped(number: Any) -> str:
    """A number shown to a reader, thousands grouped: 12,345.5 in English, 12 345,5 in French.

    Only for figures read, never for a value to write back into the plan: YAML wants 12345.5.
    """
    text = f"{number:,}"
    if current() == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text
