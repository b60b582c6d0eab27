"""`mixplan init`: the commented starter plans, one per language."""

from __future__ import annotations

import os
from pathlib import Path

from . import vocab
from .assets import templates_dir
from .errors import MixplanError
from .write import write_text


def starter_text(language: str = "en") -> str:
    """The starter plan in `language` (fr or en), comments included."""
    if language not in vocab.LANGUAGES:
        raise MixplanError(f"unknown language '{language}': use one of {', '.join(vocab.LANGUAGES)}")
    return (templates_dir() / "init" / f"plan.{language}.yaml").read_text(encoding="utf-8")


def init_plan(path: str | os.PathLike[str] = "plan.yaml", *, language: str = "en", force: bool = False) -> Path:
    """Write a starter plan at `path`; refuses to replace a file unless `force`."""
    return write_text(path, starter_text(language), overwrite=force)
