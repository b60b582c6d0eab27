"""The library API: the pipeline stages joined up, usable without the CLI.

load (YAML with positions) -> model (pydantic) -> check (rules)
    -> mix (4P view) -> render (templates) -> write
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from . import language
from .checks.ignore import ignorable, unused
from .checks.rules import check
from .checks.structure import findings_from_validation_error
from .checks.text_traps import text_trap_findings
from .errors import Finding, MixplanError, PlanInvalid
from .loading.limits import DEFAULT_MAX_PLAN_BYTES
from .loading.reader import Document, collector_paused, load, load_text, read_text
from .plan.model import Plan
from .rule_ids import LINT_IGNORE_UNUSED, LOGO_UNUSABLE

PathLike = str | os.PathLike[str]


@dataclass
class Report:
    """What `validate` found in one plan file."""

    file: str
    plan: Plan | None
    findings: list[Finding] = field(default_factory=list)
    # Rules that found something, silenced ones included: tells an unused `--ignore` apart.
    fired: frozenset[str] = frozenset()
    # The language its messages are written in (mixplan.language).
    language: str = "en"

    @classmethod
    def unreadable_plan(cls, file: str, findings: list[Finding]) -> Report:
        """A plan that could not be modelled: only its findings, every one of which fired."""
        return cls(file, None, findings, frozenset(f.rule for f in findings))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when the plan has no error (warnings allowed)."""
        return self.plan is not None and not self.errors

    @property
    def valid_plan(self) -> Plan:
        """The plan of a report that is `ok`; for any other, `PlanRefused` with this report."""
        if self.plan is None or self.errors:
            raise PlanRefused(self)
        return self.plan


