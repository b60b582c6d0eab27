"""Shared fixtures. Golden files are rewritten with `pytest --update-goldens`."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ASSETS = Path(__file__).parent / "assets"
GOLDEN = Path(__file__).parent / "golden"


# Compiled templates go to a throw-away folder, never the user's cache; subprocesses inherit it.
_CACHE = tempfile.mkdtemp(prefix="mixplan-test-cache-")
os.environ["MIXPLAN_CACHE_DIR"] = _CACHE

# mixplan speaks the locale's language: the tests expect English unless they ask otherwise,
# whatever the locale of the machine running them (subprocesses inherit this).
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def _collector_back_on():
    """In-process CLI runs turn the cycle collector off, as a one-shot process would."""
    yield
    import gc

    gc.enable()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden from the current output instead of comparing.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def minimal_text() -> str:
    return (ASSETS / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture
def write_plan(tmp_path: Path):
    """Write YAML text to a plan file in a temporary folder and return its path."""

    def write(text: str, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def installed_mixplan() -> str:
    """The `mixplan` script installed beside the running interpreter."""
    candidate = Path(sys.executable).parent / "mixplan"
    found = str(candidate) if candidate.exists() else shutil.which("mixplan")
    if not found:
        pytest.fail("the mixplan command is not installed; run `pip install -e .[test]` first")
    return found
