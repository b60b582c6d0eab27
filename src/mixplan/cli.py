"""The `mixplan` command: a thin layer over `mixplan.api`.

Start-up is most of what `mixplan validate` costs, so this module imports
only typer at the top; each command imports the stages it needs.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, MixplanError

app = typer.Typer(
    name="mixplan",
    help="Check a marketing plan written in YAML and render it as a client-ready action plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich-formatted help costs ~40 ms of imports on every `--help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = {"on": bool(os.environ.get("MIXPLAN_DEBUG"))}


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _out(message: str) -> None:
    sys.stdout.write(message.rstrip("\n") + "\n")


def reported(command):
    """Run a command body, turning every failure into a message and an exit code."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except MixplanError as error:
            _err(f"mixplan: {error.message}")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            _err("mixplan: interrupted")
            raise typer.Exit(130) from None
        except Exception as error:  # a bug: say so, and how to report it
            if _debug["on"]:
                import traceback

                traceback.print_exc()
            _err(
                f"mixplan: internal error ({type(error).__name__}: {error}). This is a bug in mixplan, "
                "not in your plan; please report it with the command you ran"
                + ("" if _debug["on"] else " and the output of the same command with --debug")
                + "."
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return run


def _version(value: bool) -> None:
    if value:
        _out(f"mixplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks of internal errors.")] = False,
) -> None:
    """Check a marketing plan written in YAML and render it as a client-ready action plan."""
    if debug:
        _debug["on"] = True


@app.command()
@reported
def init(
    path: Annotated[Path, typer.Argument(metavar="[PATH]", help="Where to write the plan (default: plan.yaml).")] = Path("plan.yaml"),
    lang: Annotated[str, typer.Option("--lang", "-l", metavar="en|fr", help="Language of the comments and sample text.")] = "en",
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a commented starter plan to fill in."""
    from .scaffold import init_plan

    written = init_plan(path, language=lang, force=force)
    _out(f"wrote {written}: fill it in, then run `mixplan validate {written}`")


def _one_shot() -> None:
    """For a command that exits when done: no cycle collection until then.

    The plan's millions of objects hold no cycles; collecting would only
    rescan them (~10 % of rendering 10,000 means), and exit frees them all.
    Not for a command that keeps running.
    """
    gc.disable()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(report) -> str:
    from .rules import plain_amount

    plan = report.plan
    warnings = len(report.warnings)
    tail = f" ({_count(warnings, 'warning')})" if warnings else ""
    return (
        f"{report.file}: ok, \"{plan.plan.title}\": {len(plan.means)} means, "
        f"{_count(len(plan.objectives), 'objective')}, budget {plain_amount(plan.budget.total, plan.plan.currency)}{tail}"
    )


@app.command()
@reported
def validate(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Plan files to check.")],
) -> None:
    """Check plan files and report every problem at its line and column.

    Checks structure, references between sections, dates, budget and
    objectives. Prints each problem as file:line:column. Exit 0 when every plan is valid
    (warnings allowed), 1 when one has errors, 2 when a file cannot be read.
    """
    from . import api

    _one_shot()
    worst = EXIT_OK
    for path in paths:
        try:
            report = api.validate(path)
        except MixplanError as error:
            _err(f"mixplan: {error.message}")
            worst = max(worst, error.exit_code)
            continue
        for finding in report.findings:
            _out(str(finding))
        if report.ok:
            _out(_summary(report))
        else:
            _out(f"{report.file}: {_count(len(report.errors), 'error')}, {_count(len(report.warnings), 'warning')}")
            worst = max(worst, EXIT_INVALID)
    raise typer.Exit(worst)


_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


@app.command()
@reported
def render(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The plan file.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="File to write; without it, the deliverable goes to standard output.")
    ] = None,
    format: Annotated[  # noqa: A002 - the option's name
        str | None, typer.Option("--format", metavar="md|html", help="Output format; default: from -o's suffix, else md.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", "-l", metavar="fr|en", help="Language of the deliverable; default: plan.language.")
    ] = None,
) -> None:
    """Render a valid plan as Markdown or self-contained HTML."""
    from . import api
    from .write import write_text

    _one_shot()
    if format is None:
        format = _SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else "md"
        if format is None:
            raise MixplanError(f"cannot tell the format from '{output}': name it .md or .html, or pass --format md|html")
    format = format.lower()
    if format not in ("md", "html"):
        raise MixplanError(f"unknown format '{format}': use md or html")
    if output is not None and output.resolve() == path.resolve():
        raise MixplanError(f"{output}: that is the plan itself; choose another output file")

    report = api.validate(path)
    for finding in report.findings:
        _err(str(finding))
    if not report.ok:
        _err(f"mixplan: {path}: not rendered, the plan has {len(report.errors)} error(s)")
        raise typer.Exit(EXIT_INVALID)

    text = api.render(report.plan, format, language=lang)
    if output is None:
        sys.stdout.write(text)
        return
    written = write_text(output, text, overwrite=True)
    _err(f"wrote {written}")


def main() -> None:
    """Console entry point."""
    try:
        app(prog_name="mixplan")
    except MixplanError as error:  # raised outside a command, e.g. by a callback
        _err(f"mixplan: {error.message}")
        sys.exit(error.exit_code)
