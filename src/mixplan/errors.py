"""Findings and the two families of errors the CLI knows how to report.

A *user error* (bad file, bad option) carries a plain message and an exit
code; anything else escaping the library is a bug (exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
# The reader of standard output went away (`mixplan render plan.yaml | head`):
# what a shell reports for a tool stopped by SIGPIPE, 128 + 13.
EXIT_BROKEN_PIPE = 141


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a plan file, at a line and column (1-based).

    `message` names places in the plan by their data path (`means[1].cost`),
    which JSON consumers match on; `readable`, when a message names a place,
    is the same message with that place as a marketer reads it ("means
    'insta-ads' (2nd action), cost"), for everything shown to a person.
    """

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    readable: str | None = field(default=None, compare=False, repr=False)

    @property
    def shown(self) -> str:
        """The message as a person reads it."""
        return self.message if self.readable is None else self.readable

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.shown} ({self.rule})"


class MixplanError(Exception):
    """A problem caused by the user's input or environment, not by a bug."""

    exit_code = EXIT_USAGE
    # The language the message was said in: set as the error leaves the `language.speaking` block it was said
    # in, so that a line printed around it (`watch`'s "kept ...") is in the same language.
    language: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadableFile(MixplanError):
    """The file cannot be read as text: missing, a directory, no permission, not UTF-8."""

    exit_code = EXIT_USAGE


class PlanInvalid(MixplanError):
    """The plan has errors; `findings` holds every one of them, located."""

    exit_code = EXIT_INVALID

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        errors = [f for f in self.findings if f.severity == "error"]
        first = errors[0] if errors else (self.findings[0] if self.findings else None)
        summary = f"{len(errors)} error(s) in the plan" + (f"; first: {first}" if first else "")
        super().__init__(summary)


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written; raised so the temporary file is removed.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
