"""How `mixplan ... --help` reads: plain names, each default once, whole summaries, examples.

typer's plain help is written for programmers: it shows types (`PATH
<list[Path]>`), brackets an optional argument whose metavar already has
brackets (`[[PATH]]`), prints a default a help string already names, and cuts
each command's summary to fit one line with "...". mixplan's users are
marketers, so its help pages are laid out here from each parameter's name,
metavar and help string alone, the same way whatever typer version is
installed. A command's docstring may end with an `Examples:` block: its lines
are printed as written, never rewrapped, so they can be copied.

This module loads with every command: it imports nothing but typer.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

import typer
import typer.core

EXAMPLES_HEADING = "Examples:"


def split_examples(help_text: str | None) -> tuple[str, list[str]]:
    """A docstring's description, and the lines of its `Examples:` block (without the heading)."""
    text = inspect.cleandoc(help_text or "").partition("\f")[0]
    lines = text.splitlines()
    if EXAMPLES_HEADING not in lines:
        return text, []
    at = lines.index(EXAMPLES_HEADING)
    examples = textwrap.dedent("\n".join(lines[at + 1 :])).strip("\n").splitlines()
    return "\n".join(lines[:at]).rstrip(), examples


def _is_argument(param: Any) -> bool:
    return param.param_type_name == "argument"


def _value_name(param: Any) -> str:
    return param.metavar or (param.name or "value").upper()


def usage_name(param: Any) -> str:
    """An argument in the usage line: PLAN, PLAN... for one or more, [PLAN] when optional."""
    name = _value_name(param)
    if param.nargs == -1:
        name += "..."
    return name if param.required else f"[{name}]"


def _option_names(param: Any) -> str:
    # Short spellings first, as every Unix tool lists them: "-o, --output".
    names = ", ".join(sorted(param.opts, key=lambda opt: len(opt) - len(opt.lstrip("-"))))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    if not (getattr(param, "is_flag", False) or getattr(param, "count", False)) or param.metavar:
        names += " " + _value_name(param)
    return names


def _shown_default(param: Any) -> str | None:
    """The default worth printing: a value the user would otherwise have to guess."""
    if getattr(param, "show_default", True) is False:
        return None
    default = param.default
    if default is None or isinstance(default, bool) or callable(default) or default in ((), []):
        return None
    return str(default)


def help_row(param: Any) -> tuple[str, str]:
    """A parameter's line in the Arguments or Options table: its names, then its help with the default once."""
    name = _value_name(param) if _is_argument(param) else _option_names(param)
    text = " ".join((getattr(param, "help", None) or "").split())
    default = _shown_default(param)
    if default is not None and "default" not in text.lower():
        sentence_end = "." if text.endswith(".") else ""
        text = f"{text.removesuffix('.')} (default: {default}){sentence_end}".lstrip()
    return name, text


def _write_parameters(command: typer.core.TyperCommand | typer.core.TyperGroup, ctx: Any, formatter: Any) -> None:
    params = [param for param in command.get_params(ctx) if not getattr(param, "hidden", False)]
    for heading, chosen in (
        ("Arguments", [p for p in params if _is_argument(p)]),
        ("Options", [p for p in params if not _is_argument(p)]),
    ):
        if chosen:
            with formatter.section(heading):
                formatter.write_dl([help_row(param) for param in chosen])


def _write_description(command: Any, formatter: Any) -> None:
    description, _ = split_examples(command.help)
    if description:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(description)


def _write_examples(command: Any, formatter: Any) -> None:
    _, examples = split_examples(command.help)
    if examples:
        with formatter.section(EXAMPLES_HEADING.rstrip(":")):
            for line in examples:
                # As written: a rewrapped command line could not be copied.
                formatter.write(f"{' ' * formatter.current_indent}{line}\n" if line.strip() else "\n")


def summary(command: Any) -> str:
    """A command's whole first sentence, for the list of commands: never cut short with "..."."""
    return command.get_short_help_str(limit=1_000_000)


class Command(typer.core.TyperCommand):
    """A command whose help page reads as plain words (see the module's docstring)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [usage_name(param) for param in self.get_params(ctx) if _is_argument(param)]

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        _write_description(self, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _write_parameters(self, ctx, formatter)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        _write_examples(self, formatter)


class Group(typer.core.TyperGroup):
    """A group of commands, listed with their whole summaries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["subcommand_metavar"] = kwargs.get("subcommand_metavar") or "COMMAND [ARGS]"
        super().__init__(*args, **kwargs)

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        _write_description(self, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _write_parameters(self, ctx, formatter)
        rows = [
            (name, summary(command))
            for name, command in ((name, self.get_command(ctx, name)) for name in self.list_commands(ctx))
            if command is not None and not command.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        _write_examples(self, formatter)


class Typer(typer.Typer):
    """typer's app whose commands and groups use the help layout above, unless told otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["cls"] = kwargs.get("cls") or Group
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["cls"] = kwargs.get("cls") or Command
        return super().command(*args, **kwargs)
