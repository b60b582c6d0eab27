"""Tab completion: `mixplan --install-completion [SHELL]` and `mixplan --show-completion [SHELL]`.

typer can add these two options itself, but it picks the shell from the
parent processes alone and ignores a shell named after the option
(`--install-completion zsh` run from bash set up bash), and it rewrites the
whole of ~/.bashrc, one more blank line each time. Here the shell is the one
named, else the one in $SHELL (the shell a terminal starts, whose start-up
file loads the script), else typer's guess; a start-up file only ever gets
one line appended, once. The completion scripts and the answers to each
press of Tab stay typer's.

The root group handles the two options before parsing the command line, and
registers typer's shells only when a shell asks for completions: neither
costs `mixplan --help` anything but this module's import (stdlib and typer).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..controls import visible
from ..errors import EXIT_USAGE, MixplanError
from .helptext import Group

INSTALL, SHOW = "--install-completion", "--show-completion"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell_list() -> str:
    """The shells to name, in the current language; imported here so that `mixplan --help` never loads them."""
    from ..messages import one_of

    return one_of(("bash", "zsh", "fish", "powershell"))


def complete_var(prog_name: str) -> str:
    """The variable through which a shell's completion script asks for completions (typer's name for it)."""
    return f"_{prog_name.replace('-', '_').upper()}_COMPLETE"


def requested(args: Sequence[str]) -> str | None:
    """The completion option among the options written before the command, if any."""
    for arg in args:
        if arg in (INSTALL, SHOW):
            return arg
        if arg == "--" or not arg.startswith("-"):
            return None
    return None


def _guessed_shell() -> str:
    """typer's guess from the parent processes (through shellingham), or "" when it has none."""
    from typer._completion_shared import _get_shell_name

    try:
        return (_get_shell_name() or "").lower()
    except Exception:  # neither /proc nor ps to look at the parents: no guess, said below
        return ""


def chosen_shell(option: str, named: str | None) -> str:
    """The shell to set up: the one named, else $SHELL's, else the one mixplan runs under."""
    from ..language import say

    if named is not None:
        shell = named.lower()
        if shell not in SHELLS:
            raise MixplanError(say("completion.unknown_shell", option=option, named=named, shells=_shell_list()))
        return shell
    from_variable = os.path.basename(os.environ.get("SHELL", "")).lower()
    shell = from_variable or _guessed_shell()
    if not shell:
        raise MixplanError(say("completion.no_shell", option=option, shells=_shell_list()))
    if shell not in SHELLS:
        source = say("completion.from_variable") if from_variable else ""
        raise MixplanError(
            say("completion.unsupported", shell=shell, source=source, option=option, shells=_shell_list())
        )
    return shell


def _append_once(start_up_file: Path, line: str) -> None:
    """Add `line` to a shell's start-up file unless it is there: appended, so nothing of the file is ever lost."""
    existing = start_up_file.read_bytes() if start_up_file.exists() else b""
    if line.encode() in existing.splitlines():
        return
    with start_up_file.open("ab") as stream:
        stream.write((b"" if not existing or existing.endswith(b"\n") else b"\n") + line.encode() + b"\n")


def install(shell: str, prog_name: str) -> Path:
    """Write the completion script where `shell` loads it from; the script's path."""
    from typer._completion_shared import get_completion_script

    from ..outputs.write import write_text

    variable = complete_var(prog_name)
    if shell in ("powershell", "pwsh"):
        # Its profile's path is PowerShell's to tell: typer asks it.
        from typer._completion_shared import install as typer_install

        return typer_install(shell=shell, prog_name=prog_name, complete_var=variable)[1]
    home = Path.home()
    if shell == "bash":
        script = home / ".bash_completions" / f"{prog_name}.sh"
        _append_once(home / ".bashrc", f"source '{script}'")
    elif shell == "zsh":
        script = home / ".zfunc" / f"_{prog_name}"
        _append_once(home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    else:  # fish loads every file of its completions folder by itself
        script = home / ".config" / "fish" / "completions" / f"{prog_name}.fish"
    script.parent.mkdir(parents=True, exist_ok=True)
    text = get_completion_script(prog_name=prog_name, complete_var=variable, shell=shell)
    return write_text(script, text.rstrip("\n") + "\n", overwrite=True)


def run(args: Sequence[str], prog_name: str) -> int:
    """Carry out `--install-completion` or `--show-completion`, with the shell named after it if any."""
    from ..language import say

    option = requested(args)
    assert option is not None
    rest = list(args[list(args).index(option) + 1 :])
    if len(rest) > 1:
        raise MixplanError(say("completion.too_many", option=option, shells=_shell_list(), given=" ".join(rest)))
    shell = chosen_shell(option, rest[0] if rest else None)
    if option == SHOW:
        from typer._completion_shared import get_completion_script

        sys.stdout.write(get_completion_script(prog_name=prog_name, complete_var=complete_var(prog_name), shell=shell))
        sys.stdout.write("\n")
        return 0
    try:
        path = install(shell, prog_name)
    except OSError as error:
        where = say("completion.where", path=error.filename) if error.filename else ""
        reason = (error.strerror or str(error)).lower()
        raise MixplanError(say("completion.cannot_install", shell=shell, where=where, reason=reason)) from None
    sys.stdout.write(visible(say("completion.installed", shell=shell, path=path)) + "\n")
    return 0


class CompletingGroup(Group):
    """The `mixplan` group: answers the two completion options itself, and the shell's requests through typer."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, *more: Any, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        name = prog_name or "mixplan"
        if requested(argv):
            from ..language import choose, speaking

            # No plan and no --lang here: the user's locale decides, as for any command before its plan is read.
            with speaking(choose(None, None, os.environ)):
                try:
                    code = run(argv, name)
                except MixplanError as error:
                    sys.stderr.write(visible(f"mixplan: {error.message}") + "\n")
                    code = error.exit_code or EXIT_USAGE
            sys.exit(code)
        if os.environ.get(complete_var(name)):
            # typer registers its shells' completion classes only when it adds its own options.
            from typer._completion_classes import completion_init

            completion_init()
        return super().main(args, prog_name, *more, **extra)
