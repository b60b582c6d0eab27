"""How `validate` and `rules` print what they found: one function per output format.

Findings are plain values (`errors.Finding`); this module only turns them into
text, so the same results read the same in a terminal, a CI log, a JSON
consumer or a GitHub pull request. Nothing here touches the disk; rich is
imported only when a terminal asks for colour.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import language
from ..controls import UNSAFE, visible
from ..errors import Finding
from ..rule_ids import DECLARED, MEANS_UNSCHEDULED, UNREADABLE_FILE

FINDINGS_FORMATS = ("text", "json", "github")
JSON_VERSION = 1
# A file with thousands of problems is the wrong file or one broken paste: the
# first hundred say what to fix; a terminal or a pull request shows no more.
SHOWN_PER_FILE = 100


@dataclass(frozen=True)
class FileResult:
    """What validating one file gave: its findings, or why it could not be read."""

    file: str
    findings: Sequence[Finding] = ()
    unreadable: str | None = None
    summary: str | None = None  # the "ok" line of a valid plan
    language: str = "en"  # the language its findings are written in, for the lines about them

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def _more_findings(hidden: Sequence[Finding]) -> str:
    """`... and 39,900 more findings (MP101 ×39,900)`: what the capped output left out."""
    by_rule = Counter(finding.rule for finding in hidden)
    rules = ", ".join(f"{rule} ×{language.grouped(count)}" for rule, count in sorted(by_rule.items()))
    return language.say("findings.more", count=language.grouped(len(hidden)), rules=rules)


def _rule_name(rule_id: str) -> str:
    known = DECLARED.get(rule_id)
    return known.name if known else ""


# --- text -------------------------------------------------------------------------


def finding_lines(file: str, findings: Sequence[Finding]) -> list[str]:
    """The first SHOWN_PER_FILE findings of a file as text lines, then one line counting the others.

    The line counting the others is in the current language (`mixplan.language`).
    """
    # Shown, never obeyed: a file name or a key may hold an escape sequence.
    lines = [visible(str(finding)) for finding in findings[:SHOWN_PER_FILE]]
    if len(findings) > SHOWN_PER_FILE:
        lines.append(visible(f"{file}: {_more_findings(findings[SHOWN_PER_FILE:])}"))
    return lines


def text_lines(results: Iterable[FileResult], *, quiet: bool = False) -> list[str]:
    """One `file:line:column: severity: message (RULE)` line per finding, grouped by file, then a summary."""
    lines: list[str] = []
    for result in results:
        if result.unreadable is not None:
            continue  # said on stderr, where errors about the command itself go
        with language.speaking(result.language):
            lines.extend(finding_lines(result.file, result.findings))
            if result.summary is not None:
                if not quiet or result.findings:
                    lines.append(visible(result.summary))
            else:
                counts = language.say(
                    "findings.counts",
                    errors=language.plural(result.errors, "findings.errors"),
                    warnings=language.plural(result.warnings, "findings.warnings"),
                )
                lines.append(visible(language.say("findings.file_line", file=result.file, text=counts)))
    return lines


def print_coloured(lines: Sequence[str]) -> None:
    """Print text lines to a terminal with the location, severity and rule id highlighted."""
    import re

    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    shape = re.compile(r"^(?P<where>.+?:\d+:\d+:) (?P<severity>error|warning): (?P<message>.*) \((?P<rule>MP\d{3})\)$")
    for line in lines:
        match = shape.match(line)
        if match is None:
            style = "green" if ": ok" in line else "bold"
            console.print(Text(line, style=style))
            continue
        text = Text()
        text.append(match["where"], style="bold")
        text.append(" ")
        text.append(match["severity"] + ":", style="bold red" if match["severity"] == "error" else "bold yellow")
        text.append(" " + match["message"] + " ")
        text.append(f"({match['rule']})", style="dim")
        console.print(text)


# --- JSON -------------------------------------------------------------------------


def json_text(results: Iterable[FileResult]) -> str:
    """The findings as a JSON list; the format is documented in docs/validate.md and kept stable.

    An unreadable file is one finding with rule MP001 and null line and column.
    """
    items: list[dict[str, object]] = []
    for result in results:
        if result.unreadable is not None:
            items.append(
                {
                    "file": result.file,
                    "line": None,
                    "column": None,
                    "rule": UNREADABLE_FILE,
                    "name": _rule_name(UNREADABLE_FILE),
                    "severity": "error",
                    "message": result.unreadable,
                }
            )
        for finding in result.findings:
            items.append(
                {
                    "file": finding.file,
                    "line": finding.line,
                    "column": finding.column,
                    "rule": finding.rule,
                    "name": _rule_name(finding.rule),
                    "severity": finding.severity,
                    "message": finding.message,
                }
            )
    # JSON escapes C0 controls itself but not DEL, C1 or bidi controls: escape those too, still valid JSON.
    return UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(items, ensure_ascii=False, indent=2))


# --- GitHub Actions workflow commands --------------------------------------------


def _escape_data(text: str) -> str:
    text = visible(text)  # the runner's log is a terminal too
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(results: Iterable[FileResult]) -> list[str]:
    """`::error file=…,line=…,col=…,title=…::message` annotations, one per finding."""
    lines: list[str] = []
    for result in results:
        if result.unreadable is not None:
            lines.append(
                f"::error file={_escape_property(result.file)},title={_escape_property(f'{UNREADABLE_FILE} {_rule_name(UNREADABLE_FILE)}')}"
                f"::{_escape_data(result.unreadable)}"
            )
        for finding in result.findings[:SHOWN_PER_FILE]:
            title = f"{finding.rule} {_rule_name(finding.rule)}".strip()
            lines.append(
                f"::{finding.severity} file={_escape_property(finding.file)},line={finding.line},"
                f"col={finding.column},title={_escape_property(title)}::{_escape_data(finding.shown)}"
            )
        hidden = result.findings[SHOWN_PER_FILE:]
        if hidden:
            with language.speaking(result.language):
                more = _more_findings(hidden)
            severity = "error" if any(f.severity == "error" for f in hidden) else "warning"
            lines.append(f"::{severity} file={_escape_property(result.file)}::{_escape_data(more)}")
    return lines


# --- the rule list ------------------------------------------------------------------

RULES_HEADER = f"""# Rules of `mixplan validate`

