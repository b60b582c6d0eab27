"""The `mixplan` command: thin typer commands over the library (see commands.py)."""

from .commands import app, main

__all__ = ["app", "main"]