class PlanRefused(PlanInvalid):
    """A plan with errors was refused; `report` holds every finding, warnings included, as `validate` gave them."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.findings)
        self.report = report


def build(document: Document) -> Plan:
    """Model a loaded document; raises `PlanInvalid` with every located error."""
    if document.problems:
        raise PlanInvalid(document.problems)
    try:
        with collector_paused():
            return Plan.model_validate(document.data).from_folder(document.folder)
    except ValidationError as error:
        raise PlanInvalid(findings_from_validation_error(error, document)) from None


def load_plan(path: PathLike, *, max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES) -> Plan:
    """Read and model a plan file. Raises `UnreadableFile` or `PlanInvalid`.

    Coherence rules are not applied; use `validate` for those. A file over
    `max_bytes` (10 MB by default; None for no limit) is refused unread.
    """
    return build(load(path, max_bytes=max_bytes))


# `language: fr` as a plan writes it (YAML or JSON), for a file too broken to be read into data.
_WRITTEN_LANGUAGE = re.compile(r"""^[ \t]*["']?language["']?[ \t]*:[ \t]*["']?([A-Za-z]{2})\b""", re.MULTILINE)


def _plan_language(data: object) -> str | None:
    """The `plan.language` the loaded data holds, when it is one mixplan speaks, whatever else is wrong."""
    header = data.get("plan") if isinstance(data, dict) else None
    written = header.get("language") if isinstance(header, dict) else None
    return written.lower() if isinstance(written, str) and written.lower() in language.LANGUAGES else None


def _written_language(text: str) -> str | None:
    found = _WRITTEN_LANGUAGE.search(text)
    return found.group(1).lower() if found and found.group(1).lower() in language.LANGUAGES else None


def written_language(path: PathLike, max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES) -> str | None:
    """The language a plan file names (`language: fr`), found in its text without loading it; None if it names none."""
    try:
        return _written_language(read_text(path, max_bytes=max_bytes))
    except MixplanError:
        return None


def _spoken(lang: str | None, plan_language: str | None, default_lang: str) -> str:
    return language.choose(lang, plan_language or default_lang, environ={})


def validate_document(
    document: Document, *, ignore: Iterable[str] = (), lang: str | None = None, default_lang: str = "en"
) -> Report:
    """Model and check a loaded document, leaving out the rules in `ignore` and in the plan's `lint.ignore`.

    Findings are written in `lang`, else in the plan's own `plan.language`, else in `default_lang`.
    """
    with language.speaking(_spoken(lang, _plan_language(document.data), default_lang)) as spoken:
        report = _checked(document, ignore)
    report.language = spoken
    return report


def _checked(document: Document, ignore: Iterable[str]) -> Report:
    try:
        plan = build(document)
    except PlanInvalid as invalid:
        return Report.unreadable_plan(document.name, invalid.findings)
    with collector_paused():
        issues = check(plan)
    traps = text_trap_findings(document)
    fired = frozenset(issue.rule for issue in issues) | {trap.rule for trap in traps}
    silenced = set(ignore)
    findings = []
    if plan.lint is not None:
        listed = [(index, rule_id) for index, rule_id in enumerate(plan.lint.ignore) if ignorable(rule_id)]
        silenced.update(rule_id for _, rule_id in listed)  # any other is reported by MP110
        idle = set(unused((rule_id for _, rule_id in listed), fired))
        for index, rule_id in listed:
            if rule_id in idle:
                findings.append(
                    document.finding(
                        ("lint", "ignore", index),
                        LINT_IGNORE_UNUSED,
                        "warning",
                        language.say(f"{LINT_IGNORE_UNUSED}.unused", rule=rule_id),
                    )
                )
    findings += _logo_findings(plan, document)
    findings += traps
    findings = [f for f in findings if f.rule not in silenced]
    findings += [
        document.finding(issue.path, issue.rule, issue.severity, issue.message, key=issue.at_key)
        for issue in issues
        if issue.rule not in silenced
    ]
    return Report(document.name, plan, sorted(findings), fired)


def _logo_findings(plan: Plan, document: Document) -> list[Finding]:
    """MP112 at plan.logo when the logo it names cannot be embedded."""
    from .loading.logo import LogoProblem, read_logo

    written = plan.plan.logo
    if written is None:
        return []
    if document.folder is None:
        message = language.say(f"{LOGO_UNUSABLE}.no_folder", written=written)
    else:
        try:
            read_logo(document.folder, written)
            return []
        except LogoProblem as problem:
            message = problem.message
    return [document.finding(("plan", "logo"), LOGO_UNUSABLE, "error", message)]


def validate(
    source: PathLike | None = None,
    *,
    text: str | None = None,
    name: str | None = None,
    ignore: Iterable[str] = (),
    folder: PathLike | None = None,
    max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES,
    lang: str | None = None,
    default_lang: str = "en",
) -> Report:
    """Load, model and check a plan file (or YAML `text`), returning every finding.

    Rules in `ignore` (ids such as "MP301") are left out, as are those the
    plan lists under `lint.ignore`. Raises `UnreadableFile` only when the
    file itself cannot be read (or is over `max_bytes`, 10 MB by default,
    None for no limit); every problem inside the plan is a finding.
    A plan given as `text` has no folder to find `plan.logo` in: pass
    `folder=` (what plan.logo is relative to), or its logo is an MP112 error.

    Messages are written in `lang` ("en" or "fr") when given, else in the
    plan's own `plan.language` (read even from a plan with errors), else in
    `default_lang`. The library never reads the locale: a program that wants
    the user's passes `default_lang=mixplan.language.locale_language()`, as
    the `mixplan` command does. Rule ids and severities are the same in every
    language.
    """
    if text is not None:
        label = name or (str(source) if source is not None else "<plan>")
        where = Path(folder) if folder is not None else None
    else:
        if source is None:
            raise TypeError("validate() needs a path or text=")
        label = str(source)
        where = Path(source).parent
        with language.speaking(_spoken(lang, None, default_lang)):
            text = read_text(source, max_bytes=max_bytes)
    # The language must be known before loading, whose findings are worded as they are found.
    guessed = _spoken(lang, _written_language(text), default_lang)
    try:
        with language.speaking(guessed):
            document = load_text(text, label)
    except PlanInvalid as invalid:
        unread = Report.unreadable_plan(label, invalid.findings)
        unread.language = guessed
        return unread
    spoken = _spoken(lang, _plan_language(document.data), default_lang)
    if spoken != guessed and document.problems:
        with language.speaking(spoken):
            document = load_text(text, label)  # the guess from the text was wrong: word the problems again
    document.folder = where
    return validate_document(document, ignore=ignore, lang=spoken)


def require_valid(
    source: PathLike | Document | None = None,
    *,
    text: str | None = None,
    name: str | None = None,
    ignore: Iterable[str] = (),
    max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES,
) -> Plan:
    """The plan in a file, a loaded `Document` or YAML `text`, when it has no error (warnings allowed).

    Raises `PlanRefused`, carrying the `Report`, when it has errors, and
    `UnreadableFile` when the file cannot be read. Every command that needs a
    valid plan decides through here (or `Report.valid_plan`, for one that also
    shows the warnings of a valid plan).
    """
    if isinstance(source, Document):
        return validate_document(source, ignore=ignore).valid_plan
    return validate(source, text=text, name=name, ignore=ignore, max_bytes=max_bytes).valid_plan


def render(
    plan: Plan,
    format: str = "md",  # noqa: A002 - public name
    *,
    language: str | None = None,
    theme: str | None = None,
    templates: PathLike | None = None,
    today: date | None = None,
    credit: bool = True,
    theme_vars: PathLike | Mapping[str, str] | None = None,
    folder: PathLike | None = None,
    cache_templates: bool = False,
) -> str:
    """Render a plan as Markdown (`md`) or self-contained HTML (`html`).

    `theme` names a stylesheet under html/themes/ (HTML only); `templates` is a
    folder of templates used in front of the built-in ones; `today` pins the
    timeline's "today" line, and the cover's date when the plan has no
    `plan.date`. `credit=False` leaves out "Made with mixplan"; `theme_vars`
    (a YAML file, or a mapping such as {"primary": "#0b5394"}) lays the
    agency's colours over the theme. The HTML embeds `plan.logo`, found in
    `folder`, by default the folder of the file the plan was loaded from: a
    plan built from text has none, and rendering its logo raises MixplanError.
    With `cache_templates`, compiled templates are kept for the next run in
    $MIXPLAN_CACHE_DIR (else the user's cache folder), as the command does;
    without it, rendering writes nothing.
    """
    from .outputs.deliverable import render_pieces  # Jinja2 and Babel load only when rendering

    return "".join(
        render_pieces(
            plan,
            format,
            language=language,
            theme=theme,
            templates=templates,
            today=today,
            credit=credit,
            theme_vars=theme_vars,
            folder=folder,
            cache_templates=cache_templates,
        )
    )


def render_to(
    plan: Plan,
    path: PathLike,
    format: str = "md",  # noqa: A002 - public name
    *,
    overwrite: bool = False,
    language: str | None = None,
    theme: str | None = None,
    templates: PathLike | None = None,
    today: date | None = None,
    credit: bool = True,
    theme_vars: PathLike | Mapping[str, str] | None = None,
    folder: PathLike | None = None,
    cache_templates: bool = False,
) -> Path:
    """Render a plan into the file at `path`, as it is rendered, and return the path.

    The file is replaced atomically, only with `overwrite`; a big plan's
    deliverable is written piece by piece instead of being held whole.
    """
    from .outputs.deliverable import render_pieces
    from .outputs.write import write_chunks

    pieces = render_pieces(
        plan,
        format,
        language=language,
        theme=theme,
        templates=templates,
        today=today,
        credit=credit,
        theme_vars=theme_vars,
        folder=folder,
        cache_templates=cache_templates,
    )
    return write_chunks(path, pieces, overwrite=overwrite)


def render_pdf(plan: Plan, *, timeout: float = 60.0, **options) -> bytes:
    """The HTML deliverable printed to PDF by a headless Chromium found on PATH."""
    from .outputs.pdf import html_to_pdf

    return html_to_pdf(render(plan, "html", **options), timeout=timeout)
