"""Start-up discipline: each path imports only what it uses.

`mixplan validate` runs on every commit; these checks keep heavy imports off
the paths that do not need them (the timings themselves live in benchmarks/).
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import EXAMPLES

HEAVY = ("jinja2", "babel", "rich", "typer", "pydantic", "yaml")


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(done.stdout.strip().splitlines()[-1])) & set(HEAVY)


def test_import_mixplan_is_light() -> None:
    assert _loaded_after("import mixplan") == set()


def test_the_library_never_imports_the_cli_stack() -> None:
    loaded = _loaded_after(f"import mixplan; mixplan.validate({str(EXAMPLES[0])!r})")
    assert loaded == {"pydantic", "yaml"}


def test_cli_start_up_loads_neither_models_nor_renderers() -> None:
    assert _loaded_after("import mixplan.cli") == {"typer"}


def test_validate_command_loads_no_renderer() -> None:
    code = (
        "import sys\nfrom mixplan.cli import app\n"
        f"sys.argv = ['mixplan', 'validate', {str(EXAMPLES[0])!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = _loaded_after(code)
    assert "jinja2" not in loaded and "babel" not in loaded, loaded


def test_render_command_loads_its_renderers_but_no_rich(tmp_path) -> None:
    out = tmp_path / "plan.html"
    code = (
        "import sys\nfrom mixplan.cli import app\n"
        f"sys.argv = ['mixplan', 'render', {str(EXAMPLES[0])!r}, '-o', {str(out)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = _loaded_after(code)
    assert out.exists()
    assert {"jinja2", "babel"} <= loaded and "rich" not in loaded, loaded


def test_benchmark_plan_generator_imports_only_the_vocabulary() -> None:
    from .conftest import ROOT

    code = f"import sys\nsys.path.insert(0, {str(ROOT / 'benchmarks')!r})\nimport generate\ngenerate.generate(5)"
    assert _loaded_after(code) == set()
