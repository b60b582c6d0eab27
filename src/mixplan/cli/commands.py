"""The `mixplan` command: a thin layer over `mixplan.api`.

Start-up is most of what `mixplan validate` costs, so this module imports
only typer at the top; each command imports the stages it needs.

No `from __future__ import annotations` here nor in cli/vocabulary.py: typer
reads every command's parameters on each start, `--help` included, and
string annotations would be compiled and evaluated one by one (about 15 % of
`mixplan --help`); written as objects they are built once, from cached bytecode.
"""

import functools
import gc
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import __version__
from ..controls import visible
from ..errors import EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, MixplanError, Stopped
from .completion import CompletingGroup
from .helptext import Typer

if TYPE_CHECKING:  # imported by the commands themselves, when they run
    from ..plan.model import Plan
    from ..workflows.batch import Job

app = Typer(
    name="mixplan",
    cls=CompletingGroup,
    no_args_is_help=True,
    # Tab completion is set up by CompletingGroup, which honours the shell the user names.
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich-formatted help costs ~40 ms of imports on every `--help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = {"on": bool(os.environ.get("MIXPLAN_DEBUG"))}


# Every message may echo a file name, a key or a CSV cell: shown, never obeyed by the terminal.
def _err(message: str) -> None:
    sys.stderr.write(visible(message.rstrip("\n")) + "\n")


def _out(message: str) -> None:
    sys.stdout.write(visible(message.rstrip("\n")) + "\n")


def _stop_writing() -> None:
    """The reader of standard output is gone: stop quietly, as Unix tools do.

    Python flushes standard output once more on exit and would complain about
    the closed pipe; pointed at the null device, there is nothing to complain of.
    """
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    finally:
        os.close(null)


def reported(command):
    """Run a command body, turning every failure into a message and an exit code."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from ..language import choose, speaking

        # Until a command knows its plan or its --lang, it speaks the user's locale.
        with speaking(choose(None, None, os.environ)):
            return _run_reported(command, args, kwargs)

    return run


def _run_reported(command, args, kwargs):
    """The command's result, or its failure as a message and an exit code, in the language spoken."""
    from ..language import say

    try:
        return command(*args, **kwargs)
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except MixplanError as error:
        _err(f"mixplan: {error.message}")
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        _err(f"mixplan: {say('cli.interrupted')}")
        raise typer.Exit(130) from None
    except Stopped as stop:
        import signal

        _err(f"mixplan: {say('cli.stopped', signal=signal.Signals(stop.signal_number).name)}")
        # What a shell reports for a process ended by that signal.
        raise typer.Exit(128 + stop.signal_number) from None
    except BrokenPipeError:
        _stop_writing()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as error:  # a bug: say so, and how to report it
        if _debug["on"]:
            import traceback

            traceback.print_exc()
        debug = "" if _debug["on"] else say("cli.internal_error_debug")
        internal = say("cli.internal_error", error=f"{type(error).__name__}: {error}", debug=debug)
        _err(f"mixplan: {internal}")
        raise typer.Exit(EXIT_INTERNAL) from None


def _command_group(name: str, help: str) -> typer.Typer:  # noqa: A002 - typer's word
    """A `mixplan NAME ...` group of commands, with the same help conventions as the main app."""
    group = Typer(
        help=help, no_args_is_help=True, rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]}
    )
    app.add_typer(group, name=name)
    return group


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
    # Answered by CompletingGroup before the command line is parsed; declared here to be listed in the help.
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            expose_value=False,
            help="Set up Tab completion of commands, options and files for bash, zsh, fish or powershell "
            "(default: the shell in $SHELL).",
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            expose_value=False,
            help="Print the completion script for that shell, to install it yourself.",
        ),
    ] = False,
) -> None:
    """Check a marketing plan written in YAML and render it as a client-ready action plan.

    Examples:
      mixplan init plan.yaml                    # a starter plan to fill in
      mixplan validate plan.yaml                # every problem, by line and column
      mixplan render plan.yaml -o plan.html     # the client's deliverable
      mixplan --install-completion              # Tab completes commands and files
    """
    if debug:
        _debug["on"] = True


@app.command()
@reported
def init(
    path: Annotated[Path, typer.Argument(metavar="PLAN", help="Where to write the starter plan.")] = Path("plan.yaml"),
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            metavar="LANG",
            help="Language of the comments and sample text: en or fr (default: French when your locale is, "
            "else English).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a commented starter plan to fill in.

    Every field is explained by a comment. The mixplan.schema.json written
    beside it lets editors complete and check the keys as you type.

    Examples:
      mixplan init                           # plan.yaml, in your language
      mixplan init plans/spring.yaml -l fr   # a French plan in the plans folder
      mixplan init plan.yaml --force         # start again from scratch
    """
    from ..outputs.starter import init_plan
    from ..plan.schema import SCHEMA_FILE_NAME

    language = lang if lang is not None else locale_language(os.environ)
    written = init_plan(path, language=language, force=force)
    other = "en" if language == "fr" else "fr"
    from ..language import say, speaking

    # Said in the language of the plan written.
    with speaking(language):
        # Chosen from the locale, the language may surprise: say how to get the other one.
        switch = (
            "" if lang is not None else say("cli.init.switch", other=other, other_name=say(f"cli.language.{other}"))
        )
        _out(say("cli.init.written", language_name=say(f"cli.language.{language}"), path=written) + switch)
        _out(say("cli.init.next", path=written))
        _out(say("cli.init.schema", schema=SCHEMA_FILE_NAME))


def locale_language(environ: Mapping[str, str]) -> str:
    """fr when the user's locale for messages is French, else en (mixplan.language decides)."""
    from ..language import locale_language as from_locale

    return from_locale(environ)


# Set by main(), the console entry point: the process is mixplan's alone and ends with the command.
_own_process = {"on": False}


def _one_shot() -> None:
    """For a command that exits when done: no cycle collection until then.

    The plan's millions of objects hold no cycles; collecting would only
    rescan them (~10 % of rendering 10,000 means), and exit frees them all.
    Only in mixplan's own process (main()): a program that runs a command
    through `app` keeps its collector. Not for a command that keeps running.
    """
    if _own_process["on"]:
        gc.disable()


def _size_limit() -> int | None:
    """The largest plan file a command reads: $MIXPLAN_MAX_BYTES as it is when the command runs."""
    from ..loading.limits import size_limit_setting

    return size_limit_setting()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(report) -> str:
    """The line of a valid plan, in the current language (mixplan.language)."""
    from ..language import plural, say
    from ..present.amounts import said_amount

    plan = report.plan
    warnings = len(report.warnings)
    return say(
        "validate.ok",
        file=report.file,
        title=plan.plan.title,
        means=plural(len(plan.means), "validate.means"),
        objectives=plural(len(plan.objectives), "validate.objectives"),
        budget=said_amount(plan.budget.total, plan.plan.currency),
        warnings=say("validate.ok_warnings", warnings=plural(warnings, "findings.warnings")) if warnings else "",
    )


def _language_asked(lang: str | None) -> str | None:
    """The language given to --lang, checked; None when not given."""
    from ..language import LANGUAGES, say

    if lang is None:
        return None
    if lang.lower() not in LANGUAGES:
        raise MixplanError(say("cli.unknown_language", language=lang, choices=", ".join(LANGUAGES)))
    return lang.lower()


def _rule_ids(values: list[str]) -> list[str]:
    """Rule ids from repeated and comma-separated --ignore values, checked."""
    from ..checks.rules import unknown_rule_message

    ids = [part.strip().upper() for value in values for part in value.split(",") if part.strip()]
    for rule_id in ids:
        problem = unknown_rule_message(rule_id)
        if problem:
            from ..language import say

            raise MixplanError(say("cli.ignore_problem", rule=rule_id, problem=problem))
    return ids


def _colour_wanted() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


@app.command()
@reported
def validate(
    paths: Annotated[list[Path], typer.Argument(metavar="PLAN", help="One or more plan files to check.")],
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="How to print findings: text, json or github.")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="RULE",
            help="Rule id not to report (`mixplan rules` lists them); repeat or separate with commas.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing for a plan with no finding.")] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            metavar="LANG",
            help="Language of the messages: en or fr (default: each plan's language, else your locale's).",
        ),
    ] = None,
) -> None:
    """Check plan files and report every problem at its line and column.

    Checks structure, references between sections, dates, budget and
    objectives. Exit 0 when every plan is valid (warnings allowed), 1 when one
    has errors (or warnings, with --strict), 2 when a file cannot be read.
    `mixplan rules` lists the checks.

    Examples:
      mixplan validate plan.yaml
      mixplan validate --strict plans/*.yaml          # warnings fail too
      mixplan validate --format github plans/*.yaml   # notes on a pull request
      mixplan validate --lang fr plan.yaml            # the messages in French
    """
    from .. import api, language
    from ..checks.ignore import unused
    from ..outputs.findings import FINDINGS_FORMATS, FileResult, github_lines, json_text, print_coloured, text_lines
    from ..rule_ids import LINT_IGNORE_UNUSED

    output_format = output_format.lower()
    if output_format not in FINDINGS_FORMATS:
        from ..language import say

        raise MixplanError(say("cli.unknown_format", format=output_format, choices=", ".join(FINDINGS_FORMATS)))
    ignored = _rule_ids(ignore or [])
    asked = _language_asked(lang)
    locale = language.locale_language(os.environ)

    _one_shot()
    limit = _size_limit()
    worst = EXIT_OK
    results: list[FileResult] = []
    fired: set[str] = set()
    for path in paths:
        try:
            report = api.validate(path, ignore=ignored, max_bytes=limit, lang=asked, default_lang=locale)
        except MixplanError as error:
            results.append(FileResult(str(path), unreadable=error.message, language=asked or locale))
            worst = max(worst, error.exit_code)
            continue
        fired |= report.fired
        failed = bool(report.errors) or report.plan is None or (strict and bool(report.warnings))
        if failed:
            worst = max(worst, EXIT_INVALID)
        spoken = report.language
        with language.speaking(spoken):
            summary = _summary(report) if report.ok else None
        results.append(FileResult(report.file, report.findings, summary=summary, language=spoken))

    idle = unused(ignored, fired)
    for rule_id in idle:
        _err(f"mixplan: warning: --ignore {rule_id} matched nothing in the files checked ({LINT_IGNORE_UNUSED})")
    if idle and strict:
        worst = max(worst, EXIT_INVALID)

    for result in results:
        if result.unreadable is not None and output_format == "text":
            _err(f"mixplan: {result.unreadable}")
    if output_format == "json":
        _out(json_text(results))
    elif output_format == "github":
        for line in github_lines(results):
            _out(line)
    else:
        lines = text_lines(results, quiet=quiet)
        if lines and _colour_wanted():
            print_coloured(lines)
        else:
            for line in lines:
                _out(line)
    raise typer.Exit(worst)


@app.command()
@reported
def rules(
    output_format: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", help="How to print the list: text, md (a Markdown table) or json."),
    ] = "text",
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            metavar="LANG",
            help="Language of what each rule finds and how to fix it: en or fr (default: your locale's).",
        ),
    ] = None,
) -> None:
    """List every check of `validate`: id, name, severity and what it finds.

    Examples:
      mixplan rules
      mixplan rules --format md > rules.md      # a page for the team's wiki
      mixplan rules --lang fr                   # in French
    """
    from ..language import locale_language
    from ..outputs.findings import rules_text

    output_format = output_format.lower()
    if output_format not in ("text", "md", "json"):
        from ..language import say
        from ..messages import one_of

        raise MixplanError(say("cli.unknown_format", format=output_format, choices=one_of(("text", "md", "json"))))
    spoken = _language_asked(lang) or locale_language(os.environ)
    sys.stdout.write(rules_text(output_format, spoken))


@app.command()
@reported
def render(
    paths: Annotated[list[Path], typer.Argument(metavar="PLAN", help="One or more plan files.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write, in the format of its suffix (.md, .html, .pdf), or an existing folder; "
            "without it, the deliverable goes to standard output.",
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            "-d",
            metavar="DIR",
            help="Folder for the deliverables, created if missing: NAME.yaml becomes DIR/NAME.html, or the --format "
            "you choose.",
        ),
    ] = None,
    format: Annotated[  # noqa: A002 - the option's name
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="Output format: md, html or pdf (default: from -o's suffix, else md; html into a folder).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", "-l", metavar="LANG", help="Language of the deliverable: en or fr (default: the plan's language)."
        ),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option(
            "--theme",
            metavar="NAME",
            help="Look of the HTML and PDF: classic (the default), modern, ink, or a theme of your --templates.",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="Your own templates (see `mixplan templates export`); files it lacks come from the built-in ones.",
        ),
    ] = None,
    theme_vars: Annotated[
        Path | None,
        typer.Option(
            "--theme-vars",
            metavar="FILE",
            help="A YAML file of your colours over the theme (primary, accent, text, muted, background, band, rule, "
            "on_primary), each a hex colour such as '#1f4e79'.",
        ),
    ] = None,
    credit: Annotated[
        bool, typer.Option("--credit/--no-credit", help='Say "Made with mixplan" at the end (default: yes).')
    ] = True,
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace existing files in the output folder.")] = False,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Render again on every save of the plan, until Ctrl-C; needs -o.")
    ] = False,
) -> None:
    """Render valid plans as Markdown, self-contained HTML or PDF.

    One plan: -o plan.html (or .md, .pdf), or standard output. Several plans:
    --output-dir DIR (or -o DIR) writes DIR/NAME.html for each NAME.yaml, or
    the --format you choose. PDF needs Chromium or Google Chrome installed.

    Examples:
      mixplan render plan.yaml -o plan.html         # one self-contained HTML file
      mixplan render plan.yaml -o plan.pdf --theme ink
      mixplan render plans/*.yaml -d out/           # out/NAME.html for each plan
    """
    from .. import api
    from ..workflows.batch import ensure_folder, plan_jobs

    jobs = plan_jobs(paths, output=output, output_dir=output_dir, format=format, force=force)
    options: dict[str, Any] = {"language": lang, "theme": theme, "templates": templates, "credit": credit}
    # The command keeps compiled templates for its next run; the library only when asked.
    options["cache_templates"] = True
    if theme_vars is not None:
        from ..outputs.theme_vars import load_theme_vars

        # Read and checked once, before any plan: a bad file stops the run with one message.
        options["theme_vars"] = load_theme_vars(theme_vars)
    if watch:
        if len(jobs) != 1 or jobs[0].output is None:
            from ..language import say

            raise MixplanError(say("cli.watch_one"))
        from ..workflows.watch import watch_render

        job = jobs[0]

        def render_once(plan):
            return api.render_pdf(plan, **options) if job.format == "pdf" else api.render(plan, job.format, **options)

        target: Path = job.output  # type: ignore[assignment]  # checked above: one plan with an output
        raise typer.Exit(
            watch_render(
                job.plan,
                target,
                render_once,
                folders=[templates] if templates else [],
                max_bytes=_size_limit(),
                language=options.get("language"),
            )
        )
    _one_shot()
    if output_dir is not None:
        ensure_folder(output_dir)
    worst = EXIT_OK
    for number, job in enumerate(jobs):
        if number:
            # A template's macros keep its rendering context, which holds the plan
            # and its view, in a reference cycle; with the collector off (see
            # _one_shot), a batch would otherwise keep every plan it rendered.
            gc.collect()
        worst = max(worst, _render_job(job, options))
    raise typer.Exit(worst)


def _render_job(job: "Job", options: dict) -> int:
    """Validate and render one plan of `mixplan render`; its exit code."""
    from .. import api
    from ..outputs.write import write_bytes

    try:
        plan = _require_valid(job.plan, "cli.refused.render", lang=options.get("language"))
    except typer.Exit as refused:
        return refused.exit_code
    except MixplanError as error:  # one unreadable file does not stop the batch
        _err(f"mixplan: {error.message}")
        return error.exit_code
    if job.format == "pdf":
        assert job.output is not None
        written = write_bytes(job.output, api.render_pdf(plan, **options), overwrite=job.overwrite)
    elif job.output is None:
        from ..outputs.deliverable import render_pieces

        for piece in render_pieces(plan, job.format, **options):
            sys.stdout.write(piece)
        return EXIT_OK
    else:
        written = api.render_to(plan, job.output, job.format, overwrite=job.overwrite, **options)
    from ..language import say, speaking

    with speaking(_spoken(options.get("language"), plan.plan.language)):
        _err(say("cli.wrote", path=written))
    return EXIT_OK


templates_app = _command_group(
    "templates",
    """Copy the built-in templates to customise the deliverable.

    Examples:
      mixplan templates export my-templates/
      mixplan render plan.yaml --templates my-templates/ -o plan.html
    """,
)


@templates_app.command("export")
@reported
def templates_export(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to copy the templates into (created if missing).")
    ],
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace template files already in DIR.")] = False,
) -> None:
    """Copy the built-in HTML and Markdown templates into DIR for editing.

    Then render with `mixplan render plan.yaml --templates DIR`: files you
    delete from DIR fall back to the built-in ones. Templates run in Jinja's
    sandbox; HTML output is escaped.

    Examples:
      mixplan templates export my-templates/
      mixplan templates export my-templates/ --force   # back to the built-ins
      mixplan render plan.yaml --templates my-templates/ -o plan.html
    """
    from ..language import say
    from ..outputs.template_export import export_templates

    written = export_templates(folder, force=force)
    _out(say("templates.wrote", count=len(written), folder=folder))


@app.command()
@reported
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="The file to write (default: standard output)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace the file if it exists.")] = False,
) -> None:
    """Print the JSON Schema of the plan format, for editors' completion and hover help.

    Examples:
      mixplan schema -o mixplan.schema.json --force   # refresh the editors' copy
      mixplan schema > plan-format.json
    """
    from ..outputs.write import write_text
    from ..plan.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    from ..language import say

    _err(say("cli.wrote", path=write_text(output, text, overwrite=force)))


_STATUS_FORMATS = ("text", "json")


def _lang_option(what: str, whose: str = "the plan's") -> Any:
    """The --lang option of a command that speaks: `what` it writes in that language, by default in `whose`."""
    return typer.Option(
        "--lang",
        "-l",
        metavar="LANG",
        help=f"Language of {what}: en or fr (default: {whose} language, else your locale's).",
    )


def _asked_language(lang: str | None) -> str | None:
    """--lang as given, checked: None when not given."""
    from ..language import LANGUAGES, say

    if lang is not None and lang.lower() not in LANGUAGES:
        raise MixplanError(say("cli.unknown_language", language=lang, choices=", ".join(LANGUAGES)))
    return lang


def _spoken(lang: str | None, plan_language: object = None) -> str:
    """The language to speak: --lang, else the plan's, else the locale's."""
    from ..language import choose

    return choose(lang, plan_language, os.environ)


@app.command()
@reported
def status(
    path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file, with its results.")],
    format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="What to print: text for a dashboard, json for scripts.")
    ] = "text",
    lang: Annotated[str | None, _lang_option("the dashboard")] = None,
) -> None:
    """Show planned versus actual: spend, objectives and their status, month by month.

    Reads the plan's results. Plain text without colour when the output is not
    a terminal. The JSON document is the same in every language.

    Examples:
      mixplan status plan.yaml                   # a dashboard in the terminal
      mixplan status plan.yaml --lang fr         # the dashboard in French
      mixplan status plan.yaml --format json     # the same data, for scripts
      mixplan status plan.yaml > status.txt      # plain text, without colour
    """

    format = format.lower()
    if format not in _STATUS_FORMATS:
        from ..language import say
        from ..messages import one_of

        raise MixplanError(say("cli.unknown_format", format=format, choices=one_of(("text", "json"))))
    lang = _asked_language(lang)
    plan = _require_valid(path, "cli.refused.status", lang=lang)
    if format == "json":
        import json

        from ..controls import json_visible
        from ..outputs.status import status_data

        _out(json_visible(json.dumps(status_data(plan), ensure_ascii=False, indent=2)))
        return
    import shutil

    from ..outputs.status import status_text

    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else 120
    sys.stdout.write(status_text(plan, width=width, color=terminal, language=_spoken(lang, plan.plan.language)))


results_app = _command_group(
    "results",
    """Work with the measured figures of a plan (its results section).

    Examples:
      mixplan results import plan.yaml export.csv
      mixplan status plan.yaml                  # then see where the plan stands
    """,
)


@results_app.command("import")
@reported
def results_import(
    path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file to update.")],
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="CSV", help="The CSV export: a header line, then one row per means and day, week or month."
        ),
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Read COLUMN as the results field FIELD, or ignore it with COLUMN=-; once per column.",
        ),
    ] = None,
) -> None:
    """Merge measured figures from a CSV file into the plan's results.

    Columns are named after the results fields (means, month, spend, clicks
    and the other counts). Every row is checked first; on any bad row nothing
    is written (exit 1). Rows of one means and month are added up; a month
    already in the plan is replaced.

    Examples:
      mixplan results import plan.yaml export.csv
      mixplan results import plan.yaml ads.csv --map Campaign=means --map Day=month
      mixplan results import plan.yaml ads.csv --map CTR=-   # skip a column
    """
    from ..workflows.results_import import ImportRejected, import_results, parse_mapping

    try:
        summary = import_results(path, csv_file, parse_mapping(mapping or []), max_bytes=_size_limit())
    except ImportRejected as rejected:
        for problem in rejected.problems:
            _err(problem)
        raise typer.Exit(rejected.exit_code) from None
    from ..language import plural, say, speaking

    with speaking(_spoken(None, summary.language)):
        _err(
            say(
                "cli.import.updated",
                path=summary.path,
                rows=plural(summary.csv_rows, "cli.import.rows"),
                added=plural(summary.added, "cli.import.added"),
                replaced=plural(summary.replaced, "cli.import.replaced"),
            )
        )


def _err_findings(report, *, every: bool = False) -> None:
    """A plan's findings on stderr, as `validate` prints them (the first hundred, then a count), or `every` one."""
    from ..outputs.findings import finding_lines

    for line in [str(f) for f in report.findings] if every else finding_lines(report.file, report.findings):
        _err(line)


def _require_valid(
    path: Path,
    refusal: str,
    *,
    lang: str | None = None,
    exit_code: int = EXIT_INVALID,
    quiet_when_valid: bool = False,
    every_finding: bool = False,
) -> "Plan":
    """The plan in `path`, its warnings on stderr; for a plan with errors, its findings, then `refusal`, and exit.

    `refusal` is the catalogue key of what was not done (`KEY.one` and `KEY.many`,
    with `{count}` errors), said in `lang`, else the plan's language, else the
    locale's. `quiet_when_valid` keeps a valid plan's warnings to itself;
    `every_finding` lifts the cap of a hundred.
    """
    from .. import api
    from ..language import current, plural, speaking

    # A plan that cannot be read, or names no language, is spoken of in the locale's language. The refusal
    # speaks as its findings do: a plan with errors has no model, but its `language:` is read all the same.
    report = api.validate(path, max_bytes=_size_limit(), lang=lang, default_lang=current())
    with speaking(report.language):
        if not quiet_when_valid:
            _err_findings(report, every=every_finding)
        try:
            return report.valid_plan
        except api.PlanRefused:
            if quiet_when_valid:
                _err_findings(report, every=every_finding)
            _err(f"mixplan: {path}: {plural(len(report.errors), refusal)}")
            raise typer.Exit(exit_code) from None


@app.command()
@reported
def export(
    path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file.")],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", "-t", metavar="FORMAT", help="Export format: ics, csv or xlsx (default: from -o's suffix)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The file to write; without it, ics and csv go to standard output."
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", "-l", metavar="LANG", help="Language of the labels: en or fr (default: the plan's language)."
        ),
    ] = None,
) -> None:
    """Export a valid plan as a calendar (ics), a table (csv) or a workbook (xlsx).

    Examples:
      mixplan export plan.yaml -o plan.ics    # the schedule, for the calendar
      mixplan export plan.yaml -o plan.xlsx   # the client's spreadsheet
      mixplan export plan.yaml --to csv       # the action plan as CSV
    """
    from ..language import say, speaking
    from ..outputs.exports import export as export_plan
    from ..outputs.exports import format_for
    from ..outputs.write import same_file, write_bytes

    fmt = format_for(output, to)
    if output is None and fmt == "xlsx":
        raise MixplanError(say("cli.xlsx_needs_file"))
    if output is not None and same_file(output, path):
        raise MixplanError(say("cli.plan_itself", output=output))
    plan = _require_valid(path, "cli.refused.export", lang=lang)
    data = export_plan(plan, fmt, language=lang)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    written = write_bytes(output, data, overwrite=True)
    with speaking(_spoken(lang, plan.plan.language)):
        _err(say("cli.wrote", path=written))


@app.command()
@reported
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier version of the plan.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later version of the plan.")],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="text for a terminal, md for a pull request or changelog, json for scripts.",
        ),
    ] = "text",
    name: Annotated[
        str | None,
        typer.Option(
            "--name", metavar="TEXT", help="Heading to show instead of the two file names (for git's diff driver)."
        ),
    ] = None,
    lang: Annotated[str | None, _lang_option("the text and md formats", "the new plan's")] = None,
) -> None:
    """Show what changed between two versions of a plan, in marketing terms.

    Means added, removed and changed, budget totals by P and channel, moved
    objectives and milestones. Exit 0 when nothing changed (and print nothing),
    1 when the plans differ, 2 on error, including either plan being invalid.

    Examples:
      mixplan diff plan-v1.yaml plan-v2.yaml
      mixplan diff plan-v1.yaml plan-v2.yaml --format md > changes.md
      mixplan diff v1.yaml v2.yaml --format md --lang fr   # for a French client
      mixplan diff old.yaml plan.yaml --name plan.yaml   # as git's diff driver
    """
    from ..views.diff import DIFF_FORMATS, compare, format_diff

    format = format.lower()
    if format not in DIFF_FORMATS:
        from ..language import say
        from ..messages import one_of

        raise MixplanError(say("cli.unknown_diff_format", format=format, choices=one_of(("text", "md", "json"))))
    lang = _asked_language(lang)
    # Exit 1 already means "the plans differ", so an invalid side is an error (2).
    before, after = (
        _require_valid(
            path, "cli.refused.diff", lang=lang, exit_code=EXIT_USAGE, quiet_when_valid=True, every_finding=True
        )
        for path in (old, new)
    )
    language = _spoken(lang, after.plan.language)
    text = format_diff(compare(before, after), format, str(old), str(new), heading=name, language=language)
    if text:
        sys.stdout.write(text)
        raise typer.Exit(EXIT_INVALID)


def main() -> None:
    """Console entry point."""
    _own_process["on"] = True
    try:
        app(prog_name="mixplan")
    except MixplanError as error:  # raised outside a command, e.g. by a callback
        _err(f"mixplan: {error.message}")
        sys.exit(error.exit_code)
    except SystemExit:
        # A short output waits in the buffer until now: the reader may be gone by the time it is flushed.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _stop_writing()
            sys.exit(EXIT_BROKEN_PIPE)
        raise
