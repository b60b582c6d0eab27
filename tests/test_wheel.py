"""The built wheel carries the templates: install it apart and render with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_renders(tmp_path: Path) -> None:
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("mixplan-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        timeout=600,
    )
    assert (target / "mixplan" / "templates" / "html" / "plan.html.j2").is_file()
    assert (target / "mixplan" / "templates" / "init" / "plan.fr.yaml").is_file()
    script = (
        "import sys, mixplan\n"
        f"assert mixplan.__file__.startswith({str(target)!r}), mixplan.__file__\n"
        "from mixplan.assets import templates_dir\n"
        f"assert str(templates_dir()).startswith({str(target)!r}), templates_dir()\n"
        f"plan = mixplan.load_plan({str(EXAMPLES[0])!r})\n"
        "sys.stdout.write(mixplan.render(plan, format='html')[:15])\n"
    )
    # The wheel's copy comes first on the path, ahead of the editable checkout.
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "<!DOCTYPE html>"
