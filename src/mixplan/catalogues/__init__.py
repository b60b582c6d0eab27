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