This page is generated from the rules themselves by `mixplan rules --format md`;
a test fails when it falls behind. The hundreds digit is the family: 0xx the
file itself, 1xx structure and references, 2xx budget, 3xx schedule and
dates, 4xx objectives, targets and KPIs, 5xx results, 6xx the plan's
other chapters (journey, team...). Ids never change and are never reused.

Errors make `validate` exit 1; warnings only do with `--strict`. Rules marked
*ignorable* can be silenced for one file with `lint: {{ignore: [{MEANS_UNSCHEDULED}]}}` or
for a run with `--ignore {MEANS_UNSCHEDULED}`; the others stop the plan from being read, so
they are always reported.
"""


RULES_HEADER_FR = f"""# Règles de `mixplan validate`

Cette page est produite à partir des règles elles-mêmes par
`mixplan rules --format md --lang fr` ; un test échoue quand elle n’est plus à
jour. Le chiffre des centaines donne la famille : 0xx le fichier lui-même, 1xx
la structure et les références, 2xx le budget, 3xx le calendrier et les dates,
4xx les objectifs, les cibles et les indicateurs, 5xx les résultats. Les
identifiants ne changent jamais et ne sont jamais réutilisés.

Les erreurs font sortir `validate` avec le code 1 ; les avertissements aussi,
avec `--strict`. Les règles marquées *ignorable* peuvent être mises en
sourdine pour un fichier avec `lint: {{ignore: [{MEANS_UNSCHEDULED}]}}` ou pour
une exécution avec `--ignore {MEANS_UNSCHEDULED}` ; les autres empêchent de lire
le plan et sont donc toujours signalées.
"""


def rules_rows(lang: str = "en") -> list[dict[str, object]]:
    """Every declared rule; in French, the summary and fix of catalogues/fr_rules.py, else the English ones."""
    translated: dict[str, tuple[str, str]] = {}
    if lang == "fr":
        from ..catalogues.fr_rules import RULES as translated
    return [
        {
            "id": rule.id,
            "name": rule.name,
            "severity": rule.severity,
            "ignorable": rule.ignorable,
            "summary": translated.get(rule.id, (rule.summary, rule.fix))[0],
            "fix": translated.get(rule.id, (rule.summary, rule.fix))[1],
        }
        for rule in sorted(DECLARED.values(), key=lambda r: r.id)
    ]


def rules_text(format: str, lang: str = "en") -> str:  # noqa: A002 - mirrors the CLI option
    """The rule list; ids, names, severities and JSON keys are the same in every language."""
    rows = rules_rows(lang)
    if format == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if format == "md":
        cell = lambda text: str(text).replace("|", "\\|")  # noqa: E731 - a one-off escape
        french = lang == "fr"
        lines = [
            RULES_HEADER_FR if french else RULES_HEADER,
            "| id | nom | gravité | ce qu’elle trouve | comment corriger |"
            if french
            else "| id | name | severity | what it finds | how to fix it |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            severity = f"{row['severity']}{', ignorable' if row['ignorable'] else ''}"
            lines.append(f"| {row['id']} | {row['name']} | {severity} | {cell(row['summary'])} | {cell(row['fix'])} |")
        return "\n".join(lines) + "\n"
    width = max(len(str(row["name"])) for row in rows)
    return "".join(
        f"{row['id']}  {str(row['name']).ljust(width)}  {str(row['severity']).ljust(7)}  {row['summary']}\n"
        for row in rows
    )
