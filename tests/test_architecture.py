"""The package's layers (docs/architecture.md): a lower stage never imports a higher one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.fail(f"{LINT_IMPORTS} not found: install the test extra (pip install -e '.[test]')")
    # Not measured: the checker reads the copy's files, and coverage would count them as mixplan.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COVERAGE_")}
    env["PYTHONPATH"] = str(source)
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
        timeout=120,
        check=False,
    )


def test_the_package_keeps_its_layers() -> None:
    done = _lint_imports(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "mixplan"
    shutil.copytree(ROOT / "src" / "mixplan", copy, ignore=shutil.ignore_patterns("__pycache__"))
    # A view reaching up for the deliverable, the way diff once reached the renderer:
    # inside a function, where nothing at import time would notice.
    mix = copy / "views" / "mix.py"
    mix.write_text(
        mix.read_text() + "\n\ndef _upward():\n    from ..outputs import deliverable\n\n    return deliverable\n"
    )
    done = _lint_imports(tmp_path / "src")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mixplan.views is not allowed to import mixplan.outputs" in done.stdout
    assert "mixplan.views.mix -> mixplan.outputs.deliverable" in done.stdout


def test_the_rule_registry_stays_below_the_loader(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "mixplan"
    shutil.copytree(ROOT / "src" / "mixplan", copy, ignore=shutil.ignore_patterns("__pycache__"))
    # The loader names its rules through the registry, so the registry may not reach up to it.
    registry = copy / "rule_ids.py"
    registry.write_text(
        registry.read_text() + "\n\ndef _upward():\n    from .loading import reader\n\n    return reader\n"
    )
    done = _lint_imports(tmp_path / "src")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mixplan.rule_ids is not allowed to import mixplan.loading" in done.stdout
    assert "mixplan.rule_ids -> mixplan.loading.reader" in done.stdout
