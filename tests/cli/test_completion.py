"""Tab completion: installed for the user's shell, and answered by the real `mixplan` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixplan.cli import app

runner = CliRunner()


def _mixplan(*args: str, home: Path, shell: str | None = "/bin/bash", **variables: str):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("_MIXPLAN")}
    environment.pop("SHELL", None)
    environment.update(HOME=str(home), **variables)
    if shell is not None:
        environment["SHELL"] = shell
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *args], capture_output=True, text=True, env=environment, timeout=60
    )


def test_install_completion_sets_up_bash_once(tmp_path: Path) -> None:
    bashrc = tmp_path / ".bashrc"
    bashrc.write_text("# my settings\nalias ll='ls -l'", encoding="utf-8")
    bashrc.chmod(0o600)
    done = _mixplan("--install-completion", home=tmp_path)
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "mixplan.sh"
    assert (
        done.stdout
        == f"bash completion installed in {script}: press Tab after `mixplan` in a terminal opened from now on\n"
    )
    assert "_MIXPLAN_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert "complete -o default -F _mixplan_completion mixplan" in script.read_text(encoding="utf-8")
    expected = f"# my settings\nalias ll='ls -l'\nsource '{script}'\n"
    assert bashrc.read_text(encoding="utf-8") == expected
    assert bashrc.stat().st_mode & 0o777 == 0o600
    # Again: nothing added twice, not even a blank line.
    assert _mixplan("--install-completion", "bash", home=tmp_path).returncode == 0
    assert bashrc.read_text(encoding="utf-8") == expected


def test_the_shell_named_wins_over_the_one_in_shell_variable(tmp_path: Path) -> None:
    done = _mixplan("--install-completion", "zsh", home=tmp_path, shell="/bin/bash")
    assert done.returncode == 0, done.stderr
    assert "compdef _mixplan_completion mixplan" in (tmp_path / ".zfunc" / "_mixplan").read_text(encoding="utf-8")
    assert "fpath+=~/.zfunc" in (tmp_path / ".zshrc").read_text(encoding="utf-8")
    assert not (tmp_path / ".bashrc").exists()
    fish = _mixplan("--install-completion", home=tmp_path, shell="/usr/bin/fish")
    assert fish.returncode == 0, fish.stderr
    assert (tmp_path / ".config" / "fish" / "completions" / "mixplan.fish").is_file()


def test_show_completion_prints_the_script_of_the_shell_named(tmp_path: Path) -> None:
    done = _mixplan("--show-completion", "bash", home=tmp_path, shell="/bin/zsh")
    assert done.returncode == 0, done.stderr
    assert "complete -o default -F _mixplan_completion mixplan" in done.stdout
    assert "_MIXPLAN_COMPLETE=complete_bash" in done.stdout
    assert list(tmp_path.iterdir()) == [], "showing installs nothing"
    from_variable = _mixplan("--show-completion", home=tmp_path, shell="/bin/zsh")
    assert "compdef _mixplan_completion mixplan" in from_variable.stdout


@pytest.mark.parametrize(
    ("args", "shell", "message"),
    [
        (
            ["--show-completion", "tcsh"],
            "/bin/bash",
            "mixplan: --show-completion tcsh: tab completion works in bash, zsh, fish or powershell; name one of them\n",
        ),
        (
            ["--install-completion"],
            "/bin/sh",
            "mixplan: your shell, sh (from $SHELL), has no tab completion for mixplan: name one of bash, zsh, fish "
            "or powershell, as in `mixplan --install-completion bash`\n",
        ),
        (
            ["--install-completion", "bash", "zsh"],
            "/bin/bash",
            "mixplan: --install-completion takes one shell name at most (bash, zsh, fish or powershell), got: bash zsh\n",
        ),
    ],
)
def test_a_shell_mixplan_cannot_complete_in_is_a_usage_error(tmp_path: Path, args, shell, message) -> None:
    done = _mixplan(*args, home=tmp_path, shell=shell)
    assert (done.returncode, done.stderr, done.stdout) == (2, message, "")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_home_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder", encoding="utf-8")
    done = _mixplan("--install-completion", "fish", home=home)
    assert done.returncode == 2
    assert done.stderr == (
        f"mixplan: cannot install fish completion: {home / '.config' / 'fish' / 'completions'}: not a directory; check that your home "
        "folder is yours and writable, or use --show-completion to install it yourself\n"
    )


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("mixplan val", "1", "validate"),
        ("mixplan render plan.yaml --the", "3", "--theme"),
        ("mixplan results i", "2", "import"),
    ],
)
def test_the_completion_script_gets_answers(tmp_path: Path, words: str, cword: str, expected: str) -> None:
    """What the installed bash script runs on each press of Tab."""
    done = _mixplan(home=tmp_path, _MIXPLAN_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout.split()


def test_help_lists_the_completion_options_and_the_runner_reaches_them() -> None:
    page = runner.invoke(app, ["--help"]).output
    assert "--install-completion [SHELL]" in page and "--show-completion [SHELL]" in page
    shown = runner.invoke(app, ["--show-completion", "fish"])
    assert shown.exit_code == 0
    assert "complete --command mixplan" in shown.output


def test_only_options_before_the_command_ask_for_completion() -> None:
    from mixplan.cli.completion import requested

    assert requested(["--debug", "--show-completion", "bash"]) == "--show-completion"
    assert requested(["validate", "--install-completion"]) is None
    assert requested(["--", "--install-completion"]) is None
    assert requested([]) is None
