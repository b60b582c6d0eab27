"""The `mixplan` command: thin typer commands over the library (see commands.py)."""

from . import vocabulary as _vocabulary  # noqa: F401 - registers `channels` and `metrics`
from .commands import app, main

__all__ = ["app", "main"]
