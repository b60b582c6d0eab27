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


def test_charts_pdf_batch_and_template_export_modules_are_light() -> None:
    # The charts are plain string code: rendering pays for no plotting library.
    assert (
        _loaded_after(
            "import mixplan.outputs.charts, mixplan.outputs.pdf, mixplan.workflows.batch, mixplan.outputs.template_export"
        )
        == set()
    )


def test_templates_command_help_loads_no_renderer() -> None:
    code = (
        "import sys\nfrom mixplan.cli import app\n"
        "sys.argv = ['mixplan', 'templates', 'export', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = _loaded_after(code)
    assert not loaded & {"jinja2", "babel", "rich", "yaml"}, loaded


def test_status_json_loads_neither_rich_nor_renderers() -> None:
    code = (
        "import sys, io, contextlib\nfrom mixplan.cli import app\n"
        f"sys.argv = ['mixplan', 'status', {str(EXAMPLES[0])!r}, '--format', 'json']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        app()\n    except SystemExit:\n        pass\n"
    )
    loaded = _loaded_after(code)
    assert not loaded & {"rich", "jinja2", "babel"}, loaded


def test_only_results_import_loads_ruamel() -> None:
    probe = (
        "import sys, mixplan\nfrom mixplan.views import progress, metrics\nfrom mixplan.outputs import status\n"
        f"mixplan.validate({str(EXAMPLES[0])!r})\n"
        f"progress.progress(mixplan.load_plan({str(EXAMPLES[0])!r}))\n"
        "print('ruamel' in {m.split('.')[0] for m in sys.modules})"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"


EXTRAS = ("icalendar", "xlsxwriter", "watchfiles", "openpyxl")


def _extras_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(done.stdout.strip().splitlines()[-1])) & set(EXTRAS + HEAVY)


def test_export_diff_and_watch_modules_load_their_libraries_only_when_used() -> None:
    # The models only: no YAML reader either, since diff takes its amounts from present/, not from the rules.
    assert _extras_after("import mixplan.outputs.exports, mixplan.views.diff, mixplan.workflows.watch") == {"pydantic"}


def test_help_and_validate_load_no_export_library() -> None:
    for argv in (["mixplan", "--help"], ["mixplan", "validate", str(EXAMPLES[0])]):
        code = f"import sys\nfrom mixplan.cli import app\nsys.argv = {argv!r}\ntry:\n    app()\nexcept SystemExit:\n    pass\n"
        assert not _extras_after(code) & set(EXTRAS), argv


def test_each_export_loads_only_its_own_library() -> None:
    load = (
        f"import mixplan\nfrom mixplan.outputs.exports import export\nplan = mixplan.load_plan({str(EXAMPLES[0])!r})\n"
    )
    assert not _extras_after(load + "export(plan, 'csv')") & set(EXTRAS)
    assert _extras_after(load + "export(plan, 'ics')") & set(EXTRAS) == {"icalendar"}
    assert _extras_after(load + "export(plan, 'xlsx')") & set(EXTRAS) == {"xlsxwriter"}


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


def test_help_loads_only_the_cli_shell_of_mixplan() -> None:
    # `--help` needs the app's definition, not the messages it would print: the
    # catalogues, the rule registry and the message helpers load when a command runs.
    code = (
        "import sys\nfrom mixplan.cli import app\nsys.argv = ['mixplan', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "import json\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith('mixplan'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert loaded == {
        "mixplan",
        "mixplan.cli",
        "mixplan.cli.commands",
        "mixplan.cli.completion",
        "mixplan.cli.helptext",
        "mixplan.cli.vocabulary",
        "mixplan.controls",
        "mixplan.errors",
    }


def test_the_command_modules_keep_their_annotations_as_objects() -> None:
    # typer evaluates string annotations on every start, --help included (commands.py's docstring says why).
    import mixplan.cli.commands
    import mixplan.cli.vocabulary

    for module in (mixplan.cli.commands, mixplan.cli.vocabulary):
        hints = [
            value
            for function in vars(module).values()
            if callable(function) and getattr(function, "__module__", None) == module.__name__
            for value in getattr(function, "__annotations__", {}).values()
        ]
        assert hints and not any(isinstance(hint, str) and hint not in ("Job", "Plan") for hint in hints), module
