"""The message catalogues, one module per language: message id -> `str.format` template.

Loaded on first use (mixplan.language.say); each is a plain dict, so loading
one costs a module import and nothing else.
"""

from __future__ import annotations

from importlib import import_module


def catalogue(language: str) -> dict[str, str]:
    """The catalogue of `language` (en or fr)."""
    module = import_module(f"{__name__}.{language}")
    messages: dict[str, str] = module.MESSAGES
    return messages


def places(language: str) -> dict[str, str]:
    """How `language` names the places of a plan (keys and list items) to a person."""
    module = import_module(f"{__name__}.{language}")
    words: dict[str, str] = module.PLACES
    return words


def feminine_items(language: str) -> frozenset[str]:
    """The `where.item.*` keys of `language` whose noun is feminine (an ordinal agrees with it)."""
    module = import_module(f"{__name__}.{language}")
    keys: frozenset[str] = getattr(module, "FEMININE_ITEMS", frozenset())
    return keys
