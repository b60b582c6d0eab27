"""Where the built-in templates, label catalogues and starter plans live."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache
def templates_dir() -> Path:
    """Inside the installed wheel, or the repository's top-level `templates/`."""
    packaged = resources.files("mixplan") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    # A source checkout or an editable install: the wheel's copy is not there.
    return Path(__file__).resolve().parents[2] / "templates"
